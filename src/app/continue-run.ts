// resume, retry, rerun and cancel share this: take over a recorded run and drive it on, saying what changed.
import type { Blueprint } from '../blueprint/model.js';
import type { NewEvent } from '../engine/core/events.js';
import type { RunState } from '../engine/core/state.js';
import { describeHolder } from '../store/index.js';
import { driveRun, type DriveFlags } from './drive.js';
import { UsageError, type CommandIO } from './io.js';
import { currentStatus, letGo, openRun, runBlueprint, type OpenRun } from './open-run.js';

export interface ContinueFlags extends DriveFlags {
  /** Take the blueprint file as it is now instead of the run's copy. */
  reload: boolean;
}

/** Opens a run that no live driver holds; the caller checks what state it must be in. */
export function openIdleRun(io: CommandIO, ref: string, stateDir: string | undefined): OpenRun {
  const run = openRun(io, ref, stateDir);
  if (run.holder) {
    run.store.close();
    throw new UsageError(`run ${run.state.id} is being driven right now by ${describeHolder(run.holder)}`, `watch it with: baton status ${run.state.id} --watch`);
  }
  return run;
}

export function notFinished(run: OpenRun): boolean {
  return currentStatus(run.state, run.holder) === 'interrupted';
}

/** Drives `run` on; `prepare` returns events to record first (a reset, a cancel). */
export async function continueRun(
  io: CommandIO,
  run: OpenRun,
  flags: ContinueFlags,
  prepare: (bp: Blueprint, state: RunState) => NewEvent[] = () => [],
): Promise<number> {
  const notes = [...run.warnings];
  let loaded;
  try {
    loaded = runBlueprint(run, flags.reload, true);
  } catch (err) {
    letGo(run);
    throw err;
  }
  if (loaded.changed) {
    notes.push(`the blueprint file ${run.state.blueprint_file} has changed since the run started; going on with the run's copy (--reload takes the file as it is now)`);
  }
  const bp = loaded.blueprint!;
  let prelude: NewEvent[];
  try {
    prelude = prepare(bp, run.state);
    const { staleHolder } = run.store.acquireLock();
    if (staleHolder) notes.push(`took over the run from a driver that is gone (${describeHolder(staleHolder)})`);
    run.store.repairJournal();
    if (flags.reload) {
      run.store.writeBlueprintSource(bp.source);
      notes.push(`using the blueprint file as it is now (${run.state.blueprint_file}); completed tasks whose ids still exist keep their results`);
    }
  } catch (err) {
    letGo(run);
    throw err;
  }
  return driveRun(io, bp, run.state, run.store, flags, notes, prelude);
}

