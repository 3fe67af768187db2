// The driver: the one impure loop. Decide → apply each decision (record events, start processes) → wait → repeat.
import os from 'node:os';
import type { Blueprint, CommandTaskSpec, TaskSpec } from '../blueprint/model.js';
import { execute, membersOfGroups, signalGroup, terminateGroup, type ExecOutcome } from '../executor/index.js';
import { killRunProcesses } from '../executor/orphans.js';
import { readControlRequests, removeControlRequest, watchControl, type ControlRequest, type RunStore } from '../store/index.js';
import type { Reporter } from '../report/reporter.js';
import { buildContext } from './context.js';
import { prepareAttempt } from './command.js';
import { decide } from './decider.js';
import type { Decision, Scope } from './decisions.js';
import type { NewEvent, RunEvent } from './events.js';
import { Evaluations } from './evaluations.js';
import { Recorder } from './recorder.js';
import { retryDelay, shouldRetry } from './retry.js';
import type { RunState } from './state.js';
import type { RunStatus } from './status.js';

export interface DriverOptions {
  keepGoing: boolean;
  /** Most command tasks running at once. */
  concurrency: number;
  verbose: boolean;
  /** Events to record once the driver took over (retry/rerun resets, a cancel of an interrupted run). */
  prelude?: NewEvent[];
}

interface RunningAttempt {
  abort: AbortController;
  canceling: boolean;
  pid: number | null;
}

export class Driver {
  private readonly running = new Map<string, RunningAttempt>();
  /** Process groups of completed attempts, checked for leftovers at the end of the run. */
  private readonly finishedGroups: { key: string; pid: number }[] = [];
  private readonly evaluations: Evaluations;
  private wakeUp: (() => void) | null = null;
  private timer: NodeJS.Timeout | null = null;
  private dirty = false;
  private interruptedBy: NodeJS.Signals | null = null;
  private readonly activeBase: number;
  private readonly since = Date.now();
  private activeFrozen: number | null = null;
  private readonly recorder: Recorder;
  /** Something may be waiting in the control folder (cancel, signal). */
  private controlDirty = true;
  /** What the decider knows is done; cleared when a reset makes done work pending again. */
  private readonly memo = new Map<string, number>();
  /** The store failed (disk full, unwritable): stop everything and report it. */
  private fatal: Error | null = null;

  constructor(
    private readonly bp: Blueprint,
    readonly state: RunState,
    private readonly store: RunStore,
    private readonly reporter: Reporter,
    private readonly options: DriverOptions,
  ) {
    this.activeBase = state.active_ms;
    this.recorder = new Recorder(state, store, (e, st) => {
      if (e.type === 'run_reset' || e.type === 'subrun_retry') this.memo.clear();
      reporter.event(e, st);
    });
    this.evaluations = new Evaluations(bp, state, store.dir, (e) => this.record(e));
    this.evaluations.warn = (text) => reporter.message('warning', text);
  }

