// What the decider and the workers exchange through Redis: queue names, job ids, job data and results, timings.
import type { ExecOutcome, OutputMode, WorkerIdentity } from '../types.js';

export const DEFAULT_POOL = 'default';

/** BullMQ queue of a pool (names and ids may not hold ':'). */
export function queueName(pool: string): string {
  return `baton-${pool}`;
}

/** Pub/sub channel on which the decider asks workers to stop attempts. */
export const CANCEL_CHANNEL = 'baton:cancel';

/**
 * Job id = run id + attempt + instance key: dispatching an attempt twice (after a decider crash) finds the same job.
 * Keys hold ':' and other characters BullMQ ids may not: they are percent-encoded.
 */
export function jobId(runId: string, key: string, attempt: number): string {
  const safeKey = encodeURIComponent(key).replace(/[!'()*:]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${runId}.${attempt}.${safeKey}`;
}

/** One attempt as a worker receives it. `env` holds only what the decider sets on top of its own environment. */
export interface JobData {
  file: string;
  args: string[];
  env: Record<string, string>;
  cwd: string;
  stdin?: string;
  outputMode: OutputMode;
  timeoutMs?: number;
  killGraceMs: number;
  secrets: string[];
}

/** What a worker sends back while an attempt runs (as BullMQ job progress). */
export type JobProgress =
  | { t: 'spawn'; pid: number; worker: WorkerIdentity }
  | { t: 'log'; out: string; err: string };

/** A worker's result of an attempt (the job's return value): the outcome, less the pid that means nothing here. */
export type JobResult = Omit<ExecOutcome, 'pid' | 'worker'> & { worker: WorkerIdentity };

/** A cancel message: `stop`/`interrupt` SIGTERM then SIGKILL after the grace, `cancel` SIGKILL at once. */
export interface CancelMessage {
  job: string;
  how: 'stop' | 'interrupt' | 'cancel';
}

function envMs(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

/** Lock of a running job; a worker that stops renewing it for this long is dead (BATON_WORKER_LOCK_MS, for tests). */
export const lockDurationMs = (): number => envMs('BATON_WORKER_LOCK_MS', 30_000);
/** How often workers look for jobs whose lock expired (BATON_WORKER_STALL_CHECK_MS). */
export const stalledIntervalMs = (): number => envMs('BATON_WORKER_STALL_CHECK_MS', 15_000);
/** How long the decider waits past a deadline (timeout, cancel + grace) before it gives up on an unreachable worker. */
export const backstopMs = (): number => envMs('BATON_REMOTE_BACKSTOP_MS', 30_000);
/** Finished jobs are kept this long, so a decider that crashed finds their results on resume. */
export const KEEP_FINISHED_S = 7 * 24 * 3600;
/** Log bytes a worker buffers before it sends them (it also sends every LOG_FLUSH_MS). */
export const LOG_FLUSH_BYTES = 64 * 1024;
export const LOG_FLUSH_MS = 100;
