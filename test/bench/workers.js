// Bench rows for --executor bullmq: 1,000 `command: [true]` tasks over 2 `baton worker`s at concurrency 4 each, against
// the local executor and `xargs -P8`, on a private redis-server; every task must complete in exactly one attempt.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';

export const WORKER_TASKS = Number(process.env.BENCH_WORKER_TASKS) || 1000;
const PARALLEL = 8;

async function freePort() {
  return await new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitUntil(check, what) {
  const end = Date.now() + 30_000;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const answers = (port) =>
  new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write('PING\r\n'));
    socket.on('data', (d) => resolve(String(d).includes('PONG')) || socket.end());
    socket.on('error', () => resolve(false));
  });

/** Every task of the run completed, each in one attempt (no loss, no duplicate); throws otherwise. */
function checkOnce(cwd) {
  const runs = join(cwd, '.baton', 'runs');
  const state = JSON.parse(readFileSync(join(runs, readdirSync(runs)[0], 'state.json'), 'utf8'));
  const tasks = Object.values(state.tasks).filter((t) => t.kind === 'command');
  const bad = tasks.filter((t) => t.status !== 'completed' || t.attempts !== 1);
  if (tasks.length !== WORKER_TASKS || bad.length > 0) throw new Error(`workers bench: ${tasks.length} tasks, ${bad.length} not completed exactly once`);
}

export async function workersBench({ work, env, bin, measure, interleaved, rounds, log }) {
  if (!(await new Promise((r) => spawn('redis-server', ['--version']).on('error', () => r(false)).on('exit', (c) => r(c === 0))))) {
    log('workers: skipped (no redis-server)');
    return [];
  }
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  const redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', work, '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const workers = [];
  try {
    await waitUntil(() => answers(port), 'redis-server');
    for (let i = 0; i < 2; i++) {
      const worker = spawn(process.execPath, [bin, 'worker', '--redis', url, '--concurrency', '4'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
      let said = '';
      worker.stderr.on('data', (d) => (said += d));
      workers.push({ worker, ready: () => said.includes('serving') });
    }
    await waitUntil(() => workers.every((w) => w.ready()), 'the workers');
    const file = join(work, 'workers.yaml');
    writeFileSync(file, `name: workers\ntasks:\n  - id: fan\n    for_each: \${{ [1..${WORKER_TASKS}] }}\n    concurrency: ${PARALLEL}\n    do:\n      - id: t\n        command: ["true"]\n`);
    const run = async (extra) => {
      const cwd = mkdtempSync(join(work, 'workers-'));
      const result = await measure([process.execPath, bin, 'run', file, '--quiet', '--concurrency', String(PARALLEL), ...extra], { cwd, env });
      if (result.code !== 0) throw new Error(`workers bench: baton exited ${result.code}: ${result.stderr}`);
      checkOnce(cwd);
      return result;
    };
    log(`workers: ${WORKER_TASKS} × command: [true] over 2 workers × 4 vs local vs xargs -P${PARALLEL} (${rounds} rounds)`);
    const { median: m, rss } = await interleaved('workers', rounds, {
      floor: () => measure(['sh', '-c', `seq ${WORKER_TASKS} | xargs -P${PARALLEL} -n1 true`], { cwd: work, env }),
      local: () => run([]),
      bullmq: () => run(['--executor', 'bullmq', '--redis', url]),
    });
    return [
      { name: `${WORKER_TASKS} command: [true] on 2 workers × 4 (--executor bullmq; all once)`, batonMs: m.bullmq, floorName: 'local executor', floorMs: m.local, rssKb: rss.bullmq, goal: '≤ 2.0× (≥ ½ throughput)', met: m.bullmq <= 2 * m.local },
      { name: `same ${WORKER_TASKS} on the local executor, concurrency ${PARALLEL}`, batonMs: m.local, floorName: `xargs -P${PARALLEL}`, floorMs: m.floor, rssKb: rss.local, goal: '(info)', met: null },
    ];
  } finally {
    for (const { worker } of workers) worker.kill('SIGKILL');
    redis.kill('SIGKILL');
  }
}
