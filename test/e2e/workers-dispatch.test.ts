// --executor bullmq end to end with a real redis-server and real `baton worker` processes: a fan-out over two workers,
// outcomes and logs coming back (live too), pools, and a Redis that cannot be used.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baton, readState, runJson, start, tempDir, waitFor, writeFiles } from '../helpers/cli.js';
import { linesOf, startRedis, startWorker, stopWorker, type RedisServer, type WorkerProcess } from '../helpers/redis.js';

let redis: RedisServer;
let workers: WorkerProcess[] = [];

beforeAll(async () => {
  redis = await startRedis();
  workers = [startWorker(redis.url, ['--concurrency', '4']), startWorker(redis.url, ['--concurrency', '4']), startWorker(redis.url, ['--pool', 'gpu'])];
  await Promise.all(workers.map((w) => w.ready));
}, 30_000);

afterAll(async () => {
  await Promise.all(workers.map(stopWorker));
  await redis?.stop();
});

describe('--executor bullmq', () => {
  it('runs a 60-task fan-out over two workers, every task exactly once', async () => {
    const cwd = writeFiles(tempDir(), {
      'fan.yaml': `
name: fan
tasks:
  - id: fan
    for_each: \${{ [1..60] }}
    concurrency: 16
    do:
      - id: t
        run: echo "$BATON_TASK_ID \${{ item }}" >> ran.txt
`,
    });
    const r = await runJson(cwd, 'fan.yaml', ['--executor', 'bullmq', '--redis', redis.url, '--concurrency', '16']);
    expect(r.code, r.stderr).toBe(0);
    const lines = linesOf(path.join(cwd, 'ran.txt'));
    expect(lines).toHaveLength(60);
    expect(new Set(lines).size).toBe(60);
    const pids = new Set(Object.values(r.summary.tasks).flatMap((t: any) => (t.workers ?? []).map((w: any) => w.pid)));
    expect(pids).toEqual(new Set([workers[0]!.child.pid, workers[1]!.child.pid]));
  }, 120_000);

  it('brings back exit codes, outputs, logs and the worker, and streams the log while the task runs', async () => {
    const cwd = writeFiles(tempDir(), {
      'wf.yaml': `
name: outcomes
tasks:
  - id: live
    run: |
      echo "first line"
      until [ -e gate ]; do sleep 0.05; done
      echo "last line"
  - id: json
    run: |
      echo '{"n": 7}'; echo 'to stderr' >&2
    output: json
  - id: file
    command: [sh, -c, 'echo "{\\"via\\": \\"file\\"}" > "$BATON_OUTPUT"']
  - id: bad
    run: exit 5
`,
    });
    const driver = start(['run', 'wf.yaml', '--run-id', 'outcomes-1', '--json', '--executor', 'bullmq'], { cwd, env: { BATON_REDIS_URL: redis.url } });
    await waitFor(() => fs.existsSync(path.join(cwd, '.baton/runs/outcomes-1/state.json')), 20_000, 'the run to start');
    const follow = start(['logs', 'outcomes-1', 'live', '--follow'], { cwd });
    let followed = '';
    follow.child.stdout!.on('data', (d) => (followed += d));
    await waitFor(() => followed.includes('first line\n'), 20_000, 'the first line, followed live');
    expect(driver.child.exitCode).toBeNull();
    fs.writeFileSync(path.join(cwd, 'gate'), '');
    const [d, f] = await Promise.all([driver.done, follow.done]);
    expect(f.stdout).toBe('first line\nlast line\n');
    expect(d.code).toBe(1);
    const tasks = JSON.parse(d.stdout).tasks;
    expect(tasks.json).toMatchObject({ status: 'completed', exit_code: 0, output: { n: 7 } });
    expect(tasks.file).toMatchObject({ status: 'completed', output: { via: 'file' } });
    expect(tasks.bad).toMatchObject({ status: 'failed', exit_code: 5, error: 'exit code 5' });
    expect(tasks.bad.workers[0].pid).toBeGreaterThan(0);
    const logs = await baton(['logs', 'outcomes-1', 'json'], { cwd });
    expect(logs.stdout).toBe('{"n": 7}\n');
    const attempt = readState(cwd, 'outcomes-1').tasks.json.history[0];
    expect(fs.readFileSync(path.join(cwd, '.baton/runs/outcomes-1', attempt.stderr_log), 'utf8')).toBe('to stderr\n');
    const status = await baton(['status', 'outcomes-1'], { cwd });
    expect(status.stdout).toMatch(/on worker \S+ pid \d+/);
  }, 60_000);

  it('routes a task to the workers of its pool', async () => {
    const r = await runJson(writeFiles(tempDir(), {
      'wf.yaml': `
name: pools
defaults:
  pool: gpu
tasks:
  - id: train
    run: echo train
  - id: report
    run: echo report
    pool: default
`,
    }), 'wf.yaml', ['--executor', 'bullmq', '--redis', redis.url]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.summary.tasks.train.workers[0].pid).toBe(workers[2]!.child.pid);
    expect([workers[0]!.child.pid, workers[1]!.child.pid]).toContain(r.summary.tasks.report.workers[0].pid);
  }, 60_000);

  it('says once that a pool has no worker (the run would wait without a word), and goes on when one starts', async () => {
    const cwd = writeFiles(tempDir(), { 'wf.yaml': 'name: lonely\ntasks:\n  - { id: t, pool: nobody, run: echo hi }\n  - { id: u, pool: gpu, run: echo served }\n' });
    const driver = start(['run', 'wf.yaml', '--run-id', 'lonely-1', '--executor', 'bullmq', '--redis', redis.url], { cwd, env: { BATON_REMOTE_SWEEP_MS: '300' } });
    let stderr = '';
    driver.child.stderr!.on('data', (d) => (stderr += d));
    const said = `baton: warning: no worker serves pool "nobody" on Redis ${redis.url.replace(/\/$/, '')}: 1 attempt waits for one (start one: baton worker --redis URL --pool nobody)`;
    await waitFor(() => stderr.includes('no worker serves'), 20_000, 'the warning');
    expect(stderr.trim().split('\n')).toContain(said);
    // Several sweeps later, still said once; the served pool is not named.
    await new Promise((r) => setTimeout(r, 1500));
    expect(stderr.split('no worker serves').length - 1).toBe(1);
    expect(stderr).not.toContain('"gpu"');
    const late = startWorker(redis.url, ['--pool', 'nobody']);
    workers.push(late);
    const r = await driver.done;
    expect(r.code, r.stderr).toBe(0);
    expect(readState(cwd, 'lonely-1').tasks.t.history[0].worker.pid).toBe(late.child.pid);
  }, 60_000);

  it('stops with exit 2 and the password masked when Redis cannot be used, before anything is written', async () => {
    const secured = await startRedis({ password: 's3cret-pw' });
    try {
      const cwd = writeFiles(tempDir(), { 'wf.yaml': 'name: x\ntasks:\n  - id: a\n    run: echo hi\n' });
      const wrong = await baton(['run', 'wf.yaml', '--executor', 'bullmq', '--redis', `redis://default:wrong-pw@127.0.0.1:${secured.port}`], { cwd });
      expect(wrong.code).toBe(2);
      expect(wrong.stderr).toContain(`redis://default:***@127.0.0.1:${secured.port}`);
      expect(wrong.stderr + wrong.stdout).not.toContain('wrong-pw');
      const closed = await baton(['run', 'wf.yaml', '--executor', 'bullmq', '--redis', 'redis://u:hidden-pw@127.0.0.1:1'], { cwd });
      expect(closed.code).toBe(2);
      expect(closed.stderr).toMatch(/cannot use Redis at redis:\/\/u:\*\*\*@127\.0\.0\.1:1/);
      expect(closed.stderr).not.toContain('hidden-pw');
      expect(fs.existsSync(path.join(cwd, '.baton'))).toBe(false);
      const worker = await baton(['worker', '--redis', `redis://default:wrong-pw@127.0.0.1:${secured.port}`], { cwd });
      expect(worker.code).toBe(2);
      expect(worker.stderr).not.toContain('wrong-pw');
    } finally {
      await secured.stop();
    }
  }, 60_000);
});
