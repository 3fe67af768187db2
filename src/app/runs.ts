// `baton runs`: the recorded runs, newest first, read from each run's state.json and lock (and a live run's journal
// tail, for running vs waiting; no journal replay).
import path from 'node:path';
import type { RunState } from '../engine/core/state.js';
import type { RunStatus } from '../engine/core/status.js';
import { RUN_STATUS } from '../engine/core/status.js';
import { createPalette, formatDuration, parseTime } from '../report/format.js';
import { chooseOutputMode } from '../report/mode.js';
import { formatDateTime } from '../report/status-view.js';
import { statusTone } from '../report/status-look.js';
import { elapsedMs } from '../report/summary.js';
import { isLockHeld, listRuns, recordedRunStatus, readSnapshotFile, resolveStateDir, StoreError, type LockInfo } from '../store/index.js';
import { EXIT, UsageError, type CommandIO } from './io.js';
import { currentStatus } from './open-run.js';

interface RunRow {
  id: string;
  workflow: string;
  status: RunStatus;
  started_at: string;
  ended_at: string | null;
  duration_ms: number | null;
}

export interface ListedRun extends RunRow {
  /** The live driver, if any: such a run is never pruned. */
  holder: LockInfo | null;
}

export interface RunsOptions {
  status?: string;
  workflow?: string;
  limit?: number;
  json: boolean;
  stateDir?: string;
}

const STATUSES = Object.keys(RUN_STATUS) as RunStatus[];

/** Every readable run of the state directory, newest first; unreadable ones are skipped with a warning on stderr, their ids added to `damaged`. */
export function listRunRows(io: CommandIO, stateDir: string, damaged: string[] = []): ListedRun[] {
  const rows: ListedRun[] = [];
  for (const { id, dir } of listRuns(stateDir)) {
    let state: RunState;
    try {
      state = readSnapshotFile(path.join(dir, 'state.json')) as unknown as RunState;
    } catch (err) {
      if (!(err instanceof StoreError)) throw err;
      io.stderr.write(`baton: warning: skipping run ${id}: ${err.message}\n`);
      damaged.push(id);
      continue;
    }
    const holder = isLockHeld(dir);
    rows.push({
      id,
      workflow: String(state.workflow),
      status: runStatusNow(dir, state, holder),
      started_at: state.started_at,
      ended_at: state.ended_at ?? null,
      duration_ms: elapsedMs(state.started_at, state.ended_at ?? null),
      holder,
    });
  }
  return rows.sort(newestFirst);
}

/** Newest first; ties go to the greater id: generated ids sort by time. */
export function newestFirst(a: { id: string; started_at: string }, b: { id: string; started_at: string }): number {
  return parseTime(b.started_at, 0) - parseTime(a.started_at, 0) || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}

/** What a run folder's run is now, from its state.json, its lock and (while driven) its journal's tail. */
export function runStatusNow(dir: string, state: RunState, holder: LockInfo | null): RunStatus {
  return liveStatus(dir, state, holder) ?? currentStatus(state, holder);
}

/** A driven run's state.json is from when its driver started: whether it waits now is in the journal's tail. */
function liveStatus(dir: string, state: RunState, holder: LockInfo | null): RunStatus | null {
  if (holder === null || RUN_STATUS[state.status].terminal) return null;
  const recorded = recordedRunStatus(dir);
  return recorded !== null && STATUSES.includes(recorded as RunStatus) ? (recorded as RunStatus) : null;
}

export function listRunsCommand(io: CommandIO, o: RunsOptions): number {
  if (o.status !== undefined && !STATUSES.includes(o.status as RunStatus)) {
    throw new UsageError(`unknown status "${o.status}"`, `use one of: ${STATUSES.join(', ')}`);
  }
  const stateDir = resolveStateDir(o.stateDir, io.env, io.cwd);
  const damaged: string[] = [];
  const all = listRunRows(io, stateDir, damaged);
  let rows = all.filter((r) => (o.status === undefined || r.status === o.status) && (o.workflow === undefined || r.workflow === o.workflow));
  if (o.limit !== undefined) rows = rows.slice(0, o.limit);
  if (o.json) {
    const json: RunRow[] = rows.map(({ id, workflow, status, started_at, ended_at, duration_ms }) => ({ id, workflow, status, started_at, ended_at, duration_ms }));
    io.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
    return EXIT.ok;
  }
  if (rows.length === 0) {
    // Damaged runs are runs too: "no runs" would hide folders that need repair or removal.
    const unreadable = damaged.length > 0 ? `${damaged.length} damaged run${damaged.length === 1 ? '' : 's'} skipped (see the warnings above)` : '';
    const none = unreadable ? `no readable runs in ${stateDir}: ${unreadable}` : `no runs in ${stateDir}`;
    io.stderr.write(all.length === 0 ? `${none}\n` : `no runs match (${all.length} in ${stateDir}${unreadable ? `; ${unreadable}` : ''})\n`);
    return EXIT.ok;
  }
  io.stdout.write(runsTable(io, rows).join('\n') + '\n');
  return EXIT.ok;
}

function runsTable(io: CommandIO, rows: ListedRun[]): string[] {
  const palette = createPalette(chooseOutputMode(io.stdout, io.env).color);
  const now = Date.now();
  const cells = rows.map((r) => {
    const live = r.status === 'running' || r.status === 'waiting';
    const duration = r.duration_ms !== null ? formatDuration(r.duration_ms) : live ? `${formatDuration(now - parseTime(r.started_at, now))}…` : '-';
    return { id: r.id, workflow: r.workflow, status: r.status, started: formatDateTime(parseTime(r.started_at, 0)), duration };
  });
  const width = {
    id: Math.max(3, ...cells.map((c) => c.id.length)),
    workflow: Math.max(8, ...cells.map((c) => c.workflow.length)),
    status: 11,
    started: 19,
  };
  const line = (id: string, workflow: string, status: string, shownStatus: string, started: string, duration: string): string =>
    `${id.padEnd(width.id)}  ${workflow.padEnd(width.workflow)}  ${shownStatus}${' '.repeat(Math.max(0, width.status - status.length))}  ${started.padEnd(width.started)}  ${duration}`.trimEnd();
  return [
    palette.paint('muted', line('RUN', 'WORKFLOW', 'STATUS', 'STATUS', 'STARTED', 'DURATION')),
    ...cells.map((c) => line(c.id, c.workflow, c.status, palette.paint(statusTone(c.status), c.status), c.started, c.duration)),
  ];
}
