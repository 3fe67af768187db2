// Printing diagnostics: `file:line:column: error: message`, the source line and a marker under the range; or as JSON.
import * as path from 'node:path';
import type { Diagnostic } from './diagnostics.js';
import type { SourceRange } from './model.js';
import { lineColumn } from './source-file.js';

export interface DiagnosticStyle {
  error(s: string): string;
  warning(s: string): string;
  marker(s: string): string;
  location(s: string): string;
}

const PLAIN: DiagnosticStyle = { error: (s) => s, warning: (s) => s, marker: (s) => s, location: (s) => s };

/** A diagnostic as compiler-style text with a code frame (no trailing newline). */
export function formatDiagnostic(d: Diagnostic, sources: Map<string, string>, options: { cwd?: string; style?: DiagnosticStyle } = {}): string {
  const style = options.style ?? PLAIN;
  const cwd = options.cwd ?? process.cwd();
  const severity = d.severity === 'error' ? style.error('error') : style.warning('warning');
  const lines = [located(d.range, d.file, sources, cwd, style, `${severity}: ${d.message}`)];
  if (d.range) lines.push(...codeFrame(d.range, sources, style));
  for (const note of d.related ?? []) {
    lines.push(located(note.range, undefined, sources, cwd, style, `note: ${note.message}`));
    lines.push(...codeFrame(note.range, sources, style));
  }
  return lines.join('\n');
}

function located(range: SourceRange | undefined, file: string | undefined, sources: Map<string, string>, cwd: string, style: DiagnosticStyle, text: string): string {
  const name = range?.file ?? file;
  if (name === undefined) return text;
  const shown = displayPath(name, cwd);
  const source = range ? sources.get(range.file) : undefined;
  if (!range || source === undefined) return `${style.location(`${shown}:`)} ${text}`;
  const { line, column } = lineColumn(source, range.start);
  return `${style.location(`${shown}:${line}:${column}:`)} ${text}`;
}

/** The path relative to cwd when it is inside it, else as given. */
function displayPath(file: string, cwd: string): string {
  if (!path.isAbsolute(file)) return file;
  const relative = path.relative(cwd, file);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}

/** A code frame shows at most this many characters of a line (a minified or generated line can be megabytes). */
export const MAX_FRAME_WIDTH = 160;
/** How much of the line before the column a clipped frame keeps. */
const CONTEXT_BEFORE = 60;

/** The source line of the range's start (clipped around the column) and a `^~~~` marker under the range. */
function codeFrame(range: SourceRange, sources: Map<string, string>, style: DiagnosticStyle): string[] {
  const source = sources.get(range.file);
  if (source === undefined) return [];
  const start = Math.min(range.start, source.length);
  const lineStart = source.lastIndexOf('\n', start - 1) + 1;
  const newline = source.indexOf('\n', lineStart);
  const lineEnd = newline < 0 ? source.length : newline;
  const column = start - lineStart;
  let from = 0;
  let to = lineEnd - lineStart;
  if (to > MAX_FRAME_WIDTH) {
    from = Math.max(0, Math.min(column - CONTEXT_BEFORE, to - MAX_FRAME_WIDTH));
    to = from + MAX_FRAME_WIDTH;
    // Never cut a character written as two UTF-16 units in half.
    if (from > 0 && isLowSurrogate(source.charCodeAt(lineStart + from))) from++;
    if (isHighSurrogate(source.charCodeAt(lineStart + to - 1))) to--;
  }
  const clippedBefore = from > 0;
  const clippedAfter = lineStart + to < lineEnd;
  // Control characters (binary files) would garble the terminal: show them as U+FFFD, one for one.
  const visible = (text: string): string => text.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '\uFFFD');
  const text = visible(source.slice(lineStart + from, lineStart + to).replace(/\r$/, ''));
  const end = Math.max(start + 1, Math.min(range.end, lineStart + from + text.length));
  // Keep tabs from the line in the padding so the marker lines up however tabs are shown.
  const padding = `${clippedBefore ? ' ' : ''}${text.slice(0, column - from).replace(/[^\t]/g, ' ')}`;
  const marker = `^${'~'.repeat(Math.max(0, end - start - 1))}`;
  return [`  ${clippedBefore ? '…' : ''}${text}${clippedAfter ? '…' : ''}`, `  ${padding}${style.marker(marker)}`];
}

const isHighSurrogate = (code: number): boolean => code >= 0xd800 && code <= 0xdbff;
const isLowSurrogate = (code: number): boolean => code >= 0xdc00 && code <= 0xdfff;

/** A diagnostic for `--json` output: 1-based line and column, end exclusive. */
export function diagnosticToJson(d: Diagnostic, sources: Map<string, string>): {
  severity: string;
  code: string;
  message: string;
  file: string | null;
  line: number | null;
  column: number | null;
  end_line: number | null;
  end_column: number | null;
} {
  const file = d.range?.file ?? d.file ?? null;
  const source = d.range ? sources.get(d.range.file) : undefined;
  if (!d.range || source === undefined) {
    return { severity: d.severity, code: d.code, message: d.message, file, line: null, column: null, end_line: null, end_column: null };
  }
  const start = lineColumn(source, d.range.start);
  const end = lineColumn(source, d.range.end);
  return { severity: d.severity, code: d.code, message: d.message, file, line: start.line, column: start.column, end_line: end.line, end_column: end.column };
}
