// Parses a finished attempt's output per `output:` mode: $BATON_OUTPUT file, or stdout as json / text / lines.
import { readFileSync, writeFileSync } from 'node:fs';
import type { OutputMode } from './types.js';
import { readCapped } from './logs.js';
import { maskText, maskValue } from './masking.js';
import { describeJsonError } from './json-error.js';

/** `masked`: a secret's value was replaced by *** in the value. */
export type ParsedOutput = { ok: true; value: unknown; masked?: boolean } | { ok: false; error: string };

/** `key=value` lines to an object: lines without `=` are ignored; the value keeps any further `=`. */
export function parseKeyValueLines(text: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const rawLine of text.split('\n')) {
    const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    const key = line.slice(0, eq).trim();
    if (key !== '') result[key] = line.slice(eq + 1);
  }
  return result;
}

function parseFileOutput(outputFile: string): ParsedOutput {
  const read = readCapped(outputFile);
  if (read === 'too big') return { ok: false, error: 'output: $BATON_OUTPUT file is over 16 MiB' };
  if (read.text.trim() === '') return { ok: true, value: null };
  try {
    return { ok: true, value: JSON.parse(read.text) };
  } catch {
    return { ok: true, value: parseKeyValueLines(read.text) };
  }
}

/** `stdout`: the log file to read (written unmasked: no secrets), or the raw text kept while the log was masked. */
function parseStdout(mode: Exclude<OutputMode, 'file'>, stdout: string | { text: string } | 'too big'): ParsedOutput {
  const read = typeof stdout === 'string' ? readCapped(stdout) : stdout;
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
  stdout: string | { text: string } | 'too big',
  outputFile: string,
  secrets: string[],
): ParsedOutput {
  const parsed = mode === 'file' ? parseFileOutput(outputFile) : parseStdout(mode, stdout);
  if (!parsed.ok) return { ok: false, error: maskText(parsed.error, secrets) };
  const value = maskValue(parsed.value, secrets);
  // The engine warns when an output held a secret (SPEC §1.3); the masker keeps an unchanged value's reference.
  const masked = value !== parsed.value;
  // The $BATON_OUTPUT file stays in the run folder: it must not keep the secret either.
  if (masked && mode === 'file') writeFileSync(outputFile, maskText(readFileSync(outputFile, 'utf8'), secrets));
  return { ok: true, value, masked };
}
