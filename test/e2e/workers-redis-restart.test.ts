// --executor bullmq across a Redis crash: kill -9 and restart (append-only file on) mid-run, and the run completes
// with every task run exactly once.
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { start, tempDir, waitFor, writeFiles } from '../helpers/cli.js';
import { linesOf, startRedis, startWorker, stopWorker, type RedisServer, type WorkerProcess } from '../helpers/redis.js';

let redis: RedisServer | undefined;
const workers: WorkerProcess[] = [];

afterAll(async () => {
  await Promise.all(workers.map(stopWorker));
  await redis?.stop();
});

describe('--executor bullmq and Redis', () => {
  it('carries on after Redis is killed and restarted mid-run: nothing lost, nothing run twice', async () => {
    redis = await startRedis({ persist: true });
    // Locks outlive the outage (as the default 30 s does): a worker that is fine is not taken for dead.
    const env = { BATON_WORKER_LOCK_MS: '20000', BATON_WORKER_STALL_CHECK_MS: '5000' };
    workers.push(startWorker(redis.url, ['--concurrency', '3'], env), startWorker(redis.url, ['--concurrency', '3'], env));
    await Promise.all(workers.map((w) => w.ready));
    const cwd = writeFiles(tempDir(), {
      'wf.yaml': `
name: restart
tasks:
  - id: fan
    for_each: \${{ [1..50] }}
    concurrency: 6
    do:
      - id: t
        run: echo "\${{ item }}" >> ran.txt; sleep 0.2
`,
    });
    const driver = start(['run', 'wf.yaml', '--json', '--executor', 'bullmq', '--redis', redis.url, '--concurrency', '6'], { cwd });
    const ran = path.join(cwd, 'ran.txt');
    await waitFor(() => linesOf(ran).length >= 10, 60_000, 'some tasks to run');
    await redis.crash();
    await new Promise((r) => setTimeout(r, 500));
    await redis.restart();
    const d = await driver.done;
    expect(d.code, d.stderr).toBe(0);
    const lines = linesOf(ran);
    expect(new Set(lines).size).toBe(50);
    expect(lines).toHaveLength(50);
  }, 180_000);
});
