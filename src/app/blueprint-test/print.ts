// How `baton test` shows its results: a line per case (✓ / ✗), each failure with expected and actual values as a diff.
import type { Failure } from './check.js';
import type { CaseResult } from './run-case.js';

export interface FileResult {
  /** As shown: relative to the current folder. */
  file: string;
  blueprint: string;
  cases: CaseResult[];
}

export function formatResults(files: FileResult[], ms: number): string {
  const lines: string[] = [];
  for (const f of files) {
    lines.push(`${f.file} (${f.blueprint})`);
    for (const c of f.cases) {
      lines.push(`  ${c.passed ? '✓' : '✗'} ${c.name} (${formatMs(c.ms)})`);
      if (c.passed) continue;
      for (const failure of c.failures) lines.push(...formatFailure(failure).map((l) => `      ${l}`));
      lines.push(`      the run: ${c.status ?? 'did not start'}${c.error ? ` (${c.error})` : ''}; started: ${c.ran.length > 0 ? c.ran.join(', ') : 'nothing'}`);
    }
  }
  const all = files.flatMap((f) => f.cases);
  const failed = all.filter((c) => !c.passed).length;
  lines.push('', `${all.length - failed} passed, ${failed} failed (${all.length} test${all.length === 1 ? '' : 's'} in ${files.length} file${files.length === 1 ? '' : 's'}, ${formatMs(ms)})`);
  return `${lines.join('\n')}\n`;
}

function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

export function formatFailure(f: Failure): string[] {
  if (f.message) return [`${f.what}: ${f.message}`];
  const expected = JSON.stringify(f.expected, null, 2) ?? 'undefined';
  const actual = JSON.stringify(f.actual, null, 2) ?? 'undefined';
  if (!expected.includes('\n') && !actual.includes('\n')) return [`${f.what}`, `  - expected: ${expected}`, `  + actual:   ${actual}`];
  return [`${f.what} (- expected, + actual)`, ...lineDiff(expected.split('\n'), actual.split('\n')).map((l) => `  ${l}`)];
}

/** A line diff by longest common subsequence: values compared here are small. */
function lineDiff(a: string[], b: string[]): string[] {
  const n = a.length;
  const m = b.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      out.push(`  ${a[i++]}`);
      j++;
    } else if (j < m && (i === n || lcs[i]![j + 1]! >= lcs[i + 1]![j]!)) out.push(`+ ${b[j++]}`);
    else out.push(`- ${a[i++]}`);
  }
  return out;
}
