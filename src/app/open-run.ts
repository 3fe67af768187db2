// Opens a recorded run for reading or driving: resolves `<run>`, replays the journal past the snapshot, checks the lock.
import { readBoundedFile } from '../blueprint/bounded-read.js';
import { hasErrors } from '../blueprint/diagnostics.js';
import { loadBlueprint, type LoadResult } from '../blueprint/load.js';
import type { RunEvent } from '../engine/events.js';
import { applyEvent } from '../engine/reducer.js';
import type { RunState } from '../engine/state.js';
import type { RunStatus } from '../engine/status.js';
import { isLockHeld, resolveRunRef, resolveStateDir, RunStore, StoreError, type LockInfo } from '../store/index.js';
import { UsageError, type CommandIO } from './io.js';

export interface OpenRun {
  stateDir: string;
  store: RunStore;
  /** The state as of the last whole journal event. */
  state: RunState;
  /** The live driver holding the run, if any. */
  holder: LockInfo | null;
  warnings: string[];
  /** Journal events newer than state.json: a driver died before it wrote its last snapshot. */
  replayed: number;
}

export function openRun(io: CommandIO, ref: string, stateDirFlag?: string): OpenRun {
  const stateDir = resolveStateDir(stateDirFlag, io.env, io.cwd);
  let id: string;
  try {
    id = resolveRunRef(stateDir, ref);
  } catch (err) {
    if (err instanceof StoreError && (err.code === 'not-found' || err.code === 'ambiguous')) throw new UsageError(err.message);
    throw err;
  }
  const opened = RunStore.open(stateDir, id);
  const state = opened.snapshot as unknown as RunState;
  for (const event of opened.events) applyEvent(state, event as unknown as RunEvent);
  return { stateDir, store: opened.store, state, holder: isLockHeld(opened.store.dir), warnings: opened.warnings, replayed: opened.events.length };
}

/** What a run's status is now: a run recorded as running whose driver is gone is `interrupted`, never `running`. */
export function currentStatus(state: RunState, holder: LockInfo | null): RunStatus {
  if ((state.status === 'running' || state.status === 'waiting') && holder === null) return 'interrupted';
  return state.status;
}

/** The blueprint a run started with (its snapshot), or the file as it is now with `reload`. */
export function runBlueprint(run: OpenRun, reload = false): LoadResult & { changed: boolean } {
  const snapshot = run.store.readBlueprintSource();
  const file = run.state.blueprint_file;
  const loaded = reload ? loadBlueprint(file) : loadBlueprint(file, { source: snapshot });
  let changed = false;
  if (!reload) {
    try {
      const now = readBoundedFile(file); // the file may have become anything since, /dev/zero included
      changed = !now.ok || now.bytes.toString('utf8') !== snapshot;
    } catch {
      changed = true;
    }
  }
  if (!loaded.blueprint || hasErrors(loaded.diagnostics)) {
    throw new UsageError(`the blueprint of run ${run.state.id} (${file}) is not valid${reload ? ' as it is now' : ''}`);
  }
  return { ...loaded, changed };
}
