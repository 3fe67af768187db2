// Turns one journal event into the human lines it deserves (✔ build completed (1.2s), ↻ test retrying in 2s …).
import type { RunEvent } from '../engine/core/events.js';
import type { RunState, TaskInstance } from '../engine/core/state.js';
import { firstLine, formatDuration, formatMoment, parseTime, type Tone } from './format.js';
import { taskLogTail } from './log-tail.js';
import { STATUS_LOOK } from './status-look.js';
import { shellWord } from './next-steps.js';
import type { TaskInfoLookup } from './task-info.js';

export interface Line {
  symbol: string;
  tone: Tone;
  /** The task instance key, printed bold after the symbol; absent for run-level lines. */
  key?: string;
  text: string;
  /** Indented lines under it (a failed task's log tail). */
  detail?: string[];
  /** A start or wait: the live view shows it as a spinner line instead of printing it. */
  transient?: boolean;
}

export interface LineContext {
  taskInfo?: TaskInfoLookup;
  runDir: string;
}

const INSTANT_KINDS = new Set(['set', 'terminate']);

export function taskEventLines(e: RunEvent, state: RunState, ctx: LineContext): Line[] {
  switch (e.type) {
    case 'task_skipped':
      return [{ ...STATUS_LOOK.skipped, key: e.key, text: e.reason ? `skipped: it ${e.reason}` : 'skipped' }];
    case 'task_started':
      return startedLines(e.key, e.kind, e.deadline ?? null, ctx, state.id);
    case 'attempt_started': {
      const task = state.tasks[e.key];
      const interrupted = task?.history.at(-2)?.error?.startsWith('interrupted') ?? false;
      const label = e.attempt > 1 && task && !interrupted ? attemptLabel(e.attempt, task.budget_used + 1, maxOf(ctx, e.key), ' of ') : '';
      return [{ ...STATUS_LOOK.running, key: e.key, text: `started${label ? ` (${label})` : ''}`, transient: true }];
    }
    case 'attempt_ended':
      return attemptEndedLines(e, state, ctx);
    case 'task_ended': {
      const task = state.tasks[e.key];
      const reason = e.status === 'completed' || !e.error ? durationOf(task, e.at) : firstLine(e.error);
      return [{ ...STATUS_LOOK[e.status], key: e.key, text: withParens(e.status, reason) }];
    }
    case 'loop_iteration':
      return [{ symbol: '↻', tone: 'muted', key: e.key, text: `iteration ${e.iteration}` }];
    case 'phase_changed':
      return e.phase === 'on_failure' || e.phase === 'finally'
        ? [{ symbol: '▶', tone: 'active', text: `running ${e.phase} handlers${e.frame ? ` of ${e.frame}` : ''}` }]
        : [];
    default:
      return [];
  }
}

function startedLines(key: string, kind: string, deadline: string | null, ctx: LineContext, runId: string): Line[] {
  if (INSTANT_KINDS.has(kind)) return [];
  if (kind !== 'wait') return [{ ...STATUS_LOOK.running, key, text: 'started', transient: true }];
  const signal = ctx.taskInfo?.(key)?.signal;
  const text = signal
    ? `waiting for signal ${signal}: baton signal ${shellWord(runId)} ${shellWord(signal)}`
    : deadline
      ? `waiting until ${formatMoment(parseTime(deadline, 0), Date.now())}`
      : 'waiting';
  return [{ ...STATUS_LOOK.waiting, key, text, transient: true }];
}

function attemptEndedLines(e: Extract<RunEvent, { type: 'attempt_ended' }>, state: RunState, ctx: LineContext): Line[] {
  const task = state.tasks[e.key];
  // An attempt cut off by a stopped driver is not a failure: it runs again, outside the retry budget.
  if (!e.counted && e.status === 'canceled' && e.retry_at !== null) {
    return [{ symbol: '↻', tone: 'warning', key: e.key, text: `was interrupted; it runs again as attempt ${e.attempt + 1}` }];
  }
  const max = maxOf(ctx, e.key);
  const inBudget = task ? (e.counted ? task.budget_used : task.budget_used + 1) : e.attempt;
  const showAttempt = e.attempt > 1 || e.retry_at !== null || (max !== undefined && max > 1);
  const label = showAttempt ? ` ${attemptLabel(e.attempt, inBudget, max, '/')}` : '';
  const attempt = task?.history.find((a) => a.n === e.attempt);
  const took = attempt ? formatDuration(parseTime(e.at, 0) - parseTime(attempt.started_at, parseTime(e.at, 0))) : '';
  const reason = e.status === 'completed' ? took : failureReason(e.exit_code, e.signal, e.error) || took;
  const lines: Line[] = [{ ...STATUS_LOOK[e.status], key: e.key, text: `${withParens(e.status, reason)}${label}` }];
  if (e.retry_at !== null) {
    const delay = formatDuration(parseTime(e.retry_at, 0) - parseTime(e.at, 0));
    const next = attemptLabel(e.attempt + 1, inBudget + 1, max, ' of ');
    lines.push({ symbol: '↻', tone: 'warning', key: e.key, text: `retrying in ${delay} (${next})` });
  } else if (task && (e.status === 'failed' || e.status === 'timed_out') && task.status === e.status) {
    const tail = taskLogTail(task, ctx.runDir);
    if (tail.length > 0) lines[0] = { ...(lines[0] as Line), detail: tail };
  }
  return lines;
}

/** `attempt 2/3` when the budget is known, else `attempt 2` (the attempt number, which continues across reruns). */
function attemptLabel(n: number, inBudget: number, max: number | undefined, sep: string): string {
  // After retry/rerun the budget starts afresh while attempt numbers go on: then only the number is meaningful.
  return max !== undefined && n === inBudget ? `attempt ${n}${sep}${max}` : `attempt ${n}`;
}

function maxOf(ctx: LineContext, key: string): number | undefined {
  return ctx.taskInfo?.(key)?.maxAttempts;
}

function failureReason(exitCode: number | null, signal: string | null, error: string | null): string {
  if (exitCode !== null && exitCode !== 0) return `exit code ${exitCode}`;
  if (signal) return `signal ${signal}`;
  return error ? firstLine(error) : '';
}

function durationOf(task: TaskInstance | undefined, at: string): string {
  if (!task?.started_at) return '';
  const ms = task.duration_ms ?? parseTime(at, 0) - parseTime(task.started_at, parseTime(at, 0));
  return formatDuration(ms);
}

function withParens(status: string, reason: string): string {
  return reason ? `${status} (${reason})` : status;
}
