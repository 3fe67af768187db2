// The failure tail shown by `status` and the run's lines: read through the executor's one tail reader.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { taskLogTail } from '../../src/report/log-tail.js';
import { makeAttempt, makeTask } from './report-helpers.js';

describe('taskLogTail', () => {
  it('shows the last lines of a log far bigger than the tail, never a cut first line', () => {
    const runDir = mkdtempSync(join(tmpdir(), 'baton-tail-'));
    mkdirSync(join(runDir, 'logs'));
    const lines = Array.from({ length: 20_000 }, (_, i) => `é line ${i}`);
    writeFileSync(join(runDir, 'logs/a.1.stderr.log'), `${lines.join('\n')}\n`);
    const task = makeTask('a', { status: 'failed', history: [makeAttempt('a', 1)] });
    expect(taskLogTail(task, runDir, 3)).toEqual(['é line 19997', 'é line 19998', 'é line 19999']);
    const all = taskLogTail(task, runDir, 100_000);
    expect(all.length).toBeLessThan(20_000);
    expect(all[0]).toMatch(/^é line \d+$/);
  });

  it('falls back to what the state captured when the log is gone', () => {
    const task = makeTask('a', { status: 'failed', history: [makeAttempt('a', 1)], stderr: { text: 'boom\n', truncated: false } });
    expect(taskLogTail(task, '/nonexistent-run-dir', 3)).toEqual(['boom']);
  });
});
