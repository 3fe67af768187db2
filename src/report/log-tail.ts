// The last lines a failed task wrote: its last attempt's stderr log, else stdout, else what the state captured.
import * as path from 'node:path';
import type { TaskInstance } from '../engine/core/state.js';
import { readTail } from '../executor/logs.js';
import { sanitizeText } from './sanitize.js';

export function taskLogTail(task: TaskInstance, runDir: string, maxLines = 20): string[] {
  const attempt = task.history[task.history.length - 1];
  const candidates: (() => string | null)[] = [
    () => (attempt ? readFileTail(path.resolve(runDir, attempt.stderr_log)) : null),
    () => (attempt ? readFileTail(path.resolve(runDir, attempt.stdout_log)) : null),
    () => task.stderr?.text ?? null,
    () => task.stdout?.text ?? null,
  ];
  for (const read of candidates) {
    const lines = lastLines(read() ?? '', maxLines);
    if (lines.length > 0) return lines;
  }
  return [];
}

/** The last `maxLines` non-blank-trailing lines of `text`: what a carriage return left visible, sanitised. */
export function lastLines(text: string, maxLines: number): string[] {
  const lines = text
    .split('\n')
    .map((line) => sanitizeText(line.replace(/\r$/, '').replace(/.*\r/, '')));
  while (lines.length > 0 && (lines[lines.length - 1] ?? '').trim() === '') lines.pop();
  return lines.slice(-maxLines);
}

// The executor's tail reader (only the end of a log is read, so a huge log costs no more than a small one).
function readFileTail(file: string): string | null {
  try {
    const { text, truncated } = readTail(file, []);
    // A cut first line is partial: drop it unless the whole file was read.
    return truncated ? text.slice(text.indexOf('\n') + 1) : text;
  } catch {
    return null;
  }
}
