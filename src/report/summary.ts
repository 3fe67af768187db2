// The run summary: the JSON shape of SPEC §2 (`run --json`, `status --json`), built from a run's state.
import type { RunState, TaskInstance } from '../engine/core/state.js';

interface TaskSummary {
  status: string;
  attempts: number;
  exit_code: number | null;
  duration_ms: number | null;
  output: unknown;
  error?: string | null;
  started_at?: string | null;
  ended_at?: string | null;
  /** --executor bullmq: the worker that ran each attempt (absent when every attempt ran on this machine). */
  workers?: { attempt: number; host: string; pid: number }[];
}

export interface RunSummary {
  id: string;
  workflow: string;
  status: string;
  error: { task: string | null; message: string } | null;
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown>;
  started_at: string;
  ended_at: string | null;
  duration_ms: number | null;
  /** Keyed by instance key, in the state's order. */
  tasks: Record<string, TaskSummary>;
}

export function summarize(state: RunState): RunSummary {
  const tasks = Object.fromEntries(Object.entries(state.tasks).map(([key, task]) => [key, summarizeTask(task)]));
  return {
    id: state.id,
    workflow: state.workflow,
    status: state.status,
    error: state.error ? { task: state.error.task, message: state.error.message } : null,
    inputs: state.inputs,
    outputs: state.outputs ?? {},
    started_at: state.started_at,
    ended_at: state.ended_at,
    duration_ms: elapsedMs(state.started_at, state.ended_at),
    tasks,
  };
}

function summarizeTask(task: TaskInstance): TaskSummary {
  const workers = task.history.flatMap((a) => (a.worker ? [{ attempt: a.n, host: a.worker.host, pid: a.worker.pid }] : []));
  return {
    status: task.status,
    attempts: task.attempts,
    exit_code: task.exit_code,
    duration_ms: task.duration_ms ?? elapsedMs(task.started_at, task.ended_at),
    output: task.output === undefined ? null : task.output,
    error: task.error,
    started_at: task.started_at,
    ended_at: task.ended_at,
    ...(workers.length > 0 ? { workers } : {}),
  };
}

/** Wall-clock milliseconds between two ISO times; null while the second is unknown. */
export function elapsedMs(startedAt: string | null, endedAt: string | null): number | null {
  if (!startedAt || !endedAt) return null;
  const ms = Date.parse(endedAt) - Date.parse(startedAt);
  return Number.isFinite(ms) ? Math.max(0, ms) : null;
}