  /** Drives the run until it ends or is interrupted; returns the run's status. */
  async drive(): Promise<RunStatus> {
    const fresh = this.state.seq === 0;
    if (fresh) this.record({ type: 'run_created', id: this.state.id, workflow: this.state.workflow, inputs: this.state.inputs });
    this.record({ type: 'driver_started', pid: process.pid, host: os.hostname() });
    if (!fresh) await this.recoverInFlight();
    for (const e of this.options.prelude ?? []) this.record(e);
    for (const frame of ['', ...Object.values(this.state.tasks).filter((t) => t.frame).map((t) => t.key)]) {
      await this.evaluations.prepareFrame(frame);
    }
    const stopWatching = watchControl(this.store.dir, () => {
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
    while (this.running.size > 0) await this.sleep(null);
    await this.killLeftovers();
    if (this.fatal) throw this.fatal;
    const status = this.state.phase === 'done' ? this.state.status : 'interrupted';
    this.record({ type: 'driver_stopped', status, active_ms: this.activeMs() });
    this.store.flush();
    return this.state.status;
  }

  private async loop(): Promise<void> {
    for (;;) {
      this.dirty = false;
      if (this.interruptedBy || this.fatal) return;
      let progressed = this.controlDirty && this.takeControlRequests();
      const { decisions, wakeAt } = decide(this.bp, this.state, { now: Date.now(), activeMs: this.activeMs() }, { keepGoing: this.options.keepGoing, memo: this.memo });
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

  /** A driver that died left attempts on record as running: their processes are ended, and they run again as new attempts. */
  private async recoverInFlight(): Promise<void> {
    const killed = await killRunProcesses(this.state.id, 2000);
    if (killed.length > 0) {
      this.reporter.message('warning', `ended ${killed.length} process(es) left by the interrupted driver: ${killed.map((k) => `${k.pid} (${k.command})`).join(', ')}`);
    }
    const now = new Date().toISOString();
    for (const inst of Object.values(this.state.tasks)) {
      if ((inst.kind !== 'run' && inst.kind !== 'command') || inst.status !== 'running') continue;
      this.record({
        type: 'attempt_ended', key: inst.key, attempt: inst.attempts, status: 'canceled', exit_code: null, signal: null,
        error: 'interrupted: the driver stopped before the attempt ended', output: null, stdout: inst.stdout, stderr: inst.stderr,
        retry_at: now, counted: false,
      });
    }
    this.store.flush();
  }

  /** Requests other processes left in the control folder: `baton cancel`, `baton signal`. */
  private takeControlRequests(): boolean {
    this.controlDirty = false;
    let progressed = false;
    for (const { file, request } of readControlRequests(this.store.dir)) {
      this.control(request);
      this.store.flush();
      removeControlRequest(file);
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
    const waiting = this.running.size === 0 && Object.values(this.state.tasks).some((t) => t.status === 'waiting');
    const status = waiting ? 'waiting' : 'running';
    if (this.state.status !== status) this.record({ type: 'run_status', status });
  }

  /** SIGINT/SIGTERM/SIGHUP: stop starting tasks and end the running ones (grace, then SIGKILL); a second one kills at once. */
  interrupt(signal: NodeJS.Signals): void {
    const again = this.interruptedBy !== null;
    this.interruptedBy ??= signal;
    for (const attempt of this.running.values()) {
      // An abort is taken once; the impatient second Ctrl-C goes straight to SIGKILL.
      if (again && attempt.pid !== null) signalGroup(attempt.pid, 'SIGKILL');
      else attempt.abort.abort('interrupt');
    }
    this.kick();
  }

  get interruptSignal(): NodeJS.Signals | null {
    return this.interruptedBy;
  }

  private activeMs(): number {
    if (this.activeFrozen !== null) return this.activeFrozen;
    const now = this.activeBase + (Date.now() - this.since);
    if (this.state.phase !== 'main' || this.state.outcome !== null) this.activeFrozen = now;
    return now;
  }

  record(e: NewEvent): RunEvent {
    return this.recorder.record(e);
  }

  /** When a batch ends or cancels something, apply only that: starts decided beside it may already be moot. */
  private applicable(decisions: Decision[]): Decision[] {
    const stopping = decisions.filter((d) => d.type === 'ending' || d.type === 'outcome');
    return stopping.length > 0 ? stopping : decisions;
  }

  private async apply(d: Decision): Promise<boolean> {
    switch (d.type) {
      case 'start':
        return this.start(d.key, d.spec, d.scope);
      case 'cancel': {
        const attempt = this.running.get(d.key);
        if (!attempt || attempt.canceling) return false;
        attempt.canceling = true;
        attempt.abort.abort('cancel');
        return false;
      }
      case 'end':
        this.record({ type: 'task_ended', key: d.key, status: d.status, output: d.output, error: d.error });
        return true;
      case 'ending':
        this.record({ type: 'task_ending', key: d.key, status: d.status, error: d.error });
        return true;
      case 'iterate':
        this.record({ type: 'loop_iteration', key: d.key, iteration: d.iteration });
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
        return this.evaluations.skip(d.key, d.spec, d.scope);
      case 'outputs':
        return this.evaluations.outputs(d.frame);
    }
  }

  private async start(key: string, spec: TaskSpec, scope: Scope): Promise<boolean> {
    if (spec.kind === 'run' || spec.kind === 'command') {
      if (this.running.size >= this.options.concurrency) return false;
      return this.startAttempt(key, spec, scope);
    }
    return this.evaluations.begin(key, spec, scope);
  }

  private async startAttempt(key: string, spec: CommandTaskSpec, scope: Scope): Promise<boolean> {
    const attempt = (this.state.tasks[key]?.attempts ?? 0) + 1;
    const logs = this.store.logPaths(key, attempt);
    const running: RunningAttempt = { abort: new AbortController(), canceling: false, pid: null };
    this.running.set(key, running);
    this.record({ type: 'attempt_started', key, id: spec.id, kind: spec.kind, attempt, stdout_log: logs.stdout, stderr_log: logs.stderr });
    let request;
    try {
      const ctx = this.evaluations.context(scope);
      const env = this.evaluations.attemptEnv(scope.frame, key, attempt);
      request = await prepareAttempt(spec, ctx, env, {
        stdoutPath: this.store.resolve(logs.stdout),
        stderrPath: this.store.resolve(logs.stderr),
        outputFile: this.store.resolve(`${logs.stdout.replace(/\.stdout$/, '')}.output`),
        scriptPath: this.store.resolve(`${logs.stdout.replace(/\.stdout$/, '')}.script`),
      }, this.state.invocation_dir);
    } catch (err) {
      // A template that cannot be rendered fails the same way every time: no retries.
      this.running.delete(key);
      this.endAttempt(key, attempt, spec, {
        status: 'failed', exitCode: null, signal: null, pid: null, output: null,
        stdout: { text: '', truncated: false }, stderr: { text: '', truncated: false },
        error: (err as Error).message, durationMs: 0,
      }, false);
      return true;
    }
    this.flush(); // the attempt is on record before its process exists
    if (this.fatal) {
      this.running.delete(key);
      return true;
    }
    void execute({
      ...request,
      secrets: this.evaluations.secretValues(scope.frame),
      abort: running.abort.signal,
      onSpawn: (pid) => {
        running.pid = pid;
        if (this.fatal) return;
        this.record({ type: 'attempt_spawned', key, attempt, pid });
        this.flush();
      },
      ...(this.options.verbose ? { onOutput: (stream: 'stdout' | 'stderr', text: string) => this.reporter.output(key, stream, text) } : {}),
    }).then((outcome) => {
      this.running.delete(key);
      if (!this.fatal) {
        this.endAttempt(key, attempt, spec, outcome, true);
        this.flush();
      }
      this.kick();
    });
    return true;
  }

  private endAttempt(key: string, attempt: number, spec: CommandTaskSpec, outcome: ExecOutcome, retriable: boolean): void {
    const inst = this.state.tasks[key];
    let retryAt: string | null = null;
    let counted = true;
    if (this.interruptedBy && outcome.status === 'canceled') {
      // Interrupted, not failed: resume runs it again as a new attempt, outside the retry budget.
      retryAt = new Date().toISOString();
      counted = false;
    } else if (retriable && shouldRetry(spec.retry, (inst?.budget_used ?? 0) + 1, outcome)) {
      retryAt = new Date(Date.now() + retryDelay(spec.retry, (inst?.budget_used ?? 0) + 1)).toISOString();
    }
    if (outcome.status === 'completed' && outcome.pid !== null) this.finishedGroups.push({ key, pid: outcome.pid });
    this.record({
      type: 'attempt_ended', key, attempt, status: outcome.status, exit_code: outcome.exitCode, signal: outcome.signal,
      error: this.interruptedBy && outcome.status === 'canceled' ? 'interrupted' : outcome.error,
      output: outcome.output, stdout: outcome.stdout, stderr: outcome.stderr, retry_at: retryAt, counted,
    });
  }

  /** Processes a completed task left running in its group do not outlive the run (SPEC §1.2). */
  private async killLeftovers(): Promise<void> {
    if (this.finishedGroups.length === 0) return;
    const live = membersOfGroups(this.finishedGroups.map((g) => g.pid)); // one /proc scan for all of them
    for (const { key, pid } of this.finishedGroups) {
      const members = live.get(pid);
      if (!members || members.length === 0) continue;
      const names = members.map((m) => `${m.pid} (${m.command})`).join(', ');
      this.reporter.message('warning', `task ${key} left processes running; killing them: ${names}`);
      await terminateGroup(pid, 1000);
    }
  }

  /** Writes the journal; a failure to write stops the run cleanly instead of running tasks that cannot be recorded. */
  private flush(): void {
    try {
      this.store.flush();
    } catch (err) {
      this.failHard(err as Error);
    }
  }

  private failHard(err: Error): void {
    this.fatal ??= err;
    for (const attempt of this.running.values()) attempt.abort.abort('cancel');
    this.kick();
  }

  private sleep(wakeAt: number | null): Promise<void> {
    if (this.dirty) {
      this.dirty = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      this.wakeUp = resolve;
      if (wakeAt !== null) this.timer = setTimeout(() => this.kick(), Math.max(0, wakeAt - Date.now()));
    });
  }

  kick(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const wake = this.wakeUp;
    this.wakeUp = null;
    if (wake) wake();
    else this.dirty = true;
  }
}
