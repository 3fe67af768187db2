// Integration tests of execute() stopping processes: timeouts, kill_grace, cancel/interrupt, and leftovers.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { execute, groupMembers, terminateGroup } from '../../src/executor/index.js';
import { bashRequest, isGone, killQuietly, readPidFile, waitFor } from './executor-helpers.js';

const started: number[] = [];
afterAll(() => started.forEach(killQuietly));

describe('execute: timeout', () => {
  it('SIGTERMs the group on timeout', async () => {
    const result = await execute(bashRequest('sleep 20', { timeoutMs: 200, killGraceMs: 5000 }));
    expect(result).toMatchObject({ status: 'timed_out', exitCode: null, error: 'timed out after 200ms' });
    expect(result.signal).toBe('SIGTERM');
  });

  it('follows with SIGKILL after kill_grace when TERM is ignored', async () => {
    // The timeout leaves bash ample time to install its trap first, even on a loaded machine.
    const req = bashRequest('trap "" TERM; echo ready > ready; sleep 20', { timeoutMs: 1000, killGraceMs: 400 });
    const result = await execute(req);
    expect(result).toMatchObject({ status: 'timed_out', signal: 'SIGKILL', error: 'timed out after 1s' });
    expect(existsSync(join(req.dir, 'ready'))).toBe(true);
    // It ran at least timeout + grace: the grace was honoured before SIGKILL.
    expect(result.durationMs).toBeGreaterThanOrEqual(1350);
  });

  it('leaves no background grandchild behind', async () => {
    const req = bashRequest('sleep 300 & echo $! > bg.pid; sleep 20', { timeoutMs: 1000 });
    const result = await execute(req);
    const bg = await readPidFile(join(req.dir, 'bg.pid'));
    started.push(bg);
    expect(result.status).toBe('timed_out');
    expect(isGone(bg)).toBe(true);
  });

  it('SIGKILLs a TERM-proof grandchild at once when the main process exits', async () => {
    const script = '(trap "" TERM; exec sleep 300) & echo $! > bg.pid; sleep 20';
    const req = bashRequest(script, { timeoutMs: 1000, killGraceMs: 20000 });
    const result = await execute(req);
    const bg = await readPidFile(join(req.dir, 'bg.pid'));
    started.push(bg);
    expect(result).toMatchObject({ status: 'timed_out', signal: 'SIGTERM' });
    expect(isGone(bg)).toBe(true);
    expect(result.durationMs).toBeLessThan(15000); // did not sit out the 20 s grace
  });
});

describe('execute: leftovers', () => {
  it("kills a failed attempt's background child", async () => {
    const req = bashRequest('sleep 300 & echo $! > bg.pid; exit 2');
    const result = await execute(req);
    const bg = await readPidFile(join(req.dir, 'bg.pid'));
    started.push(bg);
    expect(result).toMatchObject({ status: 'failed', error: 'exit code 2' });
    expect(isGone(bg)).toBe(true);
  });

  for (const piped of [false, true]) {
    it(`leaves a completed attempt's background child running, found by groupMembers (${piped ? 'piped' : 'files'})`, async () => {
      const req = bashRequest('sleep 300 & echo $! > bg.pid; echo done', { secrets: piped ? ['s3cret'] : [] });
      const result = await execute(req);
      const bg = await readPidFile(join(req.dir, 'bg.pid'));
      started.push(bg);
      expect(result).toMatchObject({ status: 'completed', stdout: { text: 'done\n' } });
      expect(isGone(bg)).toBe(false);
      expect(groupMembers(result.pid as number).map((member) => member.pid)).toContain(bg);
      // The forked subshell may not have exec'd sleep yet, so its command line can still read as bash's.
      await waitFor(() => groupMembers(result.pid as number).some((m) => m.pid === bg && m.command === 'sleep 300'));
      await terminateGroup(result.pid as number, 2000);
      expect(isGone(bg)).toBe(true);
      expect(groupMembers(result.pid as number)).toEqual([]);
    });
  }
});

describe('execute: abort', () => {
  it("'cancel' kills the group at once", async () => {
    const controller = new AbortController();
    const req = bashRequest('trap "" TERM; echo ready > ready; sleep 20', { abort: controller.signal, killGraceMs: 20000 });
    const running = execute(req);
    await waitFor(() => existsSync(join(req.dir, 'ready')));
    controller.abort('cancel');
    const result = await running;
    expect(result).toMatchObject({ status: 'canceled', signal: 'SIGKILL', error: 'canceled' });
    expect(result.durationMs).toBeLessThan(15000); // no grace for a cancel
  });

  it("'interrupt' SIGTERMs the group so traps run", async () => {
    const controller = new AbortController();
    const script = 'trap "echo got TERM; exit 7" TERM; echo ready > ready; sleep 20 & wait';
    const req = bashRequest(script, { abort: controller.signal });
    const running = execute(req);
    await waitFor(() => existsSync(join(req.dir, 'ready')));
    controller.abort('interrupt');
    const result = await running;
    expect(result).toMatchObject({ status: 'canceled', exitCode: 7, error: 'interrupted', stdout: { text: 'got TERM\n' } });
  });

  it('an already aborted signal starts nothing', async () => {
    const req = bashRequest('echo ran > ran', { abort: AbortSignal.abort('cancel') });
    const result = await execute(req);
    expect(result).toMatchObject({ status: 'canceled', pid: null });
    expect(existsSync(join(req.dir, 'ran'))).toBe(false);
  });

  it('reports the pid through onSpawn before it ends', async () => {
    let seen: number | null = null;
    const result = await execute(bashRequest('echo $$', { outputMode: 'text', onSpawn: (pid) => (seen = pid) }));
    expect(seen).toBe(result.pid);
    expect(result.output).toBe(String(result.pid));
  });
});
