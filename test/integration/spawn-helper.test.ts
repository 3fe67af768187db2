// The spawn helpers: who forks an attempt, what happens when a helper dies, and that helpers shrug off signals
// meant for the driver. Real helper processes, real signals; /proc tells parentage.
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { execute } from '../../src/executor/execute.js';
import { bashRequest, isGone, killQuietly, readPidFile, waitFor } from './executor-helpers.js';
import { commandLine, procStat } from '../helpers/proc.js';

/** Parent pid of a process, field 4 of /proc/<pid>/stat. */
const parentOf = (pid: number): number => Number(procStat(pid)?.[1]);

/** Runs a sleeping attempt the given way and returns its pid and parent once it is up, then lets it finish. */
async function parentOfAttempt(spawner: 'helper' | 'auto' | 'direct'): Promise<{ pid: number; parent: number; done: Promise<unknown> }> {
  const req = bashRequest('echo $$ > "$BATON_OUTPUT.pid"; sleep 0.3');
  const done = execute(req, spawner);
  const pid = await readPidFile(`${req.outputFile}.pid`);
  return { pid, parent: parentOf(pid), done };
}

describe('spawn helpers', () => {
  it('start the process from a separate node process running the helper', async () => {
    const { parent, done } = await parentOfAttempt('helper');
    expect(parent).not.toBe(process.pid);
    expect(commandLine(parent)).toContain('spawn-helper.js');
    expect(parentOf(parent)).toBe(process.pid);
    await done;
  });

  it('are used by auto only while attempts overlap', async () => {
    const alone = await parentOfAttempt('auto');
    expect(alone.parent).toBe(process.pid);
    await alone.done;

    // A helper is up (the test above started one): with another attempt under way, auto hands the fork over.
    // The first one is held until the second has started, so they overlap however slowly this machine runs.
    const held = bashRequest('echo $$ > "$BATON_OUTPUT.pid"; until [ -e "$BATON_OUTPUT.go" ]; do sleep 0.05; done');
    const first = execute(held, 'auto');
    await readPidFile(`${held.outputFile}.pid`);
    const second = await parentOfAttempt('auto');
    writeFileSync(`${held.outputFile}.go`, '');
    expect(commandLine(second.parent)).toContain('spawn-helper.js');
    await Promise.all([first, second.done]);
  });

  it('ignore SIGINT, SIGTERM and SIGHUP: those are for the driver, which ends its attempts itself', async () => {
    const { parent: helper, done } = await parentOfAttempt('helper');
    await done;
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.kill(helper, signal);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(isGone(helper)).toBe(false);
    const again = await parentOfAttempt('helper');
    expect(again.parent).toBe(helper);
    await again.done;
  });

  it('report an attempt whose helper died as failed, kill its process group, and are replaced', async () => {
    const req = bashRequest('sleep 30 & echo $! > "$BATON_OUTPUT.child"; echo $$ > "$BATON_OUTPUT.pid"; wait');
    const running = execute(req, 'helper');
    const pid = await readPidFile(`${req.outputFile}.pid`);
    const child = await readPidFile(`${req.outputFile}.child`);
    const helper = parentOf(pid);
    try {
      process.kill(helper, 'SIGKILL');
      const result = await running;
      expect(result).toMatchObject({ status: 'failed', pid });
      expect(result.error).toBe("lost track of the process: baton's spawn helper exited (SIGKILL)");
      await waitFor(() => isGone(pid) && isGone(child));
    } finally {
      killQuietly(pid);
      killQuietly(child);
    }
    const next = await parentOfAttempt('helper');
    expect(next.parent).not.toBe(helper);
    expect(commandLine(next.parent)).toContain('spawn-helper.js');
    await next.done;
  });

  it('say why a program could not start, as the direct spawner does', async () => {
    const req = bashRequest('');
    const result = await execute({ ...req, file: 'no-such-command-baton-test', args: [] }, 'helper');
    expect(result).toMatchObject({ status: 'failed', pid: null, error: 'command not found: no-such-command-baton-test' });
    expect(readFileSync(req.stderrPath, 'utf8')).toBe('command not found: no-such-command-baton-test\n');
  });
});
