// The shape of each journal event and what it must refer to (a task instance, an attempt, a sub-run), checked before replay.
import type { RunEvent, RunEventType } from '../engine/core/events.js';
import { StoreError } from './errors.js';
import { capturedText, phase, runError, runStatus, taskStatus, workerIdentity } from './state-shape.js';
import {
  anything, boolean, dict, integer, listOf, nullable, number, oneOf, optional, record, string, explain, type Check,
} from './shape.js';

type Fields<T extends RunEventType> = Record<Exclude<keyof Extract<RunEvent, { type: T }>, 'seq' | 'at' | 'type'>, Check>;

const key = string;
const time = string;
const attemptNumber = integer(1);

// `satisfies` keeps the table in step with events.ts: a new event type or field fails to compile here.
const EVENT_FIELDS = {
  run_created: { id: string, workflow: string, inputs: dict },
  driver_started: { pid: integer(1), host: string },
  driver_stopped: { status: runStatus, active_ms: number },
  task_evaluated: { key, id: string, kind: string, field: oneOf(['condition', 'items', 'selected', 'continue']), value: anything, limit: optional(integer(1)) },
  task_skipped: { key, id: string, kind: string, reason: optional(string) },
  task_started: { key, id: string, kind: string, deadline: optional(nullable(time)), inputs: optional(dict) },
  attempt_started: { key, id: string, kind: string, attempt: attemptNumber, stdout_log: string, stderr_log: string },
  attempt_spawned: { key, attempt: attemptNumber, pid: integer(1), worker: optional(workerIdentity) },
  attempt_ended: {
    key, attempt: attemptNumber, status: taskStatus, exit_code: nullable(integer()), signal: nullable(string), error: nullable(string),
    output: anything, stdout: nullable(capturedText), stderr: nullable(capturedText), retry_at: nullable(time), counted: boolean,
  },
  task_ended: { key, status: taskStatus, output: anything, error: nullable(string), cause: optional(nullable(string)) },
  task_ending: { key, status: taskStatus, error: nullable(string), cause: optional(nullable(string)) },
  loop_iteration: { key, iteration: integer(0) },
  vars_set: { key, frame: string, values: dict },
  run_outcome: { frame: string, status: runStatus, error: nullable(runError), outputs: nullable(dict) },
  phase_changed: { frame: string, phase },
  run_ended: { status: runStatus, error: nullable(runError) },
  run_status: { status: oneOf(['running', 'waiting']) },
  subrun_retry: { key, attempt: attemptNumber, retry_at: time },
  cancel_requested: { by: string },
  signal_received: { keys: listOf(string), name: nullable(string), data: anything, failed: boolean, reason: nullable(string) },
  run_reset: {
    reason: oneOf(['retry', 'rerun']),
    reset: listOf(string),
    reopen: listOf(record({ key: string, iteration: nullable(integer(0)) })),
    frames: listOf(string),
    vars: dict,
  },
} satisfies { [T in RunEventType]: Fields<T> };

const EVENT_CHECKS = new Map<string, Check>(
  Object.entries(EVENT_FIELDS).map(([type, fields]) => [type, record({ at: time, ...(fields as Record<string, Check>) })]),
);

/** Events that change an instance that must already be on record (the others create it, carrying its id and kind). */
const ON_EXISTING_INSTANCE = new Set(['attempt_spawned', 'attempt_ended', 'task_ending', 'task_ended', 'loop_iteration', 'subrun_retry']);

interface RecordedTasks {
  tasks: Record<string, { history: { n: number }[]; frame?: unknown }>;
}

function frameProblem(state: RecordedTasks, frame: string): string | null {
  if (frame === '' || state.tasks[frame]?.frame !== undefined) return null;
  return `the run has no sub-run of "${frame}"`;
}

/** What is wrong with `event` (already known to have a valid `seq`) replayed onto `state` as recorded so far, or null. */
export function eventProblem(state: RecordedTasks, event: Record<string, unknown>): string | null {
  const type = event['type'];
  const check = typeof type === 'string' ? EVENT_CHECKS.get(type) : undefined;
  if (check === undefined) return `unknown event type ${JSON.stringify(type ?? null)}`;
  const problem = check(event);
  if (problem !== null) return explain(problem);
  const e = event as unknown as RunEvent;
  if (e.type === 'task_evaluated' && e.field === 'items' && !Array.isArray(e.value)) return 'value should be an array (the items)';
  if (ON_EXISTING_INSTANCE.has(e.type)) {
    const name = (e as { key: string }).key;
    const instance = Object.hasOwn(state.tasks, name) ? state.tasks[name] : undefined;
    if (instance === undefined) return `task "${name}" is not in the run`;
    if (e.type === 'attempt_spawned' || e.type === 'attempt_ended') {
      if (!instance.history.some((a) => a.n === e.attempt)) return `task "${name}" has no attempt ${e.attempt}`;
    }
  }
  if (e.type === 'vars_set' || e.type === 'run_outcome' || e.type === 'phase_changed') return frameProblem(state, e.frame);
  if (e.type === 'run_reset') {
    for (const frame of e.frames) {
      const problem = frameProblem(state, frame);
      if (problem !== null) return problem;
    }
  }
  return null;
}

/** Throws a StoreError naming the journal line when `event` cannot be replayed onto `state`. */
export function checkEvent(state: RecordedTasks, event: Record<string, unknown>, file: string, line: number): void {
  const problem = eventProblem(state, event);
  if (problem === null) return;
  const type = typeof event['type'] === 'string' ? ` (${event['type']})` : '';
  throw new StoreError('corrupt', `${file}:${line}: event ${String(event['seq'])}${type} cannot be replayed: ${problem}`, file);
}
