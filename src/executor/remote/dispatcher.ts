// The remote executor (the engine's Executor port over BullMQ): each attempt becomes a job on its pool's queue; the
// worker's progress brings the pid and the log back, its return value the outcome. Local process functions stay local.
import { Queue, QueueEvents, type ConnectionOptions } from 'bullmq';
import { Redis } from 'ioredis';
import type { CapturedTail, ExecOutcome, ExecRequest, WorkerIdentity } from '../types.js';
import { clearAttemptFiles, LazyLog } from '../logs.js';
import { localExecutor } from '../local.js';
import { maskText } from '../masking.js';
import {
  backstopMs, CANCEL_CHANNEL, DEFAULT_POOL, jobId, KEEP_FINISHED_S, queueName,
  type CancelMessage, type JobData, type JobProgress, type JobResult,
} from './protocol.js';
import type { RedisTarget } from './redis-url.js';

interface Pending {
  req: ExecRequest;
  pool: string;
  startedAt: number;
  worker?: WorkerIdentity;
  timers: NodeJS.Timeout[];
  /** The decider's own timeout backstop is set (once the attempt is known to run on a worker). */
  backstopArmed?: boolean;
  /** The attempt's logs on this machine, created on their first streamed byte as for a local attempt. */
  logs: { stdout: LazyLog; stderr: LazyLog };
  onAbort?: () => void;
  resolve(outcome: ExecOutcome): void;
}

interface PoolQueue {
  queue: Queue;
  events: QueueEvents;
}

/** How often attempts under way are checked against Redis (a missed event, a Redis that lost its data). */
const SWEEP_MS = Number(process.env.BATON_REMOTE_SWEEP_MS) > 0 ? Number(process.env.BATON_REMOTE_SWEEP_MS) : 5000;

export class RemoteExecutor {
  private readonly pools = new Map<string, Promise<PoolQueue>>();
  private readonly pending = new Map<string, Pending>();
  private readonly publisher: Redis;
  private readonly sweeper: NodeJS.Timeout;
  private sweeping = false;
  /** Pools said to have no worker (said again only after one came and went). */
  private readonly idlePools = new Set<string>();

  // The local process functions: only attempts of this machine ever have a pid the driver sees.
  readonly signalGroup = localExecutor.signalGroup;
  readonly terminateGroup = localExecutor.terminateGroup;
  readonly killGroup = localExecutor.killGroup;
  readonly membersOfGroups = localExecutor.membersOfGroups;
  readonly findRunProcesses = localExecutor.findRunProcesses;
  readonly killRunProcesses = localExecutor.killRunProcesses;
  /** A job outlives the decider that queued it: a new decider takes it up by its id (see `check`). */
  readonly reattaches = true;

  constructor(
    private readonly target: RedisTarget,
    /** Tells the person running the decider what it cannot fix itself (a pool nobody serves). */
    private readonly warn: (text: string) => void = () => {},
  ) {
    this.publisher = new Redis({ ...target.options, maxRetriesPerRequest: null });
    this.publisher.on('error', () => {}); // ioredis reconnects by itself; the sweep and backstops cover the gap
    this.sweeper = setInterval(() => void this.sweep(), SWEEP_MS);
    this.sweeper.unref();
  }

  private connection(): ConnectionOptions {
    // BullMQ's types describe ioredis 5's options; ioredis 6 takes the same ones.
    return { ...this.target.options, maxRetriesPerRequest: null } as ConnectionOptions;
  }

  private pool(name: string): Promise<PoolQueue> {
    let pool = this.pools.get(name);
    if (!pool) {
      pool = this.openPool(name);
      this.pools.set(name, pool);
    }
    return pool;
  }

