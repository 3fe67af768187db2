// Reads a run for the commands that only look at it (status, logs, graph): state, current status and its blueprint.
import type { Blueprint } from '../blueprint/model.js';
import type { RunState } from '../engine/core/state.js';
import type { RunStatus } from '../engine/core/status.js';
import type { LockInfo, OpenOptions } from '../store/index.js';
import { BlueprintError } from '../blueprint/diagnostics.js';
import type { CommandIO } from './io.js';
import { currentStatus, openRun, runBlueprint } from './open-run.js';

export interface RunView {
  state: RunState;
  /** What the run is now: `interrupted` when recorded running but no driver holds it. */
  status: RunStatus;
  holder: LockInfo | null;
  runDir: string;
  stateDir: string;
  /** The blueprint the run started with; null when it cannot be loaded (the tree is then flat). */
  blueprint: Blueprint | null;
  warnings: string[];
}

/** Keeps the last loaded blueprint so a watcher re-reading the run does not re-validate an unchanged file. */
export interface BlueprintCache {
  source?: string;
  blueprint?: Blueprint | null;
}

/**
 * Readers take a finished run's state.json as its state without parsing its journal (a 10,000-task run's is
 * megabytes); the drivers (resume, retry, rerun) still check every line before they write.
 */
export function readRunView(io: CommandIO, ref: string, stateDir: string | undefined, cache: BlueprintCache = {}, options: Pick<OpenOptions, 'snapshot'> = {}): RunView {
  const run = openRun(io, ref, stateDir, { completeSnapshot: true, ...options });
  try {
    const warnings = [...run.warnings];
    const source = run.store.readBlueprintSource();
    if (cache.source !== source || cache.blueprint === undefined) {
      cache.source = source;
      try {
        cache.blueprint = runBlueprint(run).blueprint;
      } catch (err) {
        if (!(err instanceof BlueprintError)) throw err;
        cache.blueprint = null;
        warnings.push(`${err.message}; tasks are listed without nesting`);
      }
    }
    return {
      state: run.state,
      status: currentStatus(run.state, run.holder),
      holder: run.holder,
      runDir: run.store.dir,
      stateDir: run.stateDir,
      blueprint: cache.blueprint ?? null,
      warnings,
    };
  } finally {
    run.store.close();
  }
}

export function printWarnings(io: CommandIO, warnings: string[]): void {
  for (const warning of warnings) io.stderr.write(`baton: warning: ${warning}\n`);
}
