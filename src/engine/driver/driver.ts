// The driver: the one impure loop. Decide → apply each decision (record events, start processes) → wait → repeat.
// It reaches the outside only through its ports (executor, journal, control inbox, event sink, clock).
import os from 'node:os';
import type { Blueprint, TaskSpec } from '../../blueprint/model.js';
import { EvaluationStopped } from '../../expr/index.js';
import type { ControlRequest } from '../../store/index.js';
import { Attempts } from './attempts.js';
import { decide } from '../core/decider.js';
import type { Decision, Scope } from '../core/decisions.js';
import type { NewEvent, RunEvent } from '../core/events.js';
import { Evaluations } from './evaluations.js';
import { maskWarning } from './masking.js';
import { Recorder } from './recorder.js';
import type { RunState } from '../core/state.js';
import type { RunStatus } from '../core/status.js';
import type { EngineWarning } from '../core/warnings.js';
import type { DriverPorts, EventSink } from '../ports.js';

export interface DriverOptions {
  keepGoing: boolean;
  /** Most command tasks running at once. */
  concurrency: number;
  verbose: boolean;
  /** Events to record once the driver took over (retry/rerun resets, a cancel of an interrupted run). */
  prelude?: NewEvent[];
  /** The environment tasks start from: baton's own plus the run's `--env-file`s (default: baton's own). */
  baseEnv?: Record<string, string>;
}

export class Driver {
  private readonly attempts: Attempts;
  private readonly evaluations: Evaluations;
  private wakeUp: (() => void) | null = null;
  private timer: { clear(): void } | null = null;
  private dirty = false;
  private interruptedBy: NodeJS.Signals | null = null;
  private activeBase: number;
  private since: number;
  private activeFrozen: number | null = null;
  private readonly recorder: Recorder;
  /** Something may be waiting in the control folder (cancel, signal). */
  private controlDirty = true;
  /** What the decider knows is done; cleared when a reset makes done work pending again. */
  private readonly memo = new Map<string, number>();
  /** The store failed (disk full, unwritable): stop everything and report it. */
  private fatal: Error | null = null;
  /** Earliest timeout deadline of the last decisions: an expression still evaluating then stops so it can act. */
  private timeoutAt: number | null = null;
  /** A task failed or timed out since the last decisions (fail_fast may make an evaluation under way moot). */
  private taskFailed = false;
  /** Attempts a driver that died left running, for an executor that takes them up again (remote jobs). */
  private readonly reattach = new Set<string>();
  /** The sink, with the secrets in warnings masked (events come masked from the recorder). */
  private readonly sink: EventSink;

  constructor(
    private readonly bp: Blueprint,
    readonly state: RunState,
    private readonly ports: DriverPorts,
    private readonly options: DriverOptions,
  ) {
    this.activeBase = state.active_ms;
    this.since = ports.clock.now();
    const secrets = (): readonly string[] => this.evaluations.allSecretValues();
    const { sink, journal, clock } = ports;
    this.sink = {
      event: (e, st) => sink.event(e, st),
      output: (key, stream, text) => sink.output(key, stream, text),
      warning: (w) => sink.warning(maskWarning(w, secrets())),
    };
    this.recorder = new Recorder(state, journal, (e, st) => sink.event(e, st), secrets, clock.now);
    this.evaluations = new Evaluations(bp, state, journal.dir, (e) => this.record(e), clock, options.baseEnv);
    this.evaluations.warn = (w) => this.warn(w);
    this.evaluations.guard = { stopReason: () => this.stopReason() };
    this.attempts = new Attempts({
      state,
      journal,
      executor: ports.executor,
      sink: this.sink,
      clock,
      evaluations: this.evaluations,
      verbose: options.verbose,
      record: (e) => this.record(e),
      flush: () => this.flush(),
      kick: () => this.kick(),
      stopped: () => this.fatal !== null,
      interrupted: () => this.interruptedBy !== null,
    });
  }

  /** Drives the run until it ends or is interrupted; returns the run's status. */
  async drive(): Promise<RunStatus> {
    const fresh = this.state.seq === 0;
    if (fresh) this.record({ type: 'run_created', id: this.state.id, workflow: this.state.workflow, inputs: this.state.inputs });
    this.record({ type: 'driver_started', pid: process.pid, host: os.hostname() });
    this.recorder.flush(); // the run is announced before any warning about taking it over
    if (!fresh) await this.recoverInFlight();
    for (const e of this.options.prelude ?? []) this.record(e);
    for (const frame of ['', ...Object.values(this.state.tasks).filter((t) => t.frame).map((t) => t.key)]) {
      try {
        await this.evaluations.prepareFrame(frame);
      } catch (err) {
        if (!(err instanceof EvaluationStopped)) throw err;
      }
    }
    const stopWatching = this.ports.inbox.watch(() => {
      this.controlDirty = true;
      this.kick();
    });
    try {
      await this.loop();
    } catch (err) {
      this.failHard(err as Error);
    } finally {
      stopWatching();
    }
    while (this.attempts.size > 0) await this.sleep(null);
    await this.attempts.killLeftovers();
    await this.attempts.killEscapedAll();
    if (this.fatal) throw this.fatal;
    const status = this.state.phase === 'done' ? this.state.status : 'interrupted';
    this.record({ type: 'driver_stopped', status, active_ms: this.activeMs() });
    this.recorder.flush();
    return this.state.status;
  }

