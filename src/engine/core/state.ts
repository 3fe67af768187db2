// Run types: the recorded state of one run (state.json), separate from the blueprint's definition types.
import type { RunStatus, TaskStatus } from './status.js';

export const STATE_SCHEMA = 'baton/run';
export const STATE_SCHEMA_VERSION = 1;

export interface CapturedText {
  text: string;
  /** True when only the last 64 KiB were kept. */
  truncated: boolean;
}

export interface Attempt {
  n: number;
  status: TaskStatus;
  started_at: string;
  ended_at: string | null;
  exit_code: number | null;
  signal: string | null;
  pid: number | null;
  /** The remote worker that ran it (--executor bullmq); `pid` is then that worker machine's pid. Absent: this machine. */
  worker?: { host: string; pid: number };
  error: string | null;
  /** Log files of this attempt, relative to the run folder. */
  stdout_log: string;
  stderr_log: string;
}

export interface TaskInstance {
  key: string;
  id: string;
  kind: string;
  status: TaskStatus;
  /** Number of attempts started (command and workflow tasks); 0 for a task that did not run. */
  attempts: number;
  history: Attempt[];
  output: unknown;
  stdout: CapturedText | null;
  stderr: CapturedText | null;
  exit_code: number | null;
  started_at: string | null;
  ended_at: string | null;
  duration_ms: number | null;
  error: string | null;
  /** Attempts counted against the retry budget since the last reset (rerun gives a fresh budget). */
  budget_used: number;
  /** When the next attempt may start (a retry waiting out its delay). */
  retry_at: string | null;
  /** Result of `if`, recorded once so it is never re-evaluated. */
  condition: boolean | null;
  /** for_each: the evaluated items, recorded so a resumed run iterates the same ones. */
  items: unknown[] | null;
  /** for_each: a `concurrency` expression's value, evaluated with the items (absent: the blueprint's number, or none). */
  limit?: number;
  /** switch: the value the expression gave, as text (no matching case: the `default` list ran). */
  selected: string | null;
  /** loop: the iteration now running (0-based). */
  iteration: number | null;
  /** wait: when a duration wait ends; signal waits have none. */
  deadline: string | null;
  /** Set while the instance's descendants are being canceled (fail_fast, timeout); the status to end with. */
  ending: TaskStatus | null;
  /** A control-flow or workflow task that failed because of a task inside it: that task's key (the root cause). */
  cause?: string | null;
  /** workflow tasks: the sub-run's own progress (its tasks are the instances keyed `<key>/...`). */
  frame?: Frame;
}

/** The progress of a run or sub-run beyond its tasks: which part is driven and how it ends. */
export interface Frame {
  phase: Phase;
  /** The status it ends with once its handlers are done (set when the main tasks end). */
  outcome: RunStatus | null;
  error: RunError | null;
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown> | null;
  vars: Record<string, unknown>;
}

export interface RunError {
  task: string | null;
  message: string;
}

export type Phase = 'main' | 'on_failure' | 'finally' | 'done';

export interface RunState {
  schema: typeof STATE_SCHEMA;
  schema_version: number;
  id: string;
  workflow: string;
  status: RunStatus;
  error: RunError | null;
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown> | null;
  vars: Record<string, unknown>;
  /** Absolute path of the blueprint file the run was started from. */
  blueprint_file: string;
  /** The directory baton was started from; tasks run there. */
  invocation_dir: string;
  started_at: string;
  ended_at: string | null;
  /** Which part of the run is being driven: the main tasks, then handlers. */
  phase: Phase;
  /** The status the run ends with once its handlers are done (set when the main tasks end). */
  outcome: RunStatus | null;
  /** Milliseconds a driver spent driving the main tasks (the run `timeout` counts only these). */
  active_ms: number;
  /** Number of journal events applied; the snapshot is complete up to this one. */
  seq: number;
  /** Keyed by instance key; made by `instanceMap()`, so ids such as `constructor` or `__proto__` are plain keys. */
  tasks: Record<string, TaskInstance>;
  /** Options the run was started with, reused by resume. */
  /** `env_files`: absolute paths of the run's `--env-file`s, read again by each driver (their values are never stored). */
  options: { keep_going: boolean; concurrency: number | null; env_files?: string[] };
}

/** A map keyed by task ids or instance keys: no prototype, so `constructor`, `toString` or `__proto__` are ordinary keys. */
export function instanceMap<T>(entries: Record<string, T> = {}): Record<string, T> {
  return Object.assign(Object.create(null) as Record<string, T>, entries);
}
