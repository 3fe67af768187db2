// Compiling JSONata expressions once (cached by source) and evaluating them into plain JSON values.
import { createRequire } from 'node:module';
// require, not import: Node 20 runs its slow CommonJS export scan over jsonata's 300 KB on import (~40 ms at start-up).
const jsonata = createRequire(import.meta.url)('jsonata') as typeof import('jsonata');
import { ExpressionError } from './errors.js';
import { checkStop, EvaluationStopped, GUARD, LimitExceeded, onEvaluateEntry, yieldToEventLoop } from './guard.js';
import type { EvalContext } from './index.js';
import { BoundedRegExp } from './regex.js';

export interface CompiledExpression {
  readonly source: string;
  /** Evaluate against the context (as JSONata input); resolves a plain JSON value, `null` for "nothing". */
  evaluate(ctx: EvalContext): Promise<unknown>;
}

/** What jsonata throws: a plain object or Error with code/position/token. */
export interface JsonataFailure {
  code?: string;
  message?: string;
  position?: number;
  token?: string;
}

/** A node of jsonata's parsed AST (its own typings miss node types such as `path`). */
export interface JsonataAst {
  type: string;
  value?: unknown;
  position?: number;
  steps?: JsonataAst[];
  lhs?: unknown;
  rhs?: JsonataAst;
  [key: string]: unknown;
}

type CacheEntry = { compiled: CompiledExpression; ast: JsonataAst } | { error: JsonataFailure };
const cache = new Map<string, CacheEntry>();
// Deep recursion fails at once; time is bounded by the per-step hook (guard.ts), regex matches by BoundedRegExp.
const JSONATA_OPTIONS = { stack: 2_000, RegexEngine: BoundedRegExp as unknown as RegExpConstructor };
const ENTRY_HOOK = Symbol.for('jsonata.__evaluate_entry');

/** Start offset of the token a jsonata error points at (jsonata gives the index just after the token). */
export function failureOffset(failure: JsonataFailure, source: string): { offset: number; length: number } {
  const position = typeof failure.position === 'number' ? failure.position : 0;
  const token = typeof failure.token === 'string' && failure.token !== '(end)' ? failure.token : '';
  const offset = Math.min(Math.max(position - token.length, 0), source.length);
  return { offset, length: token.length };
}

function failureMessage(failure: unknown): string {
  if (failure && typeof failure === 'object' && typeof (failure as JsonataFailure).message === 'string') {
    return (failure as JsonataFailure).message as string;
  }
  return String(failure);
}

/** The error under jsonata's wrapping: `$eval` reports what failed inside it as `error`. */
function innermost(failure: unknown): unknown {
  let inner = failure;
  while (inner && typeof inner === 'object' && 'error' in inner) inner = (inner as { error: unknown }).error;
  return inner;
}

function toExpressionError(failure: unknown, source: string): ExpressionError {
  if (failure instanceof ExpressionError) return failure;
  const jf = (failure ?? {}) as JsonataFailure;
  const position = typeof jf.position === 'number' ? failureOffset(jf, source).offset : undefined;
  return new ExpressionError(`expression "${source}": ${failureMessage(failure)}`, position, source);
}

function isJsonataFunction(value: object): boolean {
  const v = value as Record<string, unknown>;
  return v._jsonata_function === true || v._jsonata_lambda === true || typeof value === 'function';
}

/** Deep copy into plain JSON: sequences become arrays, functions and non-finite numbers vanish (as JSON would). */
function toPlainJson(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'function') return null;
  if (typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(toPlainJson);
  if (isJsonataFunction(value)) return null;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (item === undefined || typeof item === 'function') continue;
    if (item !== null && typeof item === 'object' && !Array.isArray(item) && isJsonataFunction(item)) continue;
    out[key] = toPlainJson(item);
  }
  return out;
}

function compileEntry(source: string): CacheEntry {
  const cached = cache.get(source);
  if (cached) return cached;
  let entry: CacheEntry;
  if (source.trim() === '') {
    entry = { error: { message: 'empty expression', position: 0 } };
  } else {
    try {
      const expr = jsonata(source, JSONATA_OPTIONS);
      expr.assign(ENTRY_HOOK as unknown as string, onEvaluateEntry);
      const compiled: CompiledExpression = {
        source,
        async evaluate(ctx: EvalContext): Promise<unknown> {
          try {
            return toPlainJson(await expr.evaluate(ctx));
          } catch (failure) {
            throw await settleFailure(failure, source, ctx);
          }
        },
      };
      entry = { compiled, ast: expr.ast() as unknown as JsonataAst };
    } catch (failure) {
      entry = { error: (failure ?? {}) as JsonataFailure };
    }
  }
  cache.set(source, entry);
  return entry;
}

/** A stop asked by the driver passes through; a limit hit while a stop was pending (a signal not yet served) is that stop. */
async function settleFailure(failure: unknown, source: string, ctx: EvalContext): Promise<Error> {
  const inner = innermost(failure);
  if (inner instanceof EvaluationStopped) return inner;
  if (inner instanceof LimitExceeded) {
    await yieldToEventLoop();
    try {
      checkStop(ctx[GUARD]);
    } catch (stopped) {
      return stopped as Error;
    }
    const jf = (failure ?? {}) as JsonataFailure;
    return toExpressionError({ message: inner.message, position: jf.position, token: jf.token }, source);
  }
  return toExpressionError(failure, source);
}

/** Compile (or fetch from cache) an expression; throws ExpressionError on bad syntax. */
export function compileExpression(source: string): CompiledExpression {
  const entry = compileEntry(source);
  if ('error' in entry) throw toExpressionError(entry.error, source);
  return entry.compiled;
}

/** The parsed AST, or the jsonata failure, for checks and reference scanning. */
export function parseExpression(source: string): { ast: JsonataAst } | { error: JsonataFailure } {
  const entry = compileEntry(source);
  return 'error' in entry ? { error: entry.error } : { ast: entry.ast };
}

/** Evaluate one expression (no `${{ }}` wrapper) against the context. */
export function evaluateExpression(source: string, ctx: EvalContext): Promise<unknown> {
  try {
    return compileExpression(source).evaluate(ctx);
  } catch (error) {
    return Promise.reject(error);
  }
}
