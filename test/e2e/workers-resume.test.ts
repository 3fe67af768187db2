// --executor bullmq and a decider killed with kill -9: `baton resume` takes its in-flight attempts up again by job
// id (same attempt number), awaiting a job still running and recording a finished one, never running either twice.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baton, readState, start, tempDir, waitFor, writeFiles } from '../helpers/cli.js';
import { events } from '../helpers/journal.js';
import { linesOf, startRedis, startWorker, stopWorker, type RedisServer, type WorkerProcess } from '../helpers/redis.js';

let redis: RedisServer;
let worker: WorkerProcess;

beforeAll(async () => {
  redis = await startRedis();
  worker = startWorker(redis.url, ['--concurrency', '2']);
  await worker.ready;
}, 30_000);

afterAll(async () => {
  if (worker) await stopWorker(worker);
  await redis?.stop();
});

// Each run of the task adds a ledger line, then waits for the gate; `finished` says its process got to the end.
const BLUEPRINT = `
name: gated
tasks:
  - id: gated
    run: |
      echo run >> ledger
      echo before the gate
      while [ ! -f gate ]; do sleep 0.1; done
      echo after the gate
      echo end >> finished
  - id: next
    run: echo next ran
`;

/** Starts the run, waits until its attempt runs on the worker and streamed its first line, then kill -9s the decider. */
async function killDeciderMidAttempt(cwd: string, id: string): Promise<void> {
  const decider = start(['run', 'wf.yaml', '--run-id', id, '--executor', 'bullmq', '--redis', redis.url], { cwd });
  const log = path.join(cwd, '.baton/runs', id, 'logs/gated.1.stdout');
  await waitFor(() => events(cwd, id).some((e) => e.type === 'attempt_spawned') && fs.existsSync(log) && fs.readFileSync(log, 'utf8').includes('before'), 30_000, 'the remote attempt to start');
  decider.child.kill('SIGKILL');
  await decider.done;
}

function expectRanOnceAsAttemptOne(cwd: string, id: string): void {
  const task = readState(cwd, id).tasks.gated;
  expect(task.status).toBe('completed');
  expect(task.history.map((a: any) => [a.n, a.status])).toEqual([[1, 'completed']]);
  expect(task.history[0].worker.pid).toBe(worker.child.pid);
  expect(events(cwd, id).filter((e) => e.type === 'attempt_started' && e.key === 'gated')).toHaveLength(1);
  expect(readState(cwd, id).tasks.next.status).toBe('completed');
  expect(linesOf(path.join(cwd, 'ledger'))).toEqual(['run']);
  // The log of attempt 1 goes on where the dead decider left it.
  expect(fs.readFileSync(path.join(cwd, '.baton/runs', id, 'logs/gated.1.stdout'), 'utf8')).toBe('before the gate\nafter the gate\n');
}

describe('--executor bullmq: resume after the decider was killed', () => {
  it('a job still running is awaited and recorded as the same attempt', async () => {
    const cwd = writeFiles(tempDir(), { 'wf.yaml': BLUEPRINT });
    await killDeciderMidAttempt(cwd, 'live-1');
    const resume = start(['resume', 'live-1', '--executor', 'bullmq', '--redis', redis.url], { cwd });
    await waitFor(() => events(cwd, 'live-1').filter((e) => e.type === 'driver_started').length === 2, 30_000, 'the resume to take over');
    expect(linesOf(path.join(cwd, 'finished'))).toEqual([]); // still held by the gate while the new decider looks
    fs.writeFileSync(path.join(cwd, 'gate'), '');
    const r = await resume.done;
    expect(r.code, r.stderr).toBe(0);
    expectRanOnceAsAttemptOne(cwd, 'live-1');
  }, 90_000);

  it('a job that finished while the decider was dead: its result is recorded, the task is not run again', async () => {
    const cwd = writeFiles(tempDir(), { 'wf.yaml': BLUEPRINT });
    await killDeciderMidAttempt(cwd, 'done-1');
    fs.writeFileSync(path.join(cwd, 'gate'), '');
    await waitFor(() => linesOf(path.join(cwd, 'finished')).length === 1, 30_000, 'the job to finish');
    const r = await baton(['resume', 'done-1', '--executor', 'bullmq', '--redis', redis.url], { cwd });
    expect(r.code, r.stderr).toBe(0);
    expectRanOnceAsAttemptOne(cwd, 'done-1');
  }, 90_000);

  it('a job taken up again whose worker no longer answers still times out: the new decider keeps the backstop', async () => {
    const frozen = startWorker(redis.url, ['--pool', 'frozen']);
    const cwd = writeFiles(tempDir(), {
      'wf.yaml': 'name: frozen\ntasks:\n  - id: gated\n    pool: frozen\n    timeout: 8s\n    kill_grace: 200ms\n    run: |\n      echo before the gate\n      while [ ! -f gate ]; do sleep 0.1; done\n',
    });
    try {
      await frozen.ready;
      await killDeciderMidAttempt(cwd, 'frozen-1');
      // Alive but stopped: it neither times the attempt out nor answers, and no other worker serves its pool.
      frozen.child.kill('SIGSTOP');
      // Past the second of events a new decider reads back: it does not hear of the spawn, only finds the job active.
      await new Promise((r) => setTimeout(r, 1500));
      const r = await baton(['resume', 'frozen-1', '--executor', 'bullmq', '--redis', redis.url], { cwd, env: { BATON_REMOTE_BACKSTOP_MS: '500', BATON_REMOTE_SWEEP_MS: '300' } });
      expect(r.code, r.stderr).toBe(1);
      const task = readState(cwd, 'frozen-1').tasks.gated;
      expect(task.history.map((a: any) => [a.n, a.status])).toEqual([[1, 'timed_out']]);
      expect(task.history[0].error).toMatch(/no answer from the worker it was running on/);
    } finally {
      fs.writeFileSync(path.join(cwd, 'gate'), '');
      await stopWorker(frozen); // SIGKILL ends a stopped process too; its watchdog then kills the task's group
    }
  }, 90_000);
});
