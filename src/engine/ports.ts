// The engine's ports: the small interfaces through which the driver reaches the outside. The app wires in the
// local ones (subprocess executor, RunStore journal, control folder, reporter); a remote executor or a web UI
// that follows runs plugs in here.
import type { ExecOutcome, ExecRequest, GroupMember, RunProcess } from '../executor/index.js';
import type { ControlRequest } from '../store/index.js';
import type { RunEvent } from './core/events.js';
import type { RunState } from './core/state.js';
import type { EngineWarning } from './core/warnings.js';

/** Runs attempts and ends the processes they leave behind. */
export interface Executor {
  /** Runs one attempt to its end (abort through `request.abort`). */
  execute(request: ExecRequest): Promise<ExecOutcome>;
  /** Sends `signal` to an attempt's process group (a second Ctrl-C: SIGKILL). */
  signalGroup(pgid: number, signal: NodeJS.Signals): void;
  /** SIGTERM, then SIGKILL after `graceMs`. */
  terminateGroup(pgid: number, graceMs: number): Promise<void>;
  killGroup(pgid: number): Promise<void>;
  /** The live members of each group, in one scan. */
  membersOfGroups(pgids: Iterable<number>): Map<number, GroupMember[]>;
  /** Every live process that carries the run's BATON_RUN_DIR, wherever it went. */
  findRunProcesses(runDir: string): RunProcess[];
  /** Ends what a driver that died left running, but the attempts in `spare` (`key#attempt`); returns what it ended. */
  killRunProcesses(runDir: string, graceMs: number, spare?: ReadonlySet<string>): Promise<{ pid: number; command: string }[]>;
  /**
   * Attempts outlive a driver that died (remote jobs): `execute` with `job.reattach` takes one up by its identity —
   * its result if it finished, awaited if it runs, queued again under the same identity if it was lost.
   * Absent: a dead driver's attempts are ended and run again as new attempts.
   */
  readonly reattaches?: boolean;
}

/** Where the run's events are kept, and where its attempts' logs go. */
export interface RunJournal {
  /** The run directory (BATON_RUN_DIR, `run.dir`). */
  readonly dir: string;
  /** Queues an event; nothing is durable until `flush`. */
  append(event: RunEvent): void;
  /** Makes the queued events durable; throws when it cannot (disk full). */
  flush(): void;
  /** Log files of one attempt, relative to `dir`. */
  logPaths(key: string, attempt: number): { stdout: string; stderr: string; output: string; script: string };
  /** A path relative to `dir`, made absolute. */
  resolve(relative: string): string;
}

/** A request from another process (`baton cancel`, `baton signal`), with the handle to take it. */
export interface InboxItem {
  file: string;
  request: ControlRequest;
}

/** Requests other processes leave for the driver. */
export interface ControlInbox {
  /** Requests waiting, oldest first. */
  pending(): InboxItem[];
  /** Removes a request once acted on. */
  take(item: InboxItem): void;
  /** Calls `onRequest` when a request may have arrived; returns a function that stops watching. */
  watch(onRequest: () => void): () => void;
}

/** What follows the run: reporters today, a web UI tomorrow. Receives events and data, never sentences. */
export interface EventSink {
  /** A journal event, once on disk and applied to `state`. */
  event(e: RunEvent, state: RunState): void;
  /** Live task output (verbose mode only), masked. */
  output(key: string, stream: 'stdout' | 'stderr', text: string): void;
  /** A warning, its texts masked. */
  warning(w: EngineWarning): void;
}

/** Time and chance, injected so the core stays pure and tests can fix them. */
export interface Clock {
  now(): number;
  random(): number;
  /** Calls `fn` once after `ms` milliseconds, however long. */
  setTimer(fn: () => void, ms: number): { clear(): void };
}

/** Everything the driver talks to. */
export interface DriverPorts {
  executor: Executor;
  journal: RunJournal;
  inbox: ControlInbox;
  sink: EventSink;
  clock: Clock;
}
