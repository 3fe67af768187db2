// --executor bullmq when things go wrong: a worker killed mid-attempt (interrupted, run again, nothing of it left),
// and cancel / timeout reaching the remote process group.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baton, isAlive, readState, runJson, start, tempDir, waitFor, writeFiles } from '../helpers/cli.js';
import { linesOf, startRedis, startWorker, stopWorker, type RedisServer, type WorkerProcess } from '../helpers/redis.js';

let redis: RedisServer;
const workers: WorkerProcess[] = [];

beforeAll(async () => {
  redis = await startRedis();
}, 30_000);

afterAll(async () => {
  await Promise.all(workers.map(stopWorker));
  await redis?.stop();
});

async function worker(): Promise<WorkerProcess> {
  const w = startWorker(redis.url, ['--concurrency', '2']);
  workers.push(w);
  await w.ready;
  return w;
}

// The task's shell and a child of it write their pids, then wait: both must be gone after the attempt ends.
const STUCK = `
      sleep 60 & echo $! >> pids
      echo $$ >> pids
      wait`;

/** The journal has the attempt's pid from its worker (the state file is written at the end). */
const spawned = (cwd: string, run: string): boolean => {
  const journal = path.join(cwd, '.baton/runs', run, 'events.jsonl');
  return fs.existsSync(journal) && fs.readFileSync(journal, 'utf8').includes('"attempt_spawned"');
};

const pidsIn = (cwd: string): number[] => linesOf(path.join(cwd, 'pids')).map(Number);

describe('--executor bullmq failures', () => {
  it('a worker killed mid-attempt: the attempt ends interrupted, its processes die, the next attempt runs elsewhere', async () => {
    const first = await worker();
    const cwd = writeFiles(tempDir(), {
      'wf.yaml': `
name: dies
tasks:
  - id: slow
    run: |
      if [ "$BATON_ATTEMPT" = 1 ]; then ${STUCK.trim()}; fi
      echo "done on attempt $BATON_ATTEMPT"
`,
    });
    const driver = start(['run', 'wf.yaml', '--run-id', 'dies-1', '--json', '--executor', 'bullmq', '--redis', redis.url], { cwd });
    // Killed once the worker has the attempt's process group in hand (its watchdog was told before the decider).
    await waitFor(() => pidsIn(cwd).length === 2 && spawned(cwd, 'dies-1'), 30_000, 'the first attempt to start');
    first.child.kill('SIGKILL');
    await first.done;
    await waitFor(() => pidsIn(cwd).every((pid) => !isAlive(pid)), 20_000, 'the watchdog to kill the orphaned task').catch((e) => {
      console.log(pidsIn(cwd), require('node:child_process').execSync('ps -eo pid,ppid,pgid,stat,cmd').toString().split('\n').filter((l: string) => /watchdog|sleep 60|BATON_ATTEMPT|baton.js worker/.test(l)).join('\n'));
      for (const pid of pidsIn(cwd)) console.log(pid, require('node:fs').readdirSync(`/proc/${pid}/fd`).map((f: string) => { try { return require('node:fs').readlinkSync(`/proc/${pid}/fd/${f}`); } catch { return '?'; } }));
      throw e;
    });
    const second = await worker();
    const d = await driver.done;
    expect(d.code, d.stderr).toBe(0);
    const task = readState(cwd, 'dies-1').tasks.slow;
    expect(task.history.map((a: any) => [a.status, a.error])).toEqual([['canceled', 'interrupted'], ['completed', null]]);
    expect(task.history[0].worker.pid).toBe(first.child.pid);
    expect(task.history[1].worker.pid).toBe(second.child.pid);
    expect(task.budget_used).toBe(1); // only the completed attempt: the interrupted one is not counted against retries
  }, 90_000);

  it('cancel and a task timeout kill the remote process group', async () => {
    if (workers.every((w) => w.child.exitCode !== null || w.child.signalCode !== null)) await worker();
    const timedOut = writeFiles(tempDir(), {
      'wf.yaml': `
name: slow
tasks:
  - id: stuck
    timeout: 1s
    kill_grace: 1s
    run: |${STUCK}
`,
    });
    const r = await runJson(timedOut, 'wf.yaml', ['--executor', 'bullmq', '--redis', redis.url]);
    expect(r.summary.tasks.stuck).toMatchObject({ status: 'timed_out', error: 'timed out after 1s' });
    expect(pidsIn(timedOut)).toHaveLength(2);
    for (const pid of pidsIn(timedOut)) expect(isAlive(pid)).toBe(false);

    const canceled = writeFiles(tempDir(), { 'wf.yaml': fs.readFileSync(path.join(timedOut, 'wf.yaml'), 'utf8').replace('timeout: 1s', 'timeout: 1h') });
    const driver = start(['run', 'wf.yaml', '--run-id', 'cancel-1', '--json', '--executor', 'bullmq', '--redis', redis.url], { cwd: canceled });
    await waitFor(() => pidsIn(canceled).length === 2, 30_000, 'the attempt to start');
    const c = await baton(['cancel', 'cancel-1'], { cwd: canceled });
    expect(c.code, c.stderr).toBe(0);
    const d = await driver.done;
    expect(JSON.parse(d.stdout).status).toBe('canceled');
    await waitFor(() => pidsIn(canceled).every((pid) => !isAlive(pid)), 10_000, 'the remote group to die');
  }, 90_000);
});
