// Rendering values that hold `${{ }}` templates: whole expressions keep their type, mixed strings interpolate text.
import { evaluateExpression } from './compile.js';
import { ExpressionError } from './errors.js';
import type { EvalContext } from './index.js';
import { hasExpression, splitTemplate } from './template.js';

/** Text of a value as interpolated: strings as is, null/undefined empty, numbers/booleans String(), else JSON. */
export function toText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (typeof value === 'function' || typeof value === 'symbol') return '';
  return JSON.stringify(value) ?? '';
}

async function renderString(text: string, ctx: EvalContext, asText: boolean): Promise<unknown> {
  if (!text.includes('${{')) return text;
  const { parts, error } = splitTemplate(text);
  if (error) throw new ExpressionError(`template "${text}": ${error.message}`, error.offset, text);
  const first = parts[0];
  if (parts.length === 1 && first && first.kind === 'expr') {
    const value = await evaluateExpression(first.source, ctx);
    return asText ? toText(value) : value;
  }
  let out = '';
  for (const part of parts) {
    out += part.kind === 'text' ? part.text : toText(await evaluateExpression(part.source, ctx));
  }
  return out;
}

/** Render recursively; returns the very same reference when nothing inside holds an expression. */
async function renderValue(value: unknown, ctx: EvalContext): Promise<unknown> {
  if (typeof value === 'string') return renderString(value, ctx, false);
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      const rendered = hasExpression(item) ? await renderValue(item, ctx) : item;
      if (rendered !== item && !copy) copy = value.slice(0, i);
      if (copy) copy.push(rendered);
    }
    return copy ?? value;
  }
  if (value !== null && typeof value === 'object') {
    const source = value as Record<string, unknown>;
    let copy: Record<string, unknown> | undefined;
    const keys = Object.keys(source);
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i] as string;
      const rendered = hasExpression(source[key]) ? await renderValue(source[key], ctx) : source[key];
      if (rendered !== source[key] && !copy) {
        copy = {};
        for (const earlier of keys.slice(0, i)) copy[earlier] = source[earlier];
      }
      if (copy) copy[key] = rendered;
    }
    return copy ?? value;
  }
  return value;
}

/** Deep render: exactly-one-expression strings take the value's type; mixed strings interpolate text. */
export function renderTemplate(value: unknown, ctx: EvalContext): Promise<unknown> {
  // The common case (nothing to render) skips the async walk entirely.
  return hasExpression(value) ? renderValue(value, ctx) : Promise.resolve(value);
}

/** Like renderTemplate but always a string (env values, cwd, stdin, argv items). */
export async function renderText(value: unknown, ctx: EvalContext): Promise<string> {
  if (typeof value === 'string') return (await renderString(value, ctx, true)) as string;
  return toText(await renderValue(value, ctx));
}
