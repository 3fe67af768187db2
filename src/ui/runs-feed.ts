// The runs list as the UI shows it, re-read incrementally: a run folder is read again only when its files changed.
import fs from 'node:fs';
import path from 'node:path';
import { openRun } from '../app/open-run.js';
import { newestFirst, runStatusNow } from '../app/runs.js';
import type { RunState } from '../engine/core/state.js';
import { isTerminal, type RunStatus } from '../engine/core/status.js';
import { elapsedMs } from '../report/summary.js';
import { isLockHeld, listRuns, readSnapshotFile, StoreError } from '../store/index.js';
import { captureIO } from './capture-io.js';

export interface RunRow {
  id: string;
  workflow: string;
  status: RunStatus;
  startedAt: string;
  endedAt: string | null;
  durationMs: number | null;
  /** Task instances that ended, of all recorded so far. */
  done: number;
  total: number;
  error: string | null;
}

interface Cached {
  row: RunRow;
  /** state.json mtime and size, journal size, lock mtime: a change means the folder must be read again. */
  signature: string;
  /** Journal size the row's counts were last replayed at (live runs: their state.json is from the driver's start). */
  replayedAt: number;
  replayedMs: number;
}

/** A live run's journal is replayed for its progress at most this often. */
const REPLAY_EVERY_MS = 1000;

const LIVE: ReadonlySet<RunStatus> = new Set(['running', 'waiting', 'interrupted']);

function sizeOf(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return -1;
  }
}

export function signatureOf(dir: string): { signature: string; journalSize: number; stateSize: number } {
  let state = 'none';
  let stateSize = 0;
  try {
    const s = fs.statSync(path.join(dir, 'state.json'));
    state = `${s.mtimeMs}:${s.size}`;
    stateSize = s.size;
  } catch {
    /* removed meanwhile */
  }
  let lock = 'none';
  try {
    lock = String(fs.statSync(path.join(dir, 'driver.lock')).mtimeMs);
  } catch {
    /* no driver */
  }
  const journalSize = sizeOf(path.join(dir, 'events.jsonl'));
  return { signature: `${state}|${journalSize}|${lock}`, journalSize, stateSize };
}

function counts(state: RunState): { done: number; total: number } {
  let done = 0;
  let total = 0;
  for (const task of Object.values(state.tasks)) {
    total++;
    if (isTerminal(task.status)) done++;
  }
  return { done, total };
}

export interface FeedHooks {
  /** A live run's state as its journal tells it now (the UI's reader keeps it and applies only new events). */
  liveState?: (id: string) => RunState | null;
  /** Each state.json read, with the folder's signature before reading it: the run page may start from it. */
  snapshotRead?: (id: string, signature: string, snapshot: Record<string, unknown>, bytes: number) => void;
}

export class RunsFeed {
  private readonly cache = new Map<string, Cached>();
  private readonly liveState: (id: string) => RunState | null;

  constructor(
    readonly stateDir: string,
    private readonly hooks: FeedHooks = {},
  ) {
    this.liveState = hooks.liveState ?? ((id) => replayed(stateDir, id));
  }

  /** Every readable run, newest first. */
  scan(): RunRow[] {
    const seen = new Set<string>();
    for (const { id, dir } of listRuns(this.stateDir)) {
      seen.add(id);
      const next = this.read(id, dir, this.cache.get(id));
      if (next) this.cache.set(id, next);
    }
    for (const id of [...this.cache.keys()]) if (!seen.has(id)) this.cache.delete(id);
    const rows = [...this.cache.values()].map((c) => c.row);
    return rows.sort((a, b) => newestFirst({ id: a.id, started_at: a.startedAt }, { id: b.id, started_at: b.startedAt }));
  }

  private read(id: string, dir: string, before: Cached | undefined): Cached | null {
    const { signature, journalSize, stateSize } = signatureOf(dir);
    const live = before !== undefined && LIVE.has(before.row.status);
    if (before && before.signature === signature && !live) return before;
    let state: RunState;
    let replayedAt = before?.replayedAt ?? -1;
    let replayedMs = before?.replayedMs ?? 0;
    try {
      const snapshot = readSnapshotFile(path.join(dir, 'state.json'));
      state = snapshot as unknown as RunState;
      this.hooks.snapshotRead?.(id, signature, snapshot, stateSize);
    } catch (err) {
      if (err instanceof StoreError) return before ?? null;
      throw err;
    }
    const holder = isLockHeld(dir);
    const status = runStatusNow(dir, state, holder);
    let progress = before && before.signature.split('|')[0] === signature.split('|')[0] ? { done: before.row.done, total: before.row.total } : counts(state);
    if (LIVE.has(status) && journalSize !== replayedAt && Date.now() - replayedMs >= REPLAY_EVERY_MS) {
      progress = this.replayedCounts(id) ?? progress;
      replayedAt = journalSize;
      replayedMs = Date.now();
    } else if (LIVE.has(status) && before) progress = { done: before.row.done, total: before.row.total };
    const row: RunRow = {
      id,
      workflow: String(state.workflow),
      status,
      startedAt: state.started_at,
      endedAt: state.ended_at ?? null,
      durationMs: elapsedMs(state.started_at, state.ended_at ?? null),
      ...progress,
      error: state.error?.message ?? null,
    };
    return { row, signature, replayedAt, replayedMs };
  }

  private replayedCounts(id: string): { done: number; total: number } | null {
    const state = this.liveState(id);
    return state ? counts(state) : null;
  }
}

/** The run replayed from its journal (read only: no lock, nothing written). */
function replayed(stateDir: string, id: string): RunState | null {
  try {
    const run = openRun(captureIO(), id, stateDir);
    run.store.close();
    return run.state;
  } catch {
    return null;
  }
}

export interface RunsQuery {
  status?: string | null;
  workflow?: string | null;
  q?: string | null;
}

export function filterRows(rows: RunRow[], query: RunsQuery): RunRow[] {
  const q = query.q?.toLowerCase() ?? '';
  return rows.filter(
    (r) => (!query.status || r.status === query.status) && (!query.workflow || r.workflow === query.workflow) && (q === '' || r.id.toLowerCase().includes(q)),
  );
}
