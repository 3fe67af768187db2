// The one presentation table of statuses: the colour (tone) and symbol every task and run status is shown with.
import { RUN_STATUS, TASK_STATUS, type RunStatus, type TaskStatus } from '../engine/status.js';
import type { Tone } from './format.js';

export interface StatusLook {
  symbol: string;
  tone: Tone;
}

/** Task and run statuses share names, so one row each: `running` looks the same in a task line, a header and `runs`. */
export const STATUS_LOOK: Record<TaskStatus | RunStatus, StatusLook> = {
  completed: { symbol: '✔', tone: 'success' },
  failed: { symbol: '✖', tone: 'failure' },
  timed_out: { symbol: '✖', tone: 'failure' },
  canceled: { symbol: '✖', tone: 'warning' },
  skipped: { symbol: '⊘', tone: 'muted' },
  running: { symbol: '▶', tone: 'active' },
  waiting: { symbol: '⏳', tone: 'warning' },
  pending: { symbol: '·', tone: 'muted' },
  interrupted: { symbol: '■', tone: 'warning' },
};

/** The colour a task or run status is painted with. */
export const statusTone = (status: TaskStatus | RunStatus): Tone => STATUS_LOOK[status].tone;

/** Every run status, in the engine's order: the choices of `runs --status`. */
export const RUN_STATUSES = Object.keys(RUN_STATUS) as RunStatus[];
/** Every task status, in the engine's order. */
export const TASK_STATUSES = Object.keys(TASK_STATUS) as TaskStatus[];
