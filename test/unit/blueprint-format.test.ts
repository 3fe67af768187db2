// Code frames: the offending line with a marker under the range, clipped around the column when the line is long.
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/blueprint/diagnostics.js';
import { formatDiagnostic, MAX_FRAME_WIDTH } from '../../src/blueprint/format.js';

function frame(source: string, start: number, end: number): string[] {
  const d: Diagnostic = { severity: 'error', code: 'x', message: 'bad', range: { file: '/w/f.yaml', start, end } };
  return formatDiagnostic(d, new Map([['/w/f.yaml', source]]), { cwd: '/w' }).split('\n');
}

describe('code frames', () => {
  it('show a short line whole', () => {
    expect(frame('a: 1\nbogus: 2\n', 5, 10)).toEqual(['f.yaml:2:1: error: bad', '  bogus: 2', '  ^~~~~']);
  });

  it('clip a 5 MB line around the column, the marker still under the range', () => {
    const before = 'x'.repeat(2_500_000);
    const source = `run: "${before}BAD${'y'.repeat(2_500_000)}"\n`;
    const start = 6 + before.length;
    const [, line, marker] = frame(source, start, start + 3);
    expect(line!.length).toBeLessThanOrEqual(MAX_FRAME_WIDTH + 4);
    expect(line).toMatch(/^ {2}…x+BADy+…$/);
    expect(line!.indexOf('BAD')).toBe(marker!.indexOf('^'));
    expect(marker!.trim()).toBe('^~~');
  });

  it('clip only the end of a long line whose error is near its start, and never split a surrogate pair', () => {
    const source = `k: ${'😀'.repeat(200)}\n`;
    const [, line, marker] = frame(source, 0, 1);
    expect(line).toMatch(/^ {2}k: (😀)+…$/u);
    expect(line).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
    expect(marker).toBe('  ^');
  });
});
