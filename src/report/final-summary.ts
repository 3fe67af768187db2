// What a reporter prints when the run is over: the task table (TTY), status counts, duration and next-step hints.
import { sanitizeText } from './sanitize.js';
import type { RunState, TaskInstance } from '../engine/core/state.js';
import { keyPattern } from '../engine/core/keys.js';
import type { TaskStatus } from '../engine/core/status.js';
import { formatDuration, parseTime, type Palette, type Tone } from './format.js';
import { logsStep, signalSteps } from './next-steps.js';
import { statusTone } from './status-look.js';
import type { TaskInfoLookup } from './task-info.js';

const STATUS_ORDER: TaskStatus[] = ['completed', 'failed', 'timed_out', 'canceled', 'skipped', 'running', 'waiting', 'pending'];
/** Above this many rows the table folds for_each / loop instances into one row per pattern. */
const MAX_TABLE_ROWS = 50;

/** `3 completed, 1 failed` over the given instances, in a fixed status order. */
export function statusCounts(tasks: TaskInstance[]): string {
  const counts = new Map<TaskStatus, number>();
  for (const task of tasks) counts.set(task.status, (counts.get(task.status) ?? 0) + 1);
  const parts = STATUS_ORDER.filter((s) => counts.has(s)).map((s) => `${counts.get(s)} ${s}`);
  return parts.length > 0 ? parts.join(', ') : 'no tasks';
}

/** The closing lines: final status and duration, counts, the error, and the commands worth running next. */
export function summaryFooter(state: RunState, nowMs: number, palette: Palette, info?: TaskInfoLookup): string[] {
  const tasks = Object.values(state.tasks);
  const ended = state.ended_at ? parseTime(state.ended_at, nowMs) : nowMs;
  const took = formatDuration(ended - parseTime(state.started_at, ended));
  const status = palette.paint(statusTone(state.status), state.status);
  const lines = [`run ${state.id} (${state.workflow}) ${status} in ${took}`, `  ${statusCounts(tasks)}`];
  if (state.error) lines.push(`  ${palette.paint('failure', 'error:')} ${errorText(state)}`);
  lines.push(...outputLines(state, palette));
  for (const hint of nextSteps(state, info)) lines.push(`  ${palette.paint('muted', hint)}`);
  return lines;
}

/** Longest value shown for one output; the whole value is in `--json` and `baton status --json`. */
const MAX_OUTPUT_CHARS = 200;

/** `  outputs:` then one `    name: value` line each (strings as they are when on one line, else JSON); none if empty. */
export function outputLines(state: RunState, palette: Palette): string[] {
  const entries = Object.entries(state.outputs ?? {});
  if (entries.length === 0) return [];
  const shown = (value: unknown): string => {
    const text = typeof value === 'string' && !/[\r\n]/.test(value) ? value : JSON.stringify(value) ?? 'null';
    const clean = sanitizeText(text);
    return clean.length > MAX_OUTPUT_CHARS ? `${clean.slice(0, MAX_OUTPUT_CHARS)}…` : clean;
  };
  return [`  ${palette.paint('muted', 'outputs:')}`, ...entries.map(([name, value]) => `    ${sanitizeText(name)}: ${shown(value)}`)];
}

/** `build: exit code 1`, or the message alone when no task is to blame. */
export function errorText(state: RunState): string {
  if (!state.error) return '';
  return sanitizeText(state.error.task ? `${state.error.task}: ${state.error.message}` : state.error.message);
}

function nextSteps(state: RunState, info?: TaskInfoLookup): string[] {
  const hints = [`baton status ${state.id}`];
  const logs = logsStep(state, state.status);
  if (logs) hints.push(logs);
  if (state.status === 'failed' || state.status === 'timed_out' || state.status === 'canceled') hints.push(`baton retry ${state.id}`);
  hints.push(...signalSteps(state, state.status, info));
  if (state.status === 'interrupted' || state.status === 'running' || state.status === 'waiting') hints.push(`baton resume ${state.id}`);
  return hints;
}

interface Row {
  task: string;
  status: string;
  tone: Tone;
  attempts: string;
  duration: string;
}

/** The TTY summary table: task, status, attempts, duration; instances folded per pattern when there are many. */
export function summaryTable(state: RunState, palette: Palette): string[] {
  const tasks = Object.values(state.tasks);
  if (tasks.length === 0) return [];
  const rows = tasks.length > MAX_TABLE_ROWS ? foldedRows(tasks) : tasks.map(taskRow);
  const width = {
    task: Math.min(60, Math.max(4, ...rows.map((r) => r.task.length))),
    status: Math.max(6, ...rows.map((r) => r.status.length)),
    attempts: 8,
  };
  const line = (task: string, status: string, statusShown: string, attempts: string, duration: string): string =>
    `${task.padEnd(width.task)}  ${statusShown}${' '.repeat(Math.max(0, width.status - status.length))}  ${attempts.padStart(width.attempts)}  ${duration}`.trimEnd();
  return [
    palette.paint('muted', line('TASK', 'STATUS', 'STATUS', 'ATTEMPTS', 'DURATION')),
    ...rows.map((r) => line(r.task, r.status, palette.paint(r.tone, r.status), r.attempts, r.duration)),
  ];
}

function taskRow(task: TaskInstance): Row {
  return {
    task: task.key,
    status: task.status,
    tone: statusTone(task.status),
    attempts: task.attempts > 0 ? String(task.attempts) : '-',
    duration: task.duration_ms !== null ? formatDuration(task.duration_ms) : '-',
  };
}

function foldedRows(tasks: TaskInstance[]): Row[] {
  const groups = new Map<string, TaskInstance[]>();
  for (const task of tasks) {
    const pattern = keyPattern(task.key, '[*]');
    groups.set(pattern, [...(groups.get(pattern) ?? []), task]);
  }
  return [...groups.entries()].map(([pattern, members]) => {
    if (members.length === 1) return taskRow(members[0] as TaskInstance);
    const durations = members.map((m) => m.duration_ms).filter((d): d is number => d !== null);
    const worst = STATUS_ORDER.find((s) => s !== 'completed' && members.some((m) => m.status === s)) ?? 'completed';
    return {
      task: `${pattern} ×${members.length}`,
      status: statusCounts(members),
      tone: statusTone(worst),
      attempts: String(members.reduce((sum, m) => sum + m.attempts, 0)),
      duration: durations.length > 0 ? `max ${formatDuration(Math.max(...durations))}` : '-',
    };
  });
}
