// The one presentation table of statuses: the colour (tone) and symbol every task and run status is shown with.
import { RUN_STATUS, type RunStatus, type TaskStatus } from '../engine/core/status.js';
import type { Tone } from './format.js';

type AnyStatus = TaskStatus | RunStatus;

/** How a status is shown on a terminal. */
export interface StatusLook {
  symbol: string;
  tone: Tone;
}

/** Task and run statuses share names, so one row each: `running` looks the same in a task line, a header, `runs` and a graph. */
const PRESENTATION: Record<AnyStatus, StatusLook & { fill: string; stroke: string }> = {
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

const pick = <T>(choose: (row: (typeof PRESENTATION)[AnyStatus]) => T): Record<AnyStatus, T> =>
  Object.fromEntries(Object.entries(PRESENTATION).map(([status, row]) => [status, choose(row)])) as Record<AnyStatus, T>;

/** Symbol and tone of each status, for terminal lines (spread into them, so nothing else rides along). */
export const STATUS_LOOK: Record<AnyStatus, StatusLook> = pick(({ symbol, tone }) => ({ symbol, tone }));
/** Fill and stroke of each status, for graphs (mermaid and dot): shades of the tone's hue. */
export const STATUS_COLOURS: Record<AnyStatus, { fill: string; stroke: string }> = pick(({ fill, stroke }) => ({ fill, stroke }));

/** The colour a task or run status is painted with. */
export const statusTone = (status: AnyStatus): Tone => STATUS_LOOK[status].tone;

/** Every run status, in the engine's order: the choices of `runs --status`. */
export const RUN_STATUSES = Object.keys(RUN_STATUS) as RunStatus[];
