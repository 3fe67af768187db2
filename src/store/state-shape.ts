// The whole shape of state.json, as a table per record: checked on every read so damage is reported, never driven on.
import type { Attempt, CapturedText, Frame, RunError, RunState, TaskInstance } from '../engine/core/state.js';
import type { RunStatus, TaskStatus } from '../engine/core/status.js';
import {
  anything, boolean, dict, integer, listOf, mapOf, mismatch, nullable, number, oneOf, optional, record, string,
  type Check, type Problem,
} from './shape.js';

// `satisfies` keeps these lists and tables in step with the engine's types: a new status or field fails to compile here.
const TASK_STATUSES = Object.keys({
  pending: 1, running: 1, waiting: 1, completed: 1, failed: 1, timed_out: 1, canceled: 1, skipped: 1,
} satisfies Record<TaskStatus, 1>);
const RUN_STATUSES = Object.keys({
  running: 1, waiting: 1, completed: 1, failed: 1, timed_out: 1, canceled: 1, interrupted: 1,
} satisfies Record<RunStatus, 1>);
const PHASES = ['main', 'on_failure', 'finally', 'done'] as const satisfies readonly Frame['phase'][];

export const taskStatus = oneOf(TASK_STATUSES);
export const runStatus = oneOf(RUN_STATUSES);
export const phase = oneOf(PHASES);
const time = string;
const count = integer(0);

export const runError = record({ task: nullable(string), message: string } satisfies Record<keyof RunError, Check>);
export const capturedText = record({ text: string, truncated: boolean } satisfies Record<keyof CapturedText, Check>);

export const workerIdentity = record({ host: string, pid: integer(1) });

const attempt = record({
  n: integer(1),
  status: taskStatus,
  started_at: time,
  ended_at: nullable(time),
  exit_code: nullable(integer()),
  signal: nullable(string),
  pid: nullable(integer(1)),
  worker: optional(workerIdentity),
  error: nullable(string),
  stdout_log: string,
  stderr_log: string,
} satisfies Record<keyof Attempt, Check>);

const frame = record({
  phase,
  outcome: nullable(runStatus),
  error: nullable(runError),
  inputs: dict,
  outputs: nullable(dict),
  vars: dict,
} satisfies Record<keyof Frame, Check>);

const instance = record({
  key: string,
  id: string,
  kind: string,
  status: taskStatus,
  attempts: count,
  history: listOf(attempt),
  output: anything,
  stdout: nullable(capturedText),
  stderr: nullable(capturedText),
  exit_code: nullable(integer()),
  started_at: nullable(time),
  ended_at: nullable(time),
  duration_ms: nullable(number),
  error: nullable(string),
  budget_used: count,
  retry_at: nullable(time),
  condition: nullable(boolean),
  items: nullable(listOf(anything)),
  selected: nullable(string),
  iteration: nullable(count),
  deadline: nullable(time),
  ending: nullable(taskStatus),
  cause: optional(nullable(string)),
  frame: optional(frame),
  limit: optional(integer(1)),
} satisfies Record<keyof TaskInstance, Check>);

/** An instance stored under another key than its own would be driven under two names. */
function taskEntry(value: unknown, name: string): Problem | null {
  const problem = instance(value);
  if (problem !== null) return problem;
  const key = (value as { key: string }).key;
  return key === name ? null : { ...mismatch(JSON.stringify(name), key), path: ['key'] };
}

const runState = record({
  schema: string,
  schema_version: integer(1),
  id: string,
  workflow: string,
  status: runStatus,
  error: nullable(runError),
  inputs: dict,
  outputs: nullable(dict),
  vars: dict,
  blueprint_file: string,
  invocation_dir: string,
  started_at: time,
  ended_at: nullable(time),
  phase,
  outcome: nullable(runStatus),
  active_ms: number,
  seq: count,
  tasks: mapOf(taskEntry),
  options: record({ keep_going: boolean, concurrency: nullable(integer(1)), env_files: optional(listOf(string)) }),
} satisfies Record<keyof RunState, Check>);

/** The first thing wrong with a parsed state.json, or null when it has the shape of a RunState. */
export function stateProblem(value: unknown): Problem | null {
  return runState(value);
}
