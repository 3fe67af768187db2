// `baton resume`, `baton retry`, `baton rerun --from`: go on with a recorded run without repeating finished work.
import { matchInstances, planRerun, planRetry, RerunTargetError } from '../engine/core/reset.js';
import { RUN_STATUS } from '../engine/core/status.js';
import { continueRun, notFinished, openIdleRun, type ContinueFlags } from './continue-run.js';
import { UsageError, type CommandIO } from './io.js';
import { letGo, type OpenRun } from './open-run.js';

export async function resumeRun(io: CommandIO, ref: string, flags: ContinueFlags): Promise<number> {
  const run = openIdleRun(io, ref, flags.stateDir);
  if (!notFinished(run)) {
    settleSnapshot(run);
    run.store.close();
    const id = run.state.id;
    const rerun = `baton rerun ${id} --from <task>`;
    const hint = run.state.status === 'completed' ? `run tasks of it again with: ${rerun}` : `re-run what did not complete with: baton retry ${id}, or start again from a task with: ${rerun}`;
    throw new UsageError(`run ${id} already finished (${run.state.status}): there is nothing to resume`, hint);
  }
  return continueRun(io, run, flags);
}

export async function retryRun(io: CommandIO, ref: string, flags: ContinueFlags): Promise<number> {
  const run = openIdleRun(io, ref, flags.stateDir);
  const { id, status } = run.state;
  if (notFinished(run) || !RUN_STATUS[status].terminal || status === 'completed') {
    run.store.close();
    if (notFinished(run)) throw new UsageError(`run ${id} was interrupted, not finished`, `go on with it: baton resume ${id}`);
    throw new UsageError(`run ${id} completed: there is nothing to retry`, `run tasks again with: baton rerun ${id} --from <task>`);
  }
  return continueRun(io, run, flags, (bp, state) => [planRetry(bp, state)]);
}

export async function rerunFrom(io: CommandIO, ref: string, task: string, flags: ContinueFlags): Promise<number> {
  const run = openIdleRun(io, ref, flags.stateDir);
  const matches = matchInstances(run.state, task);
  if (matches.length !== 1) {
    run.store.close();
    if (matches.length === 0) throw new UsageError(`run ${run.state.id} has no task instance "${task}"`, `see its tasks with: baton status ${run.state.id}`);
    throw new UsageError(`"${task}" matches several task instances: ${matches.join(', ')}`, 'name one of them');
  }
  const key = matches[0]!;
  return continueRun(io, run, flags, (bp, state) => {
    try {
      return [planRerun(bp, state, key)];
    } catch (err) {
      if (!(err instanceof RerunTargetError)) throw err;
      const where = flags.reload ? `the blueprint file as it is now (${state.blueprint_file})` : "the run's blueprint";
      throw new UsageError(`task "${key}" is not in ${where}; tasks to rerun from: ${listKeys(err.targets)}`, flags.reload ? 'name one of those, or drop --reload to use the run\'s copy' : undefined);
    }
  });
}

/** At most 20 keys, so a 10,000-item fan-out does not flood the terminal. */
function listKeys(keys: string[]): string {
  if (keys.length === 0) return '(none)';
  return keys.length <= 20 ? keys.join(', ') : `${keys.slice(0, 20).join(', ')}, … (${keys.length - 20} more)`;
}

/** A run that ended but whose driver died before its last snapshot: bring state.json up to date. */
function settleSnapshot(run: OpenRun): void {
  if (run.replayed === 0) return;
  run.store.acquireLock();
  try {
    run.store.repairJournal();
    run.store.writeSnapshot(run.state);
  } catch (err) {
    letGo(run);
    throw err;
  }
  run.store.releaseLock();
}
