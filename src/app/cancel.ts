// `baton cancel`: stop a run; its running tasks are killed, `finally` runs, and it ends `canceled`.
import { isLockHeld, writeControlRequest } from '../store/index.js';
import { formatDuration } from '../report/format.js';
import { continueRun, notFinished, type ContinueFlags } from './continue-run.js';
import { UsageError, type CommandIO } from './io.js';
import { openRun } from './open-run.js';
import { waitUntil } from './wait.js';

export async function cancelRun(io: CommandIO, ref: string, flags: ContinueFlags & { wait: number }): Promise<number> {
  const run = openRun(io, ref, flags.stateDir);
  const { id } = run.state;
  if (!run.holder) {
    if (!notFinished(run)) {
      run.store.close();
      throw new UsageError(`run ${id} already finished (${run.state.status})`);
    }
    // No driver: this process drives the run to its end, so `finally` still runs.
    const by = `baton cancel (pid ${process.pid})`;
    const code = await continueRun(io, run, flags, () => [
      { type: 'cancel_requested', by },
      { type: 'run_outcome', frame: '', status: 'canceled', error: { task: null, message: `canceled by ${by}` }, outputs: null },
    ]);
    return code === 1 && run.state.status === 'canceled' ? 0 : code;
  }
  run.store.close();
  writeControlRequest(run.store.dir, { type: 'cancel', by: `baton cancel (pid ${process.pid})` });
  io.stderr.write(`cancel requested; waiting for run ${id} to stop (its finally tasks run first)\n`);
  const stopped = await waitUntil(() => isLockHeld(run.store.dir) === null, flags.wait);
  if (!stopped) {
    io.stderr.write(`run ${id} is still stopping after ${formatDuration(flags.wait)}; follow it with: baton status ${id} --watch\n`);
    return 0;
  }
  io.stderr.write(`run ${id} canceled\n`);
  return 0;
}
