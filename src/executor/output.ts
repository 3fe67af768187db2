// Parses a finished attempt's output per `output:` mode: $BATON_OUTPUT file, or stdout as json / text / lines.
import type { OutputMode } from './types.js';
import { LazyLog, readCapped } from './logs.js';
import { maskText, maskValue } from './masking.js';
import { describeJsonError } from './json-error.js';

/** `masked`: a secret's value was replaced by *** in the value. */
export type ParsedOutput = { ok: true; value: unknown; masked?: boolean } | { ok: false; error: string };

/**
 * `$BATON_OUTPUT` lines as GitHub Actions writes them: `name=value` (the value keeps any further `=`) and the
 * multi-line `name<<DELIMITER` … `DELIMITER`; blank lines are skipped; anything else is an error naming the line.
 */
function parseKeyValueLines(text: string): { ok: true; value: Record<string, string> } | { ok: false; error: string } {
  const result: Record<string, string> = {};
  const lines = text.split('\n').map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
  if (lines.at(-1) === '') lines.pop();
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line.trim() === '') continue;
    const heredoc = line.indexOf('<<');
    const eq = line.indexOf('=');
    if (heredoc > 0 && (eq < 0 || heredoc < eq)) {
      const key = line.slice(0, heredoc).trim();
      const delimiter = line.slice(heredoc + 2);
      if (key === '' || delimiter.trim() === '') return bad(i, line, 'expected `name<<DELIMITER`');
      const end = lines.indexOf(delimiter, i + 1);
      if (end < 0) return bad(i, line, `no line \`${truncate(delimiter)}\` ends the value of \`${truncate(key)}\``);
      result[key] = lines.slice(i + 1, end).join('\n');
      i = end;
      continue;
    }
    const key = eq > 0 ? line.slice(0, eq).trim() : '';
    if (key === '') return bad(i, line, 'expected `name=value` or `name<<DELIMITER`');
    result[key] = line.slice(eq + 1);
  }
  return { ok: true, value: result };
}

function bad(index: number, line: string, what: string): { ok: false; error: string } {
  return { ok: false, error: `output: $BATON_OUTPUT line ${index + 1}: ${what}, got \`${truncate(line)}\`` };
}

function truncate(text: string): string {
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
}

/** A missing $BATON_OUTPUT file (the task wrote none) reads as no output. */
function parseFileOutput(text: string): ParsedOutput {
  if (text.trim() === '') return { ok: true, value: null };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return parseKeyValueLines(text);
  }
}

/** What the task wrote to stdout: its log file to read, or the text kept in memory ('too big' past 16 MiB). */
type Stdout = { file: string } | { text: string } | 'too big';

/** `stdout`: the log file to read (written unmasked: no secrets), or the raw text kept while the log was masked. */
function parseStdout(mode: Exclude<OutputMode, 'file'>, stdout: Stdout): ParsedOutput {
  const read = stdout !== 'too big' && 'file' in stdout ? readCapped(stdout.file) : stdout;
  if (read === 'too big') return { ok: false, error: 'output: stdout is over 16 MiB' };
  const text = read.text;
  switch (mode) {
    case 'json':
      if (text.trim() === '') return { ok: false, error: 'output: json: stdout is empty, expected JSON' };
      try {
        return { ok: true, value: JSON.parse(text) };
      } catch (error) {
        return { ok: false, error: `output: json: stdout is not valid JSON (${describeJsonError(error, text)})` };
      }
    case 'text':
      return { ok: true, value: text.replace(/\r?\n$/, '') };
    case 'lines':
      return { ok: true, value: text.split(/\r?\n/).filter((line) => line !== '') };
  }
}

/** Parse the output of an attempt that exited 0: parsed first, then masked; errors come back masked too. */
export function parseOutput(
  mode: OutputMode,
  stdout: Stdout,
  outputFile: string,
  secrets: string[],
): ParsedOutput {
  const file = mode === 'file' ? readCapped(outputFile) : null;
  if (file === 'too big') return { ok: false, error: 'output: $BATON_OUTPUT file is over 16 MiB' };
  const parsed = file !== null ? parseFileOutput(file.text) : parseStdout(mode as Exclude<OutputMode, 'file'>, stdout);
  if (!parsed.ok) return { ok: false, error: maskText(parsed.error, secrets) };
  const value = maskValue(parsed.value, secrets);
  // The engine warns when an output held a secret (SPEC §1.3); the masker keeps an unchanged value's reference.
  const masked = value !== parsed.value;
  // The $BATON_OUTPUT file stays in the run folder: it must not keep the secret either.
  if (masked && file !== null) {
    const rewrite = new LazyLog(outputFile);
    rewrite.write(maskText(file.text, secrets));
    rewrite.close();
  }
  return { ok: true, value, masked };
}
