// Templates: finding `${{ ... }}` expressions inside strings, with offsets for diagnostics.

export type TemplatePart =
  | { kind: 'text'; text: string; start: number; end: number }
  | { kind: 'expr'; source: string; start: number; end: number; sourceStart: number };

export interface SplitResult {
  parts: TemplatePart[];
  error?: { message: string; offset: number };
}

const OPEN = '${{';
const splitCache = new Map<string, SplitResult>();
const SPLIT_CACHE_LIMIT = 20000;

/** Offset just past the `}}` closing an expression whose body starts at `from`, or -1. */
function findClose(text: string, from: number): number {
  // Aware of JSONata strings, comments and `{}` nesting, so `${{ {"a": {"b": 1}} }}` closes at the right place.
  let depth = 0;
  let i = from;
  while (i < text.length) {
    const c = text[i];
    if (c === '"' || c === "'") {
      i++;
      while (i < text.length && text[i] !== c) i += text[i] === '\\' ? 2 : 1;
      if (i >= text.length) return -1;
    } else if (c === '`') {
      const end = text.indexOf('`', i + 1);
      if (end < 0) return -1;
      i = end;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) return -1;
      i = end + 1;
    } else if (c === '{') {
      depth++;
    } else if (c === '}') {
      if (depth === 0 && text[i + 1] === '}') return i + 2;
      if (depth > 0) depth--;
    }
    i++;
  }
  return -1;
}

function splitUncached(text: string): SplitResult {
  const parts: TemplatePart[] = [];
  let pos = 0;
  while (pos < text.length) {
    const open = text.indexOf(OPEN, pos);
    if (open < 0) break;
    if (open > pos) parts.push({ kind: 'text', text: text.slice(pos, open), start: pos, end: open });
    const bodyStart = open + OPEN.length;
    let end = findClose(text, bodyStart);
    // An unbalanced quote inside: fall back to the first `}}` and let the expression parser report the quote.
    if (end < 0) {
      const naive = text.indexOf('}}', bodyStart);
      end = naive < 0 ? -1 : naive + 2;
    }
    if (end < 0) return { parts, error: { message: 'unclosed `${{`: expected `}}`', offset: open } };
    const body = text.slice(bodyStart, end - 2);
    const lead = body.length - body.trimStart().length;
    parts.push({ kind: 'expr', source: body.trim(), start: open, end, sourceStart: bodyStart + lead });
    pos = end;
  }
  if (pos < text.length) parts.push({ kind: 'text', text: text.slice(pos), start: pos, end: text.length });
  return { parts };
}

/** Split a string into literal text and `${{ }}` expressions; an unclosed `${{` is reported as an error. */
export function splitTemplate(text: string): SplitResult {
  const cached = splitCache.get(text);
  if (cached) return cached;
  const result = splitUncached(text);
  if (splitCache.size >= SPLIT_CACHE_LIMIT) splitCache.clear();
  splitCache.set(text, result);
  return result;
}

/** True for a string containing `${{`, or an array/object holding one at any depth. */
export function hasExpression(value: unknown): boolean {
  if (typeof value === 'string') return value.includes(OPEN);
  if (Array.isArray(value)) return value.some(hasExpression);
  if (value !== null && typeof value === 'object') {
    for (const key in value) {
      if (hasExpression((value as Record<string, unknown>)[key])) return true;
    }
  }
  return false;
}

/** The single expression of a template that is exactly one `${{ }}`, else undefined. */
function wholeExpression(text: string): { source: string; offset: number } | undefined {
  if (!text.startsWith(OPEN)) return undefined;
  const { parts, error } = splitTemplate(text);
  const only = parts[0];
  if (error || parts.length !== 1 || !only || only.kind !== 'expr') return undefined;
  return { source: only.source, offset: only.sourceStart };
}

/** For one-expression fields: `${{ x }}` → `x`; anything else is a bare expression. Offset is into `text`. */
export function unwrapExpression(text: string): { source: string; offset: number } {
  const lead = text.length - text.trimStart().length;
  const trimmed = text.trim();
  const whole = wholeExpression(trimmed);
  if (whole) return { source: whole.source, offset: whole.offset + lead };
  return { source: trimmed, offset: lead };
}
