// The commands worth running next for a run, written so they can be pasted into any shell (bash, zsh, fish).
import type { RunState, TaskInstance } from '../engine/core/state.js';
import type { RunStatus } from '../engine/core/status.js';
import type { TaskInfoLookup } from './task-info.js';

/** A word as a shell reads it back unchanged: single-quoted when it holds anything but [A-Za-z0-9_./:@%+=,-]. */
export function shellWord(text: string): string {
  return /^[A-Za-z0-9_./:@%+=,-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

/** The failed task to look at: the root cause of the run's error (a control-flow task names the one inside it). */
function failedTask(state: RunState): TaskInstance | undefined {
  let task = state.tasks[state.error?.task ?? ''] ?? Object.values(state.tasks).find((t) => t.status === 'failed' || t.status === 'timed_out');
  const seen = new Set<string>();
  while (task?.cause && state.tasks[task.cause] && !seen.has(task.key)) {
    seen.add(task.key);
    task = state.tasks[task.cause];
  }
  return task;
}

/** `baton logs <run> <task>` for the failed task, when it has logs to show (a `wait` or `set` task writes none). */
export function logsStep(state: RunState, status: RunStatus): string | null {
  if (status === 'completed') return null;
  const task = failedTask(state);
  if (!task || task.history.length === 0) return null;
  return `baton logs ${shellWord(state.id)} ${shellWord(task.key)}`;
}

/** How to answer each `wait: {signal}` task the run waits in: by signal name when the blueprint says it, else by key. */
export function signalSteps(state: RunState, status: RunStatus, info?: TaskInfoLookup): string[] {
  if (status !== 'waiting' && status !== 'interrupted' && status !== 'running') return [];
  const waiting = Object.values(state.tasks).filter((t) => t.kind === 'wait' && t.status === 'waiting' && t.deadline === null);
  const targets = new Set(waiting.map((t) => info?.(t.key)?.signal ?? t.key));
  return [...targets].map((target) => `baton signal ${shellWord(state.id)} ${shellWord(target)}`);
}
