// Drives a run in this process: takes the lock, wires reporter and OS signals to the driver, snapshots at the end.
import os from 'node:os';
import type { Blueprint } from '../blueprint/model.js';
import { Driver } from '../engine/driver/driver.js';
import type { NewEvent } from '../engine/core/events.js';
import type { RunState } from '../engine/core/state.js';
import type { Executor } from '../engine/ports.js';
import { RUN_STATUS } from '../engine/core/status.js';
import { stopSpawnHelpers } from '../executor/index.js';
import { chooseOutputMode, createReporter, loadSpinner, taskInfoFromBlueprint } from '../report/reporter.js';
import type { RunStore } from '../store/index.js';
import { SIGNAL_EXIT, driving, type CommandIO } from './io.js';
import { localPorts } from './driver-ports.js';
import { currentStatus, letGo, openRun } from './open-run.js';

export interface DriveFlags {
  concurrency?: number;
  keepGoing: boolean;
  json: boolean;
  quiet: boolean;
  verbose: boolean;
  stateDir?: string;
  /** Where command tasks run (--executor bullmq); absent: subprocesses of this machine. Closed by the caller. */
  executor?: Executor;
}

/** Runs the driver on a locked store until the run ends or is interrupted; returns the exit code. */
export async function driveRun(
  io: CommandIO,
  bp: Blueprint,
  state: RunState,
  store: RunStore,
  flags: DriveFlags,
  notes: string[] = [],
  prelude: NewEvent[] = [],
): Promise<number> {
  try {
    return await drive(io, bp, state, store, flags, notes, prelude);
  } finally {
    letGo({ store }); // whatever failed, even before the driver started, the run is not left locked
  }
}

async function drive(io: CommandIO, bp: Blueprint, state: RunState, store: RunStore, flags: DriveFlags, notes: string[], prelude: NewEvent[]): Promise<number> {
  const choice = chooseOutputMode(io.stderr, io.env);
  const reporter = createReporter({
    mode: choice.mode,
    color: choice.color,
    json: flags.json,
    quiet: flags.quiet,
    verbose: flags.verbose,
    stdout: io.stdout,
    stderr: io.stderr,
    runDir: store.dir,
    taskInfo: taskInfoFromBlueprint(bp),
    ...(choice.mode === 'tty' && !flags.quiet ? { spinner: await loadSpinner() } : {}),
  });
  for (const note of notes) reporter.message('warning', note);
  const concurrency = flags.concurrency ?? state.options.concurrency ?? (typeof bp.concurrency === 'number' ? bp.concurrency : undefined) ?? os.availableParallelism();
  const driver = new Driver(bp, state, localPorts(store, reporter, flags.executor), { keepGoing: flags.keepGoing || state.options.keep_going, concurrency, verbose: flags.verbose, prelude });
  const onSignal = (signal: NodeJS.Signals): void => driver.interrupt(signal);
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const s of signals) process.on(s, onSignal);
  driving.active = true; // never reset: the run's exit code stands even if the last lines meet a closed pipe
  let shown = state;
  try {
    let status;
    try {
      status = await driver.drive();
    } catch (err) {
      shown = recordedState(io, store, flags) ?? state;
      throw err;
    }
    store.writeSnapshot(state);
    const signal = driver.interruptSignal;
    if (signal && !RUN_STATUS[status].terminal) return SIGNAL_EXIT[signal] ?? 130;
    return RUN_STATUS[status].exitCode;
  } finally {
    reporter.close(shown);
    for (const s of signals) process.off(s, onSignal);
    letGo({ store });
    await stopSpawnHelpers(); // so they are reaped here rather than left to init
  }
}

/**
 * The run as its files record it, for the closing summary after the driver failed to write (disk full): the state in
 * memory holds transitions that never reached the journal, and a summary of those would claim work that resume redoes.
 */
function recordedState(io: CommandIO, store: RunStore, flags: DriveFlags): RunState | null {
  try {
    const run = openRun(io, store.id, flags.stateDir);
    run.store.close();
    return { ...run.state, status: currentStatus(run.state, null) };
  } catch {
    return null;
  }
}
