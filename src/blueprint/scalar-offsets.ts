// Mapping offsets inside a YAML scalar's value to offsets in the file, so markers point at the expression itself.
import type { Scalar } from 'yaml';

export type OffsetMapper = (valueOffset: number) => number;

/** Exact for plain and quoted scalars without escapes and for literal block scalars; else a best effort search. */
export function offsetMapper(node: Scalar, source: string): OffsetMapper {
  const value = String(node.value);
  const [start, end] = node.range ?? [0, 0];
  const raw = source.slice(start, end);
  if (node.type === 'PLAIN' && raw === value) return (o) => start + o;
  if ((node.type === 'QUOTE_SINGLE' || node.type === 'QUOTE_DOUBLE') && raw.slice(1, -1) === value) return (o) => start + 1 + o;
  if (node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED') {
    const mapper = blockMapper(raw, value, start);
    if (mapper) return mapper;
  }
  return searchMapper(raw, value, start);
}

/** Block scalars whose value lines are the body lines without their indentation (always for `|`; `>` without folding). */
function blockMapper(raw: string, value: string, start: number): OffsetMapper | null {
  const headerEnd = raw.indexOf('\n');
  if (headerEnd < 0) return null;
  const bodyLines = raw.slice(headerEnd + 1).split('\n');
  const firstContent = bodyLines.find((line) => line.trim() !== '');
  if (firstContent === undefined) return null;
  const indent = firstContent.length - firstContent.trimStart().length;
  const valueLines = value.split('\n');
  const sourceLineStarts: number[] = [];
  let at = start + headerEnd + 1;
  for (const line of bodyLines) {
    sourceLineStarts.push(at);
    at += line.length + 1;
  }
  for (let i = 0; i < valueLines.length; i++) {
    const text = valueLines[i] as string;
    if (text === '') continue;
    if ((bodyLines[i] ?? '').slice(indent) !== text) return null;
  }
  return (o) => {
    let lineStart = 0;
    for (let i = 0; i < valueLines.length; i++) {
      const length = (valueLines[i] as string).length;
      if (o <= lineStart + length) return (sourceLineStarts[i] ?? start) + indent + (o - lineStart);
      lineStart += length + 1;
    }
    return start;
  };
}

/** Find the text at the offset in the raw scalar; when it is not there exactly once, use the scalar's start. */
function searchMapper(raw: string, value: string, start: number): OffsetMapper {
  return (o) => {
    const needle = (value.slice(o, o + 24).split('\n')[0] ?? '').trimEnd();
    if (needle.length < 3) return start;
    const found = raw.indexOf(needle);
    if (found < 0 || raw.indexOf(needle, found + 1) >= 0) return start;
    return start + found;
  };
}
