// `baton worker`: takes attempts from the pools' queues in Redis and runs each with the local executor (own process
// group, timeout, kill grace, output modes), streaming its log back; a watchdog kills its tasks if this process dies.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker, type ConnectionOptions, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { execute } from '../executor/index.js';
import {
  CANCEL_CHANNEL, LOG_FLUSH_BYTES, LOG_FLUSH_MS, lockDurationMs, parseRedisUrl, probeRedis, queueName, stalledIntervalMs,
  startWatchdog, type CancelMessage, type JobData, type JobProgress, type JobResult, type Watchdog,
} from '../executor/remote/index.js';
import { UsageError, type CommandIO } from './io.js';

export interface WorkerOptions {
  redis: string | undefined;
  pools: string[];
  concurrency: number;
}

interface Running {
  abort: AbortController;
  /** Stopped by this worker's own shutdown: handed back to the decider as interrupted. */
  handedBack: boolean;
}

/** Runs until SIGINT/SIGTERM: the first drains (attempts under way finish), a second hands them back at once. */
export async function runWorker(io: CommandIO, o: WorkerOptions): Promise<number> {
  if (o.redis === undefined || o.redis === '') throw new UsageError('baton worker needs --redis URL (or BATON_REDIS_URL)');
  let target;
  try {
    target = parseRedisUrl(o.redis);
    await probeRedis(target);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  for (const pool of o.pools) {
    if (!/^[A-Za-z0-9_.-]{1,64}$/.test(pool)) throw new UsageError(`invalid --pool "${pool}": use 1 to 64 of [A-Za-z0-9_.-]`);
  }
  const connection = { ...target.options, maxRetriesPerRequest: null } as ConnectionOptions;
  const identity = { host: os.hostname(), pid: process.pid };
  const watchdog = startWatchdog();
  const running = new Map<string, Running>();
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'baton-worker-'));

  const subscriber = new Redis({ ...target.options, maxRetriesPerRequest: null });
  subscriber.on('error', () => {});
  subscriber.on('message', (_channel: string, text: string) => {
    let message: CancelMessage;
    try {
      message = JSON.parse(text) as CancelMessage;
    } catch {
      return;
    }
    running.get(message.job)?.abort.abort(message.how);
  });
  await subscriber.subscribe(CANCEL_CHANNEL);

  const processor = (job: Job<JobData>): Promise<JobResult> => runJob(job, { identity, watchdog, running, scratch });
  const workers = o.pools.map((pool) => {
    const worker = new Worker<JobData, JobResult>(queueName(pool), processor, {
      connection,
      concurrency: o.concurrency,
      lockDuration: lockDurationMs(),
      stalledInterval: stalledIntervalMs(),
      maxStalledCount: 0, // a job whose worker died fails (the decider records it interrupted), never re-runs by itself
    });
    worker.on('error', (error) => io.stderr.write(`baton worker: ${error.message}\n`));
    return worker;
  });
  io.stderr.write(`baton worker ${identity.host} pid ${identity.pid}: serving ${o.pools.join(', ')} on ${target.shown} (concurrency ${o.concurrency})\n`);

  let stops = 0;
  const stopped = new Promise<void>((resolve) => {
    const onSignal = (): void => {
      stops++;
      if (stops === 1) {
        io.stderr.write('baton worker: finishing the attempts under way (Ctrl-C again to hand them back now)\n');
        resolve();
      } else {
        for (const r of running.values()) {
          r.handedBack = true;
          r.abort.abort('interrupt');
        }
      }
    };
    for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(s, onSignal);
  });
  await stopped;
  await Promise.all(workers.map((w) => w.close()));
  await subscriber.quit().catch(() => subscriber.disconnect());
  watchdog.stop();
  rmSync(scratch, { recursive: true, force: true });
  return 0;
}

interface JobHost {
  identity: { host: string; pid: number };
  watchdog: Watchdog;
  running: Map<string, Running>;
  scratch: string;
}

async function runJob(job: Job<JobData>, host: JobHost): Promise<JobResult> {
  const data = job.data;
  const id = job.id ?? '';
  const dir = mkdtempSync(path.join(host.scratch, 'job-'));
  const entry: Running = { abort: new AbortController(), handedBack: false };
  host.running.set(id, entry);
  // Progress reaches the decider in order: the pid first, then the log in chunks of at most LOG_FLUSH_BYTES.
  let chain: Promise<unknown> = Promise.resolve();
  const send = (progress: JobProgress): void => {
    chain = chain.then(() => job.updateProgress(progress)).catch(() => {});
  };
  let out = '';
  let err = '';
  let timer: NodeJS.Timeout | undefined;
  const flush = (): void => {
    clearTimeout(timer);
    timer = undefined;
    if (out === '' && err === '') return;
    send({ t: 'log', out, err });
    out = '';
    err = '';
  };
  let pid: number | null = null;
  try {
    const outputFile = path.join(dir, 'output');
    const outcome = await execute({
      file: data.file,
      args: data.args,
      env: { ...stringEnv(process.env), ...data.env, BATON_OUTPUT: outputFile },
      cwd: data.cwd,
      ...(data.stdin === undefined ? {} : { stdin: data.stdin }),
      stdoutPath: path.join(dir, 'stdout.log'),
      stderrPath: path.join(dir, 'stderr.log'),
      outputMode: data.outputMode,
      outputFile,
      ...(data.timeoutMs === undefined ? {} : { timeoutMs: data.timeoutMs }),
      killGraceMs: data.killGraceMs,
      secrets: data.secrets,
      abort: entry.abort.signal,
      onSpawn: (p) => {
        pid = p;
        host.watchdog.watch(p);
        send({ t: 'spawn', pid: p, worker: host.identity });
      },
      onOutput: (stream, text) => {
        if (stream === 'stdout') out += text;
        else err += text;
        if (out.length + err.length >= LOG_FLUSH_BYTES) flush();
        else timer ??= setTimeout(flush, LOG_FLUSH_MS);
      },
    });
    flush();
    await chain;
    return {
      status: outcome.status,
      exitCode: outcome.exitCode,
      signal: outcome.signal,
      output: outcome.output,
      stdout: outcome.stdout,
      stderr: outcome.stderr,
      error: outcome.error,
      durationMs: outcome.durationMs,
      worker: host.identity,
      ...(outcome.outputMasked ? { outputMasked: true } : {}),
      ...(entry.handedBack ? { interrupted: true } : {}),
    };
  } finally {
    if (pid !== null) host.watchdog.unwatch(pid);
    host.running.delete(id);
    rmSync(dir, { recursive: true, force: true });
  }
}

function stringEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) if (value !== undefined) result[name] = value;
  return result;
}