  private async openPool(name: string): Promise<PoolQueue> {
    const queue = new Queue(queueName(name), { connection: this.connection(), streams: { events: { maxLen: 100_000 } } });
    // From a moment ago, so no event of a job added once this resolves is missed (BullMQ's default reads from `$`).
    const events = new QueueEvents(queueName(name), { connection: this.connection(), lastEventId: `${Date.now() - 1000}-0` });
    queue.on('error', () => {});
    events.on('error', () => {});
    events.on('progress', ({ jobId: id, data }) => this.progress(id, data as JobProgress));
    events.on('completed', ({ jobId: id, returnvalue }) => this.settleResult(id, returnvalue as unknown as JobResult));
    events.on('failed', ({ jobId: id, failedReason }) => this.settleFailure(id, failedReason));
    events.on('duplicated', ({ jobId: id }) => void this.check(id));
    await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);
    return { queue, events };
  }

  execute(req: ExecRequest): Promise<ExecOutcome> {
    const startedAt = performance.now();
    const fail = (error: string): ExecOutcome => this.outcome(req, startedAt, { status: 'failed', error });
    if (!req.job) return Promise.resolve(fail('the remote executor was given an attempt without its identity'));
    const reattach = req.job.reattach === true;
    try {
      // Nothing stale or planted at the attempt's paths, as for a local attempt; one taken up again keeps its logs.
      if (!reattach) clearAttemptFiles(req);
    } catch (error) {
      return Promise.resolve(fail(`could not prepare the log files: ${(error as Error).message}`));
    }
    const id = jobId(req.job.runId, req.job.key, req.job.attempt);
    const pool = req.job.pool ?? DEFAULT_POOL;
    return new Promise<ExecOutcome>((resolve) => {
      const entry: Pending = { req, pool, startedAt, timers: [], logs: { stdout: new LazyLog(req.stdoutPath, reattach), stderr: new LazyLog(req.stderrPath, reattach) }, resolve };
      this.pending.set(id, entry);
      if (req.abort) {
        entry.onAbort = () => void this.abort(id);
        req.abort.addEventListener('abort', entry.onAbort, { once: true });
        if (req.abort.aborted) return void this.abort(id);
      }
      this.dispatch(id, pool, req).catch((error: unknown) => {
        this.settle(id, { status: 'failed', error: `could not queue the attempt on Redis ${this.target.shown}: ${(error as Error).message}` });
      });
    });
  }

  private async dispatch(id: string, pool: string, req: ExecRequest): Promise<void> {
    const { queue } = await this.pool(pool);
    if (!this.pending.has(id)) return;
    await queue.add('attempt', jobData(req), {
      jobId: id,
      attempts: 1, // baton owns retries
      removeOnComplete: { age: KEEP_FINISHED_S },
      removeOnFail: { age: KEEP_FINISHED_S },
    });
  }

  /** Cancel, fail-fast, timeouts, Ctrl-C: a job still waiting is removed; a running one is stopped by its worker. */
  private async abort(id: string): Promise<void> {
    const entry = this.pending.get(id);
    if (!entry) return;
    const reason = entry.req.abort?.reason;
    const how: CancelMessage['how'] = reason === 'interrupt' || reason === 'stop' ? reason : 'cancel';
    const error = how === 'interrupt' ? 'interrupted' : how === 'stop' ? 'canceled' : 'canceled';
    // The backstop: a worker that cannot be reached does not hold the run forever.
    entry.timers.push(setTimeout(() => this.settle(id, { status: 'canceled', error }), entry.req.killGraceMs + backstopMs()));
    try {
      const { queue } = await this.pool(entry.pool);
      const removed = await queue.remove(id).catch(() => 0);
      if (removed === 1) return this.settle(id, { status: 'canceled', error: `${error} before it started` });
      await this.publisher.publish(CANCEL_CHANNEL, JSON.stringify({ job: id, how } satisfies CancelMessage));
    } catch {
      /* Redis is away: the backstop ends the attempt */
    }
  }

  private progress(id: string, data: JobProgress): void {
    const entry = this.pending.get(id);
    if (!entry || typeof data !== 'object' || data === null) return;
    if (data.t === 'spawn') {
      entry.worker = data.worker;
      this.armTimeoutBackstop(id, entry, `worker ${data.worker.host} pid ${data.worker.pid}`);
      try {
        entry.req.onSpawn?.(data.pid, data.worker);
      } catch {
        /* bookkeeping must not stop the attempt */
      }
    } else if (data.t === 'log') {
      if (data.out !== '') this.appendLog(entry, 'stdout', data.out);
      if (data.err !== '') this.appendLog(entry, 'stderr', data.err);
    }
  }

  /** The worker times the attempt out; if it cannot be heard from, the decider does, a backstop later. */
  private armTimeoutBackstop(id: string, entry: Pending, who: string): void {
    const { timeoutMs, killGraceMs } = entry.req;
    if (timeoutMs === undefined || entry.backstopArmed) return;
    entry.backstopArmed = true;
    entry.timers.push(setTimeout(() => {
      void this.publisher.publish(CANCEL_CHANNEL, JSON.stringify({ job: id, how: 'cancel' } satisfies CancelMessage)).catch(() => {});
      this.settle(id, { status: 'timed_out', error: `timed out (no answer from ${who})` });
    }, timeoutMs + killGraceMs + backstopMs()));
  }

  private appendLog(entry: Pending, stream: 'stdout' | 'stderr', text: string): void {
    entry.logs[stream].write(text); // a full disk loses log lines, not the attempt: the outcome carries the tails
    entry.req.onOutput?.(stream, text);
  }

  private settleResult(id: string, result: JobResult): void {
    if (typeof result !== 'object' || result === null) return this.settle(id, { status: 'failed', error: 'the worker sent no result' });
    this.settle(id, {
      status: result.status,
      exitCode: result.exitCode,
      signal: result.signal,
      output: result.output,
      stdout: result.stdout,
      stderr: result.stderr,
      error: result.error,
      durationMs: result.durationMs,
      worker: result.worker,
      ...(result.outputMasked ? { outputMasked: true } : {}),
      ...(result.interrupted ? { interrupted: true } : {}),
    });
  }

  private settleFailure(id: string, reason: string): void {
    // A stalled job lost its worker (its lock expired): interrupted, to be run again outside the retry budget.
    if (/stalled|lock/i.test(reason)) return this.settle(id, { status: 'canceled', error: 'interrupted: its worker went away', interrupted: true });
    this.settle(id, { status: 'failed', error: `the worker failed: ${reason}` });
  }

  /** A job already known to Redis (dispatched before a crash, or an event missed): its result if it has one. */
  private async check(id: string): Promise<void> {
    const entry = this.pending.get(id);
    if (!entry) return;
    const { queue } = await this.pool(entry.pool);
    const job = await queue.getJob(id);
    if (!this.pending.has(id)) return;
    if (!job) return void this.dispatch(id, entry.pool, entry.req).catch(() => {}); // Redis lost it: same id again
    if (job.finishedOn === undefined) {
      // Taken up again while a worker runs it: this decider saw no spawn, so the backstop counts from now.
      if (job.processedOn !== undefined && entry.worker === undefined) this.armTimeoutBackstop(id, entry, 'the worker it was running on');
      return;
    }
    if (job.failedReason) this.settleFailure(id, job.failedReason);
    else this.settleResult(id, job.returnvalue as JobResult);
  }

  private async sweep(): Promise<void> {
    if (this.sweeping) return;
    this.sweeping = true;
    try {
      const now = performance.now();
      for (const [id, entry] of this.pending) {
        if (now - entry.startedAt < SWEEP_MS) continue;
        await this.check(id).catch(() => {});
      }
      await this.warnIdlePools(now);
    } finally {
      this.sweeping = false;
    }
  }

  /** Attempts that wait in a pool no worker serves would wait forever without a word: say so, once per pool. */
  private async warnIdlePools(now: number): Promise<void> {
    const waiting = new Map<string, number>();
    for (const entry of this.pending.values()) {
      if (entry.worker === undefined && now - entry.startedAt >= SWEEP_MS) waiting.set(entry.pool, (waiting.get(entry.pool) ?? 0) + 1);
    }
    for (const [pool, count] of waiting) {
      // Workers are Redis clients named after their queue; a Redis that refuses CLIENT LIST leaves nothing to say.
      const workers = await this.pool(pool).then(({ queue }) => queue.getWorkersCount()).catch(() => null);
      if (workers === null) continue;
      if (workers > 0) {
        this.idlePools.delete(pool);
        continue;
      }
      if (this.idlePools.has(pool)) continue;
      this.idlePools.add(pool);
      const attempts = count === 1 ? '1 attempt waits' : `${count} attempts wait`;
      this.warn(`no worker serves pool "${pool}" on Redis ${this.target.shown}: ${attempts} for one (start one: baton worker --redis URL --pool ${pool})`);
    }
  }

  private settle(id: string, fields: Partial<ExecOutcome> & Pick<ExecOutcome, 'status' | 'error'>): void {
    const entry = this.pending.get(id);
    if (!entry) return;
    this.pending.delete(id);
    for (const timer of entry.timers) clearTimeout(timer);
    entry.logs.stdout.close();
    entry.logs.stderr.close();
    if (entry.req.job?.reattach) {
      restoreLog(entry.req.stdoutPath, fields.stdout);
      restoreLog(entry.req.stderrPath, fields.stderr);
    }
    if (entry.onAbort) entry.req.abort?.removeEventListener('abort', entry.onAbort);
    entry.resolve(this.outcome(entry.req, entry.startedAt, { ...(entry.worker ? { worker: entry.worker } : {}), ...fields }));
  }

  private outcome(req: ExecRequest, startedAt: number, fields: Partial<ExecOutcome> & Pick<ExecOutcome, 'status' | 'error'>): ExecOutcome {
    return {
      exitCode: null,
      signal: null,
      output: null,
      stdout: { text: '', truncated: false },
      stderr: { text: '', truncated: false },
      durationMs: Math.round(performance.now() - startedAt),
      ...fields,
      pid: null, // the worker's pid is no process of this machine (it is in `worker` and in the journal)
      error: fields.error === null ? null : maskText(fields.error, req.secrets),
    };
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
    const pools = await Promise.allSettled(this.pools.values());
    await Promise.allSettled(pools.flatMap((p) => (p.status === 'fulfilled' ? [p.value.events.close(), p.value.queue.close()] : [])));
    this.publisher.disconnect();
  }
}

/** A job taken up again streamed part of its log to no decider: its whole (masked) tail, when it has it, is the log. */
function restoreLog(file: string, tail: CapturedTail | undefined): void {
  if (!tail || tail.truncated || tail.text === '') return;
  const log = new LazyLog(file);
  log.write(tail.text);
  log.close();
}

/** What the worker needs: the decider's own environment is not sent (the worker has its own), only what baton adds. */
function jobData(req: ExecRequest): JobData {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.env)) if (process.env[name] !== value) env[name] = value;
  return {
    file: req.file,
    args: req.args,
    env,
    cwd: req.cwd,
    ...(req.stdin === undefined ? {} : { stdin: req.stdin }),
    outputMode: req.outputMode,
    ...(req.timeoutMs === undefined ? {} : { timeoutMs: req.timeoutMs }),
    killGraceMs: req.killGraceMs,
    secrets: req.secrets.filter((s) => s !== ''),
  };
}
