// Conditions for `if` / `while`: literal booleans or expressions judged with JSONata's $boolean rules.
import { evaluateExpression } from './compile.js';
import type { EvalContext } from './index.js';
import { unwrapExpression } from './template.js';

/** JSONata's $boolean: empty string, 0, null, empty array/object and functions are false; arrays true if any item is. */
function isTruthy(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') return value.length > 0;
  if (typeof value === 'number') return value !== 0;
  if (Array.isArray(value)) return value.some(isTruthy);
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return false;
}

/** Evaluate an `if` / `while` condition: a literal boolean, or an expression with or without `${{ }}`. */
export async function evaluateCondition(cond: string | boolean, ctx: EvalContext): Promise<boolean> {
  if (typeof cond === 'boolean') return cond;
  const { source } = unwrapExpression(cond);
  return isTruthy(await evaluateExpression(source, ctx));
}
