// Runs the attempts of command tasks for the driver: starts them, ends them on record, cancels them, and makes
// sure nothing they started outlives the run.
import type { CommandTaskSpec } from '../../blueprint/model.js';
import type { ExecOutcome, RunProcess } from '../../executor/index.js';
import { EvaluationStopped } from '../../expr/index.js';
import { prepareAttempt } from './command.js';
import type { Scope } from '../core/decisions.js';
import type { Evaluations } from './evaluations.js';
import type { NewEvent } from '../core/events.js';
import { nextAttempt, type NextAttempt } from '../core/retry.js';
import type { RunState } from '../core/state.js';
import type { Clock, EventSink, Executor, RunJournal } from '../ports.js';

/** What the attempts need from the driver. */
export interface AttemptHost {
  state: RunState;
  journal: RunJournal;
  executor: Executor;
  /** Masks what it is given: warnings go out through it. */
  sink: EventSink;
  clock: Clock;
  evaluations: Evaluations;
  verbose: boolean;
  record(e: NewEvent): unknown;
  flush(): void;
  kick(): void;
  /** The store failed: record nothing more. */
  stopped(): boolean;
  interrupted(): boolean;
}

interface RunningAttempt {
  abort: AbortController;
  canceling: boolean;
  pid: number | null;
}

export class Attempts {
  private readonly running = new Map<string, RunningAttempt>();
  /** Process groups of completed attempts, checked for leftovers at the end of the run. */
  private readonly finishedGroups: { key: string; pid: number }[] = [];
  /** Ended attempts waiting for a scan for processes that escaped their group; one scan serves all of them. */
  private escapeChecks: { key: string; attempt: number; done: () => void }[] = [];
  private scanning = false;

  constructor(private readonly host: AttemptHost) {}

  /** Attempts running now (the concurrency limit counts these). */
  get size(): number {
    return this.running.size;
  }

  /**
   * Stops a running attempt; it ends `canceled`. At once (fail_fast, an enclosing timeout), or `gracefully` —
   * SIGTERM, kill_grace, SIGKILL — when the whole run stops (`baton cancel`, the run timeout), so traps can clean up.
   */
  cancel(key: string, gracefully = false): void {
    const attempt = this.running.get(key);
    if (!attempt || attempt.canceling) return;
    attempt.canceling = true;
    attempt.abort.abort(gracefully ? 'stop' : 'cancel');
  }

  cancelAll(): void {
    for (const attempt of this.running.values()) attempt.abort.abort('cancel');
  }

  /** SIGTERM, grace, SIGKILL; `again` (a second Ctrl-C): SIGKILL now — an abort is taken only once. */
  interrupt(again: boolean): void {
    for (const attempt of this.running.values()) {
      if (again && attempt.pid !== null) this.host.executor.signalGroup(attempt.pid, 'SIGKILL');
      else attempt.abort.abort('interrupt');
    }
  }

  /** `reattach`: the attempt on record as running is taken up again (same number, already on record). */
  async start(key: string, spec: CommandTaskSpec, scope: Scope, reattach = false): Promise<boolean> {
    const attempt = (this.host.state.tasks[key]?.attempts ?? 0) + (reattach ? 0 : 1);
    const logs = this.host.journal.logPaths(key, attempt);
    const running: RunningAttempt = { abort: new AbortController(), canceling: false, pid: null };
    this.running.set(key, running);
    const started = { type: 'attempt_started', key, id: spec.id, kind: spec.kind, attempt, stdout_log: logs.stdout, stderr_log: logs.stderr } as const;
    let request;
    try {
      const ctx = this.host.evaluations.context(scope);
      const env = this.host.evaluations.attemptEnv(scope.frame, key, attempt);
      request = await prepareAttempt(spec, ctx, env, {
        stdoutPath: this.host.journal.resolve(logs.stdout),
        stderrPath: this.host.journal.resolve(logs.stderr),
        outputFile: this.host.journal.resolve(logs.output),
        scriptPath: this.host.journal.resolve(logs.script),
      }, this.host.state.invocation_dir);
    } catch (err) {
      this.running.delete(key);
      // Stopped while rendering (interrupt, timeout due): not started, so nothing to record; decided again later.
      if (err instanceof EvaluationStopped) return false;
      // A template that cannot be rendered fails the same way every time: no retries.
      if (!reattach) this.host.record(started);
      const outcome: ExecOutcome = {
        status: 'failed', exitCode: null, signal: null, pid: null, output: null,
        stdout: { text: '', truncated: false }, stderr: { text: '', truncated: false },
        error: (err as Error).message, durationMs: 0,
      };
      this.end(key, attempt, outcome, this.nextAttempt(key, spec, outcome, false));
      return true;
    }
    if (!reattach) this.host.record(started);
    this.host.flush(); // the attempt is on record before its process exists
    if (this.host.stopped()) {
      this.running.delete(key);
      return true;
    }
    void this.host.executor.execute({
      ...request,
      job: { runId: this.host.state.id, key, attempt, ...(spec.pool === undefined ? {} : { pool: spec.pool }), ...(reattach ? { reattach } : {}) },
      secrets: this.host.evaluations.secretValues(scope.frame),
      abort: running.abort.signal,
      onSpawn: (pid, worker) => {
        // A remote worker's pid is no process group of this machine: signals reach it through the executor's abort.
        if (worker === undefined) running.pid = pid;
        if (this.host.stopped()) return;
        this.host.record({ type: 'attempt_spawned', key, attempt, pid, ...(worker ? { worker } : {}) });
        this.host.flush();
      },
      ...(this.host.verbose ? { onOutput: (stream: 'stdout' | 'stderr', text: string) => this.host.sink.output(key, stream, text) } : {}),
    }).then(async (outcome) => {
      const next = this.nextAttempt(key, spec, outcome, true);
      // Before a retry, what the attempt left outside its group is killed, so two attempts never overlap. Only then:
      // a /proc scan per failed attempt would slow a failing fan-out down; the run's end catches the rest.
      if (next.delayMs !== null && next.counted && outcome.pid !== null) await this.killEscaped(key, attempt);
      this.running.delete(key);
      if (!this.host.stopped()) {
        this.end(key, attempt, outcome, next);
        this.host.flush();
      }
      this.host.kick();
    });
    return true;
  }

