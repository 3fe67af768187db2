// The one presentation table of statuses: the colour (tone) and symbol every task and run status is shown with.
import { RUN_STATUS, TASK_STATUS, type RunStatus, type TaskStatus } from '../engine/status.js';
import type { Tone } from './format.js';

export interface StatusLook {
  symbol: string;
  /** The terminal colour. */
  tone: Tone;
  /** The graph colours (mermaid and dot): the same hue as the tone, with shades telling statuses of one tone apart. */
  fill: string;
  stroke: string;
}

/** Task and run statuses share names, so one row each: `running` looks the same in a task line, a header, `runs` and a graph. */
export const STATUS_LOOK: Record<TaskStatus | RunStatus, StatusLook> = {
  completed: { symbol: '✔', tone: 'success', fill: '#c8e6c9', stroke: '#2e7d32' },
  failed: { symbol: '✖', tone: 'failure', fill: '#ffcdd2', stroke: '#c62828' },
  timed_out: { symbol: '✖', tone: 'failure', fill: '#ffcdd2', stroke: '#c62828' },
  canceled: { symbol: '✖', tone: 'warning', fill: '#ffe0b2', stroke: '#ef6c00' },
  skipped: { symbol: '⊘', tone: 'muted', fill: '#f5f5f5', stroke: '#bdbdbd' },
  running: { symbol: '▶', tone: 'active', fill: '#bbdefb', stroke: '#1565c0' },
  waiting: { symbol: '⏳', tone: 'warning', fill: '#fff9c4', stroke: '#f9a825' },
  pending: { symbol: '·', tone: 'muted', fill: '#eeeeee', stroke: '#9e9e9e' },
  interrupted: { symbol: '■', tone: 'warning', fill: '#ffe0b2', stroke: '#ef6c00' },
};

/** The colour a task or run status is painted with. */
export const statusTone = (status: TaskStatus | RunStatus): Tone => STATUS_LOOK[status].tone;

/** Every run status, in the engine's order: the choices of `runs --status`. */
export const RUN_STATUSES = Object.keys(RUN_STATUS) as RunStatus[];
/** Every task status, in the engine's order. */
export const TASK_STATUSES = Object.keys(TASK_STATUS) as TaskStatus[];
