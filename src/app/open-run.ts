// Opens a recorded run for reading or driving: resolves `<run>`, replays the journal past the snapshot, checks the lock.
import { readBoundedFile } from '../blueprint/bounded-read.js';
import { BlueprintError, hasErrors } from '../blueprint/diagnostics.js';
import { loadBlueprint, type LoadResult } from '../blueprint/load.js';
import type { RunEvent } from '../engine/core/events.js';
import { applyEvent } from '../engine/core/reducer.js';
import type { RunState } from '../engine/core/state.js';
import type { RunStatus } from '../engine/core/status.js';
import { checkEvent, isLockHeld, resolveRunRef, resolveStateDir, RunStore, StoreError, type LockInfo, type OpenedRun, type OpenOptions } from '../store/index.js';
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

/** `options`: see OpenOptions (only for readers that show the run, never for drivers). */
export function openRun(io: CommandIO, ref: string, stateDirFlag?: string, options: OpenOptions = {}): OpenRun {
  const stateDir = resolveStateDir(stateDirFlag, io.env, io.cwd);
  let id: string;
  try {
    id = resolveRunRef(stateDir, ref);
  } catch (err) {
    if (err instanceof StoreError && (err.code === 'not-found' || err.code === 'ambiguous')) throw new UsageError(err.message);
    throw err;
  }
  const opened = RunStore.open(stateDir, id, options);
  let state: RunState;
  try {
    state = replay(opened);
  } catch (err) {
    opened.store.close();
    throw err;
  }
  return { stateDir, store: opened.store, state, holder: isLockHeld(opened.store.dir), warnings: opened.warnings, replayed: opened.events.length };
}

/**
 * The snapshot with the newer journal events applied, each checked first: a damaged journal is reported (exit 2) before
 * any lock is taken or anything written, never half-applied and driven on.
 */
function replay(opened: OpenedRun): RunState {
  const state = opened.snapshot as unknown as RunState;
  opened.events.forEach((event, i) => {
    const line = opened.eventLines[i] ?? 0;
    checkEvent(state, event, opened.journalFile, line);
    try {
      applyEvent(state, event as unknown as RunEvent);
    } catch (err) {
      // A check above missed something: still a damaged journal, not a crash.
      const reason = err instanceof Error ? err.message : String(err);
      throw new StoreError('corrupt', `${opened.journalFile}:${line}: event ${String(event['seq'])} cannot be replayed: ${reason}`, opened.journalFile);
    }
  });
  return state;
}

/** What a run's status is now: a run recorded as running whose driver is gone is `interrupted`, never `running`. */
export function currentStatus(state: RunState, holder: LockInfo | null): RunStatus {
  if ((state.status === 'running' || state.status === 'waiting') && holder === null) return 'interrupted';
  return state.status;
}

/** The blueprint a run started with (its snapshot), or the file as it is now with `reload`; `readEnvFiles` when a
 *  driver will start tasks (readers such as status do not need the files, which may be gone). */
export function runBlueprint(run: OpenRun, reload = false, readEnvFiles = false): LoadResult & { changed: boolean } {
  const snapshot = run.store.readBlueprintSource();
  const file = run.state.blueprint_file;
  const loaded = loadBlueprint(file, reload ? { readEnvFiles } : { source: snapshot, readEnvFiles });
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
    const envFile = loaded.diagnostics.find((d) => d.code === 'env-file');
    throw new BlueprintError(`the blueprint of run ${run.state.id} (${file}) is not valid${reload ? ' as it is now' : ''}${envFile ? `: ${envFile.message}` : ''}`);
  }
  return { ...loaded, changed };
}

/**
 * On an error path: close the store (its last journal write happens while the lock is still held), then release the
 * lock if taken; their own failures must not hide the first error.
 */
export function letGo(run: Pick<OpenRun, 'store'>): void {
  for (const step of [() => run.store.close(), () => run.store.releaseLock()]) {
    try {
      step();
    } catch {
      /* already failing */
    }
  }
}