  private async loop(): Promise<void> {
    for (;;) {
      this.dirty = false;
      if (this.interruptedBy || this.fatal) return;
      let progressed = this.controlDirty && this.takeControlRequests();
      if (!(await this.prepareStopped())) return;
      const { decisions, wakeAt, timeoutAt } = decide(this.bp, this.state, { now: this.ports.clock.now(), activeMs: this.activeMs() }, { keepGoing: this.options.keepGoing, memo: this.memo, reattach: this.reattach });
      this.timeoutAt = timeoutAt;
      this.taskFailed = false;
      for (const d of this.applicable(decisions)) {
        if (await this.apply(d)) progressed = true;
        if (this.interruptedBy) break;
      }
      this.noteWaiting();
      this.flush();
      if (this.state.phase === 'done' || this.fatal) return;
      if (!progressed) await this.sleep(wakeAt);
    }
  }

  /** Frames a stop left unprepared are rendered first; false when stopped again by an interrupt or a failure. */
  private async prepareStopped(): Promise<boolean> {
    try {
      await this.evaluations.prepareStopped();
    } catch (err) {
      if (!(err instanceof EvaluationStopped)) throw err;
    }
    return !this.interruptedBy && !this.fatal;
  }

  /** Why an expression evaluating now must stop: asked at its turns for the event loop, so kept cheap. */
  private stopReason(): string | null {
    if (this.interruptedBy) return `interrupted by ${this.interruptedBy}`;
    if (this.fatal) return 'the run store failed';
    if (this.timeoutAt !== null && this.ports.clock.now() >= this.timeoutAt) return 'a timeout is due';
    if (this.taskFailed) return 'a task failed';
    if (this.controlDirty) {
      if (this.ports.inbox.pending().length > 0) return 'a request arrived (cancel, signal)';
      this.controlDirty = false;
    }
    return null;
  }

  /**
   * A driver that died left attempts on record as running. With an executor whose attempts outlive the driver
   * (remote jobs), each is taken up again under its own attempt number; otherwise their processes are ended, and
   * they run again as new attempts.
   */
  private async recoverInFlight(): Promise<void> {
    const inFlight = Object.values(this.state.tasks).filter((t) => (t.kind === 'run' || t.kind === 'command') && t.status === 'running');
    // A retry or rerun resets instances (the prelude): then nothing is taken up, the attempts end as before.
    const canReattach = this.ports.executor.reattaches === true && (this.options.prelude ?? []).length === 0;
    for (const inst of inFlight) {
      const last = inst.history[inst.history.length - 1];
      // A process of this machine (a pid, no worker) died with the driver or is ended below: never taken up again.
      if (canReattach && last && (last.worker !== undefined || last.pid === null)) this.reattach.add(inst.key);
    }
    const spare = new Set([...this.reattach].map((key) => `${key}#${this.state.tasks[key]!.attempts}`));
    const killed = await this.ports.executor.killRunProcesses(this.ports.journal.dir, 2000, spare);
    if (killed.length > 0) this.warn({ code: 'orphans_ended', processes: killed });
    const now = new Date(this.ports.clock.now()).toISOString();
    for (const inst of inFlight) {
      if (this.reattach.has(inst.key)) continue;
      this.record({
        type: 'attempt_ended', key: inst.key, attempt: inst.attempts, status: 'canceled', exit_code: null, signal: null,
        error: 'interrupted: the driver stopped before the attempt ended', output: null, stdout: inst.stdout, stderr: inst.stderr,
        retry_at: now, counted: false,
      });
    }
    this.recorder.flush();
  }

  /** Requests other processes left in the control folder: `baton cancel`, `baton signal`. */
  private takeControlRequests(): boolean {
    this.controlDirty = false;
    let progressed = false;
    for (const item of this.ports.inbox.pending()) {
      this.control(item.request);
      this.recorder.flush();
      this.ports.inbox.take(item);
      progressed = true;
    }
    return progressed;
  }

  private control(request: ControlRequest): void {
    if (request.type === 'cancel') {
      if (this.state.phase !== 'main' || this.state.outcome !== null) return;
      this.record({ type: 'cancel_requested', by: request.by });
      this.record({ type: 'run_outcome', frame: '', status: 'canceled', error: { task: null, message: `canceled by ${request.by}` }, outputs: null });
      return;
    }
    const keys = request.keys.filter((k) => this.state.tasks[k]?.status === 'waiting');
    if (keys.length === 0) return;
    this.record({ type: 'signal_received', keys, name: request.name, data: request.data, failed: request.failed, reason: request.reason });
    for (const key of keys) {
      if (request.failed) this.record({ type: 'task_ended', key, status: 'failed', output: null, error: request.reason ?? 'failed by signal' });
      else this.record({ type: 'task_ended', key, status: 'completed', output: request.data ?? null, error: null });
    }
  }

