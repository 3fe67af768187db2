// Drives a run in this process: takes the lock, wires reporter and OS signals to the driver, snapshots at the end.
import os from 'node:os';
import type { Blueprint } from '../blueprint/model.js';
import { Driver } from '../engine/driver/driver.js';
import type { NewEvent } from '../engine/core/events.js';
import type { RunState } from '../engine/core/state.js';
import type { Executor } from '../engine/ports.js';
import { RUN_STATUS } from '../engine/core/status.js';
import { stopSpawnHelpers } from '../executor/index.js';
import { githubActive } from '../report/github.js';
import { chooseOutputMode, createReporter, loadSpinner, taskInfoFromBlueprint } from '../report/reporter.js';
import type { RunStore } from '../store/index.js';
import { SIGNAL_EXIT, driving, markShownInJson, type CommandIO } from './io.js';
import { localPorts } from './driver-ports.js';
import { junitTarget, secretValues, withGitHub, writeCIReports } from './ci-output.js';
import { runBaseEnv, runEnvFiles } from './env-files.js';
import { currentStatus, letGo, openRun } from './open-run.js';

export interface DriveFlags {
  concurrency?: number;
  keepGoing: boolean;
  json: boolean;
  quiet: boolean;
  verbose: boolean;
  stateDir?: string;
  /** --junit FILE (else $BATON_JUNIT): a JUnit report written at the end, however the run ends. */
  junit?: string;
  /** false with --no-ci-annotations: no GitHub Actions commands or step summary even inside GitHub Actions. */
  ciAnnotations?: boolean;
  /** `--env-file`s given to this command; they replace the run's recorded ones. */
  envFiles?: string[];
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
  junitTarget(io, flags); // a --junit that cannot be written is refused before the run goes on
  const choice = chooseOutputMode(io.stderr, io.env);
  const github = githubActive(io.env, flags.ciAnnotations);
  const terminal = createReporter({
    mode: choice.mode,
    color: choice.color,
    json: flags.json,
    quiet: flags.quiet,
    // In GitHub Actions, verbose output is shown folded per task (::group::) by the GitHub reporter instead.
    verbose: flags.verbose && !github,
    stdout: io.stdout,
    stderr: io.stderr,
    runDir: store.dir,
    taskInfo: taskInfoFromBlueprint(bp),
    ...(choice.mode === 'tty' && !flags.quiet ? { spinner: await loadSpinner() } : {}),
  });
  const reporter = withGitHub(io, flags, secretValues(bp, io.env), terminal);
  for (const note of notes) reporter.message('warning', note);
  const concurrency = flags.concurrency ?? state.options.concurrency ?? (typeof bp.concurrency === 'number' ? bp.concurrency : undefined) ?? os.availableParallelism();
  const baseEnv = runBaseEnv(io, runEnvFiles(io, state, flags.envFiles));
  const driver = new Driver(bp, state, localPorts(store, reporter, flags.executor), { keepGoing: flags.keepGoing || state.options.keep_going, concurrency, verbose: flags.verbose, prelude, baseEnv });
  const onSignal = (signal: NodeJS.Signals): void => driver.interrupt(signal);
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const s of signals) process.on(s, onSignal);
  driving.active = true; // never reset: the run's exit code stands even if the last lines meet a closed pipe
  let shown = state;
  try {
    let status;
    try {
      status = await driver.drive();
      store.writeSnapshot(state);
    } catch (err) {
      shown = recordedState(io, store, flags) ?? state;
      if (flags.json) {
        // One document on stdout: the run as recorded, with what stopped the driver as its error.
        if (!shown.error) shown = { ...shown, error: { task: null, message: err instanceof Error ? err.message : String(err) } };
        markShownInJson(err);
      }
      throw err;
    }
    const signal = driver.interruptSignal;
    if (signal && !RUN_STATUS[status].terminal) return SIGNAL_EXIT[signal] ?? 130;
    return RUN_STATUS[status].exitCode;
  } finally {
    reporter.close(shown);
    writeCIReports(io, flags, shown, store.dir, bp);
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
