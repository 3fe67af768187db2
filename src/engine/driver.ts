// The driver: the one impure loop. Decide → apply each decision (record events, start processes) → wait → repeat.
import os from 'node:os';
import type { Blueprint, CommandTaskSpec, TaskSpec } from '../blueprint/model.js';
import { execute, groupMembers, terminateGroup, type ExecOutcome } from '../executor/index.js';
import type { RunStore } from '../store/index.js';
import type { Reporter } from '../report/reporter.js';
import { buildContext } from './context.js';
import { prepareAttempt } from './command.js';
import { decide } from './decider.js';
import type { Decision, Scope } from './decisions.js';
import type { NewEvent, RunEvent } from './events.js';
import { Evaluations } from './evaluations.js';
import { applyEvent } from './reducer.js';
import { retryDelay, shouldRetry } from './retry.js';
import type { RunState } from './state.js';
import type { RunStatus } from './status.js';

export interface DriverOptions {
  keepGoing: boolean;
  /** Most command tasks running at once. */
  concurrency: number;
  verbose: boolean;
}

interface RunningAttempt {
  abort: AbortController;
  canceling: boolean;
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

  constructor(
    private readonly bp: Blueprint,
    readonly state: RunState,
    private readonly store: RunStore,
    private readonly reporter: Reporter,
    private readonly options: DriverOptions,
  ) {
    this.activeBase = state.active_ms;
    this.evaluations = new Evaluations(bp, state, store.dir, (e) => this.record(e));
    this.evaluations.warn = (text) => reporter.message('warning', text);
  }

  /** Drives the run until it ends or is interrupted; returns the run's status. */
  async drive(): Promise<RunStatus> {
    if (this.state.seq === 0) this.record({ type: 'run_created', id: this.state.id, workflow: this.state.workflow, inputs: this.state.inputs });
    this.record({ type: 'driver_started', pid: process.pid, host: os.hostname() });
    for (const frame of ['', ...Object.values(this.state.tasks).filter((t) => t.frame).map((t) => t.key)]) {
      await this.evaluations.prepareFrame(frame);
    }
    for (;;) {
      this.dirty = false;
      if (this.interruptedBy) break;
      const { decisions, wakeAt } = decide(this.bp, this.state, { now: Date.now(), activeMs: this.activeMs() }, this.options);
      let progressed = false;
      for (const d of this.applicable(decisions)) {
        if (await this.apply(d)) progressed = true;
        if (this.interruptedBy) break;
      }
      this.store.flush();
      if (this.state.phase === 'done') break;
      if (!progressed) await this.sleep(wakeAt);
    }
    while (this.running.size > 0) await this.sleep(null);
    await this.killLeftovers();
    const status = this.state.phase === 'done' ? this.state.status : 'interrupted';
    this.record({ type: 'driver_stopped', status, active_ms: this.activeMs() });
    this.store.flush();
    return this.state.status;
  }

  /** SIGINT/SIGTERM/SIGHUP: stop starting tasks and end the running ones (grace, then SIGKILL); a second one kills at once. */
  interrupt(signal: NodeJS.Signals): void {
    const again = this.interruptedBy !== null;
    this.interruptedBy ??= signal;
    for (const attempt of this.running.values()) attempt.abort.abort(again ? 'cancel' : 'interrupt');
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
    const event = { ...e, seq: this.state.seq + 1, at: new Date().toISOString() } as RunEvent;
    this.store.append(event);
    applyEvent(this.state, event);
    this.reporter.event(event, this.state);
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
    const running: RunningAttempt = { abort: new AbortController(), canceling: false };
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
    this.store.flush(); // the attempt is on record before its process exists
    void execute({
      ...request,
      secrets: this.evaluations.secretValues(scope.frame),
      abort: running.abort.signal,
      onSpawn: (pid) => {
        this.record({ type: 'attempt_spawned', key, attempt, pid });
        this.store.flush();
      },
      ...(this.options.verbose ? { onOutput: (stream: 'stdout' | 'stderr', text: string) => this.reporter.output(key, stream, text) } : {}),
    }).then((outcome) => {
      this.running.delete(key);
      this.endAttempt(key, attempt, spec, outcome, true);
      this.store.flush();
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
    for (const { key, pid } of this.finishedGroups) {
      const members = groupMembers(pid);
      if (members.length === 0) continue;
      const names = members.map((m) => `${m.pid} (${m.command})`).join(', ');
      this.reporter.message('warning', `task ${key} left processes running; killing them: ${names}`);
      await terminateGroup(pid, 1000);
    }
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