  /** `waiting`: the driver is alive and every unfinished task waits for a signal or a deadline. */
  private noteWaiting(): void {
    if (this.state.phase === 'done' || (this.state.status !== 'running' && this.state.status !== 'waiting')) return;
    const waiting = this.attempts.size === 0 && Object.values(this.state.tasks).some((t) => t.status === 'waiting');
    const status = waiting ? 'waiting' : 'running';
    if (this.state.status !== status) this.record({ type: 'run_status', status });
  }

  /** SIGINT/SIGTERM/SIGHUP: stop starting tasks and end the running ones (grace, then SIGKILL); a second one kills at once. */
  interrupt(signal: NodeJS.Signals): void {
    const again = this.interruptedBy !== null;
    this.interruptedBy ??= signal;
    this.attempts.interrupt(again);
    this.kick();
  }

  get interruptSignal(): NodeJS.Signals | null {
    return this.interruptedBy;
  }

  /** retry / rerun reset the run's timeout budget (the reducer set active_ms to 0): count from now. */
  private restartClock(): void {
    this.activeBase = this.state.active_ms;
    this.since = this.ports.clock.now();
    this.activeFrozen = null;
  }

  private activeMs(): number {
    if (this.activeFrozen !== null) return this.activeFrozen;
    const now = this.activeBase + (this.ports.clock.now() - this.since);
    if (this.state.phase !== 'main' || this.state.outcome !== null) this.activeFrozen = now;
    return now;
  }

  record(e: NewEvent): RunEvent {
    const event = this.recorder.record(e);
    if (e.type === 'run_reset' || e.type === 'subrun_retry') this.memo.clear();
    if (e.type === 'run_reset' && e.frames.includes('')) this.restartClock();
    if (e.type === 'task_ended' || e.type === 'attempt_ended') {
      const status = this.state.tasks[e.key]?.status;
      if (status === 'failed' || status === 'timed_out') this.taskFailed = true;
    }
    return event;
  }

  /** When a batch ends or cancels something, apply only that: starts decided beside it may already be moot. */
  private applicable(decisions: Decision[]): Decision[] {
    const stopping = decisions.filter((d) => d.type === 'ending' || d.type === 'outcome');
    return stopping.length > 0 ? stopping : decisions;
  }

  private async apply(d: Decision): Promise<boolean> {
    switch (d.type) {
      case 'start':
        return this.start(d.key, d.spec, d.scope, d.reattach === true);
      case 'cancel':
        this.attempts.cancel(d.key, this.state.outcome === 'canceled' || this.state.outcome === 'timed_out');
        return false;
      case 'end':
        this.record({ type: 'task_ended', key: d.key, status: d.status, output: d.output, error: d.error, ...(d.cause ? { cause: d.cause } : {}) });
        return true;
      case 'ending':
        this.record({ type: 'task_ending', key: d.key, status: d.status, error: d.error, ...(d.cause ? { cause: d.cause } : {}) });
        return true;
      case 'outcome':
        this.record({ type: 'run_outcome', frame: d.frame, status: d.status, error: d.error, outputs: null });
        return true;
      case 'phase':
        this.record({ type: 'phase_changed', frame: d.frame, phase: d.phase });
        return true;
      case 'finish':
        return this.evaluations.finish(d.frame, d.status, d.error);
      case 'evaluate':
        return this.evaluations.evaluate(d.key, d.spec, d.field, d.scope);
      case 'skip':
        return this.evaluations.skip(d.key, d.spec, d.scope, d.reason);
      case 'outputs':
        return this.evaluations.outputs(d.frame);
    }
  }

  private async start(key: string, spec: TaskSpec, scope: Scope, reattach = false): Promise<boolean> {
    if (spec.kind === 'run' || spec.kind === 'command') {
      // An attempt taken up again is already running: the concurrency limit counted it when it started.
      if (reattach) {
        if (!this.reattach.has(key) || !(await this.attempts.start(key, spec, scope, true))) return false;
        this.reattach.delete(key); // kept while rendering was stopped (an interrupt): decided again later
        return true;
      }
      if (this.attempts.size >= this.options.concurrency) return false;
      return this.attempts.start(key, spec, scope);
    }
    return this.evaluations.begin(key, spec, scope);
  }

  /** Writes the journal; a failure to write stops the run cleanly instead of running tasks that cannot be recorded. */
  private flush(): void {
    try {
      this.recorder.flush();
    } catch (err) {
      this.failHard(err as Error);
    }
  }

  private failHard(err: Error): void {
    this.fatal ??= err;
    this.attempts.cancelAll();
    this.kick();
  }

  private sleep(wakeAt: number | null): Promise<void> {
    if (this.dirty) {
      this.dirty = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      this.wakeUp = resolve;
      if (wakeAt !== null) this.timer = this.ports.clock.setTimer(() => this.kick(), wakeAt - this.ports.clock.now());
    });
  }

  private warn(w: EngineWarning): void {
    this.sink.warning(w);
  }

  kick(): void {
    this.timer?.clear();
    this.timer = null;
    const wake = this.wakeUp;
    this.wakeUp = null;
    if (wake) wake();
    else this.dirty = true;
  }
}