  /** Whether another attempt follows this one (after `delayMs`), and whether this one counts against the retry budget. */
  private nextAttempt(key: string, spec: CommandTaskSpec, outcome: ExecOutcome, retriable: boolean): NextAttempt {
    const budgetUsed = this.host.state.tasks[key]?.budget_used ?? 0;
    // A remote attempt lost with its worker is interrupted, as the attempts of a driver that stopped are.
    const interrupted = this.host.interrupted() || outcome.interrupted === true;
    return nextAttempt(spec.retry, budgetUsed, outcome, { interrupted, retriable }, this.host.clock.random);
  }

  private end(key: string, attempt: number, outcome: ExecOutcome, { delayMs, counted }: NextAttempt): void {
    // The delay counts from the end on record (after any scan for escaped processes), so the gap is the full delay.
    const retryAt = delayMs === null ? null : new Date(this.host.clock.now() + delayMs).toISOString();
    if (outcome.status === 'completed' && outcome.pid !== null) this.finishedGroups.push({ key, pid: outcome.pid });
    if (outcome.outputMasked) this.host.sink.warning({ code: 'output_masked', task: key });
    this.host.record({
      type: 'attempt_ended', key, attempt, status: outcome.status, exit_code: outcome.exitCode, signal: outcome.signal,
      error: !counted && outcome.status === 'canceled' ? 'interrupted' : outcome.error,
      output: outcome.output, stdout: outcome.stdout, stderr: outcome.stderr, retry_at: retryAt, counted,
    });
  }

  /** Kills what attempt `attempt` of `key` left outside its group (setsid); scans /proc once for every attempt waiting. */
  private killEscaped(key: string, attempt: number): Promise<void> {
    return new Promise((done) => {
      this.escapeChecks.push({ key, attempt, done });
      void this.scanForEscaped();
    });
  }

  private async scanForEscaped(): Promise<void> {
    if (this.scanning) return;
    this.scanning = true;
    try {
      while (this.escapeChecks.length > 0) {
        const batch = this.escapeChecks.splice(0);
        const wanted = new Set(batch.map((c) => `${c.key}#${c.attempt}`));
        const found = this.host.executor.findRunProcesses(this.host.journal.dir).filter((p) => wanted.has(`${p.task}#${p.attempt}`));
        await this.killProcesses(found, 0);
        for (const check of batch) check.done();
      }
    } finally {
      this.scanning = false;
    }
  }

  /** Kills the groups of `processes` (grace 0: SIGKILL at once), naming them per task; never a running attempt's group. */
  private async killProcesses(processes: RunProcess[], graceMs: number): Promise<void> {
    const runningGroups = new Set([...this.running.values()].map((r) => r.pid));
    const targets = processes.filter((p) => !runningGroups.has(p.pgrp));
    if (targets.length === 0) return;
    const byTask = new Map<string, RunProcess[]>();
    for (const p of targets) byTask.set(p.task ?? '?', [...(byTask.get(p.task ?? '?') ?? []), p]);
    for (const [task, list] of byTask) {
      this.host.sink.warning({ code: 'escaped_processes', task, processes: list.map((p) => ({ pid: p.pid, command: p.command })) });
    }
    const groups = [...new Set(targets.map((p) => p.pgrp))];
    await Promise.all(groups.map((g) => (graceMs > 0 ? this.host.executor.terminateGroup(g, graceMs) : this.host.executor.killGroup(g))));
  }

  /** At the end of a run (or driver): whatever still carries the run's BATON_RUN_DIR, wherever it went, is ended. */
  async killEscapedAll(): Promise<void> {
    await this.killProcesses(this.host.executor.findRunProcesses(this.host.journal.dir), 1000);
  }

  /** Processes a completed task left running in its group do not outlive the run (SPEC §1.2). */
  async killLeftovers(): Promise<void> {
    if (this.finishedGroups.length === 0) return;
    const live = this.host.executor.membersOfGroups(this.finishedGroups.map((g) => g.pid)); // one /proc scan for all of them
    for (const { key, pid } of this.finishedGroups) {
      const members = live.get(pid);
      if (!members || members.length === 0) continue;
      this.host.sink.warning({ code: 'leftover_processes', task: key, processes: members.map((m) => ({ pid: m.pid, command: m.command })) });
      await this.host.executor.terminateGroup(pid, 1000);
    }
  }
}
