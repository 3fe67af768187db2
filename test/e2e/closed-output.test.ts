// A reader that goes away (`baton run ci.yaml 2>&1 | head`): the run goes on to its end, while a command that only
// prints (`logs --follow`) ends with 141. Real pipes, closed by this process after the first bytes.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, readState, start, tempDir, waitFor, writeFiles } from '../helpers/cli.js';

/** Starts baton with both outputs piped here; closes our ends of the pipes once the first output arrives. */
function startThenCloseReaders(args: string[], cwd: string): Promise<number | null> {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, CI: 'true', BATON_STATE_DIR: undefined } as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  const closeReaders = (): void => {
    child.stdout.destroy();
    child.stderr.destroy();
  };
  child.stdout.once('data', closeReaders);
  child.stderr.once('data', closeReaders);
  return new Promise((resolve) => child.on('exit', (code) => resolve(code)));
}

describe('when the reader of baton’s output goes away', () => {
  it('the run goes on to its end and exits with its own status', async () => {
    const cwd = writeFiles(tempDir(), {
      'wf.yaml': `
name: closed
tasks:
  - { id: a, run: echo a }
  - { id: b, run: sleep 0.5 }
  - { id: c, run: echo c > c.txt }
`,
    });
    expect(await startThenCloseReaders(['run', 'wf.yaml', '--run-id', 'r1', '--verbose'], cwd)).toBe(0);
    expect(readState(cwd, 'r1').status).toBe('completed');
    expect(fs.readFileSync(path.join(cwd, 'c.txt'), 'utf8')).toBe('c\n');
  });

  it('logs --follow stops at once with 141 instead of following into a closed pipe', async () => {
    const cwd = writeFiles(tempDir(), { 'wf.yaml': 'name: long\ntasks:\n  - { id: a, run: "for i in 1 2 3 4 5 6 7 8 9 10; do echo line $i; sleep 0.3; done" }\n' });
    const driver = start(['run', 'wf.yaml', '--run-id', 'r2'], { cwd });
    await waitFor(() => fs.existsSync(path.join(cwd, '.baton/runs/r2/logs/a.1.stdout')), 10_000, 'the task to start');
    expect(await startThenCloseReaders(['logs', 'r2', 'a', '--follow'], cwd)).toBe(141);
    expect(readState(cwd, 'r2').status).not.toBe('completed'); // it stopped well before the run's end
    expect((await driver.done).code).toBe(0);
  });
});
