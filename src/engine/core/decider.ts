// The decider: compares a run's recorded state with its blueprint and says what happens next. Pure: it reads the
// blueprint, the state and the clock it is given, and writes only to the memo the caller hands it (see `memo`).
import { isGraph, type Blueprint, type TaskSpec } from '../../blueprint/model.js';
import { formatDuration } from '../../blueprint/duration.js';
import type { Decision, Decisions, Scope } from './decisions.js';
import { bodyPrefix, getFrame, matrixLabel, subRunPrefix } from './keys.js';
import { topologicalOrder } from './order.js';
import type { RunState, TaskInstance } from './state.js';
import { isSuccessful, isTerminal, type RunStatus } from './status.js';

export interface Clock {
  now: number;
  /** Milliseconds the run's main tasks have been driven so far (for the run `timeout`). */
  activeMs: number;
}

export interface DecideOptions {
  /** --keep-going: `fail_fast: false` everywhere. */
  keepGoing: boolean;
  /**
   * How many leading tasks of a list (or items of a for_each) are known to be done, kept between decisions so each
   * decision starts where the last one left off instead of re-walking finished work (which made a 10,000-item
   * for_each quadratic). Done is final until a retry/rerun resets instances; the driver clears the memo then.
   */
  memo?: Map<string, number>;
  /** Command tasks whose attempt a driver that died left running with an executor that can take it up again. */
  reattach?: ReadonlySet<string>;
}

/** How a list (or task) stands: finished well, failed for good, still busy, or stopped without finishing (draining). */
type Progress = { state: 'done' } | { state: 'failed'; key: string } | { state: 'active' } | { state: 'stopped' };
const DONE: Progress = { state: 'done' };
const ACTIVE: Progress = { state: 'active' };
const STOPPED: Progress = { state: 'stopped' };

export function decide(bp: Blueprint, state: RunState, clock: Clock, options: DecideOptions): Decisions {
  const walk = new Walk(state, clock, options);
  if (state.phase !== 'done') walk.frame(bp, '', '', false);
  return { decisions: walk.out, wakeAt: walk.wakeAt, timeoutAt: walk.timeoutAt };
}

class Walk {
  readonly out: Decision[] = [];
  wakeAt: number | null = null;
  timeoutAt: number | null = null;

  constructor(
    private readonly state: RunState,
    private readonly clock: Clock,
    private readonly options: DecideOptions,
  ) {}

  private wake(at: number): void {
    if (this.wakeAt === null || at < this.wakeAt) this.wakeAt = at;
  }

  /** A timeout's deadline: a wake-up, and a point where an expression still evaluating must stop. */
  private timeout(at: number): void {
    this.wake(at);
    if (this.timeoutAt === null || at < this.timeoutAt) this.timeoutAt = at;
  }

  /** A run or sub-run: its main tasks, then on_failure, then finally. */
  frame(bp: Blueprint, frameKey: string, prefix: string, outerDrain: boolean): Progress {
    const frame = getFrame(this.state, frameKey);
    const scope: Scope = { prefix, frame: frameKey };
    if (frame.phase === 'main') {
      if (frameKey === '' && frame.outcome === null && bp.timeoutMs !== undefined) {
        if (this.clock.activeMs >= bp.timeoutMs) {
          this.out.push({ type: 'outcome', frame: '', status: 'timed_out', error: { task: null, message: `run timed out after ${formatDuration(bp.timeoutMs)}` } });
          return ACTIVE;
        }
        this.timeout(this.clock.now + (bp.timeoutMs - this.clock.activeMs));
      }
      const progress = this.list(bp.tasks, scope, outerDrain || frame.outcome !== null);
      if (progress.state === 'active') return ACTIVE;
      if (frame.outcome === null) {
        if (progress.state === 'done') this.out.push({ type: 'outputs', frame: frameKey });
        else if (progress.state === 'failed') {
          // run.error names the task that really failed, not the control-flow task around it.
          const cause = this.causeOf(progress.key);
          const failed = this.state.tasks[cause] ?? this.state.tasks[progress.key];
          // A task that timed out for good ends the run `timed_out`, as Conductor does (retries spent or not).
          const status = failed?.status === 'timed_out' ? 'timed_out' : 'failed';
          this.out.push({ type: 'outcome', frame: frameKey, status, error: { task: cause, message: failed?.error ?? `${failed?.status}` } });
        } else this.out.push({ type: 'outcome', frame: frameKey, status: 'canceled', error: { task: null, message: 'canceled' } });
        return ACTIVE;
      }
      // Ending otherwise (failed, timed out, canceled): its outputs are still evaluated, as Conductor does, once nothing runs.
      if (frame.outputs === null) {
        this.out.push({ type: 'outputs', frame: frameKey });
        return ACTIVE;
      }
      const failing = frame.outcome === 'failed' || frame.outcome === 'timed_out';
      return this.advance(bp, frameKey, failing && bp.onFailure.length > 0 ? 'on_failure' : 'finally');
    }
    if (frame.phase === 'on_failure') {
      const progress = this.list(bp.onFailure, scope, false);
      if (progress.state === 'active') return ACTIVE;
      return this.advance(bp, frameKey, 'finally');
    }
    if (frame.phase === 'finally') {
      // Every finally task runs, even after an earlier one failed.
      for (const spec of bp.finally) {
        if (this.task(spec, scope, false).state === 'active') return ACTIVE;
      }
      this.out.push({ type: 'finish', frame: frameKey, ...this.finalStatus(bp, frameKey) });
      return ACTIVE;
    }
    return DONE;
  }

  private advance(bp: Blueprint, frameKey: string, next: 'on_failure' | 'finally'): Progress {
    if (next === 'on_failure') this.out.push({ type: 'phase', frame: frameKey, phase: 'on_failure' });
    else if (bp.finally.length > 0) this.out.push({ type: 'phase', frame: frameKey, phase: 'finally' });
    else this.out.push({ type: 'finish', frame: frameKey, ...this.finalStatus(bp, frameKey) });
    return ACTIVE;
  }

  /** The outcome, turned `failed` when a handler failed (SPEC §1.2). */
  private finalStatus(bp: Blueprint, frameKey: string): { status: RunStatus; error: RunState['error'] } {
    const frame = getFrame(this.state, frameKey);
    // A sub-run stopped by its workflow task's timeout ends the task `timed_out`, not `canceled`.
    const owner = frameKey === '' ? undefined : this.state.tasks[frameKey];
    if (owner?.ending) return { status: owner.ending as RunStatus, error: { task: null, message: owner.error ?? owner.ending } };
    const status = frame.outcome ?? 'completed';
    if (status !== 'completed') return { status, error: frame.error };
    const prefix = frameKey === '' ? '' : subRunPrefix(frameKey);
    for (const spec of [...bp.onFailure, ...bp.finally]) {
      const inst = this.state.tasks[prefix + spec.id];
      if (inst && isTerminal(inst.status) && !isSuccessful(inst.status) && !spec.optional) {
        return { status: 'failed', error: { task: inst.key, message: inst.error ?? inst.status } };
      }
    }
    return { status, error: null };
  }

  /** A sequential list: each task starts when the one before it finished well. */
  list(tasks: TaskSpec[], scope: Scope, drain: boolean): Progress {
    if (isGraph(tasks)) return this.graph(tasks, scope, drain);
    const memoKey = tasks.length > 1 && this.options.memo ? `${scope.prefix}#${tasks[0]!.id}` : null;
    const from = memoKey ? (this.options.memo!.get(memoKey) ?? 0) : 0;
    for (let i = from; i < tasks.length; i++) {
      const progress = this.task(tasks[i]!, scope, drain);
      if (progress.state !== 'done') {
        if (memoKey && i > from) this.options.memo!.set(memoKey, i);
        return progress;
      }
    }
    if (memoKey) this.options.memo!.set(memoKey, tasks.length);
    return DONE;
  }

  /**
   * A graph list (some task has `needs`): each task starts once everything it needs ended well (completed, skipped,
   * or failed while optional). A task whose need failed is skipped with the reason, unless its `if` reads `needs`.
   * As in `parallel`, a failure stops the list (running tasks canceled, nothing new started) unless --keep-going.
   */
  private graph(tasks: TaskSpec[], scope: Scope, drain: boolean): Progress {
    const memoKey = this.options.memo ? `${scope.prefix}#${tasks[0]!.id}` : null;
    if (memoKey && this.options.memo!.get(memoKey) === tasks.length) return DONE;
    const failedForGood = tasks.some((spec) => {
      const status = this.state.tasks[scope.prefix + spec.id]?.status;
      return (status === 'failed' || status === 'timed_out') && !spec.optional;
    });
    const stop = drain || (failedForGood && !this.options.keepGoing);
    const progress = new Map<string, Progress>();
    for (const spec of topologicalOrder(tasks)) {
      const key = scope.prefix + spec.id;
      const inst = this.state.tasks[key];
      const own: Scope = spec.needs ? { ...scope, needs: spec.needs } : scope;
      const waiting = !inst || (inst.status === 'pending' && inst.retry_at === null && inst.condition == null);
      progress.set(spec.id, !waiting || stop ? this.task(spec, own, stop) : this.afterNeeds(spec, key, own, progress));
    }
    let active = false;
    let failed: string | null = null;
    let stopped = false;
    for (const spec of tasks) {
      const p = progress.get(spec.id)!;
      if (p.state === 'active') active = true;
      else if (p.state === 'failed') failed ??= p.key;
      else if (p.state === 'stopped') stopped = true;
    }
    if (active) return ACTIVE;
    if (failed) return { state: 'failed', key: failed };
    if (stopped) return STOPPED;
    if (memoKey) this.options.memo!.set(memoKey, tasks.length);
    return DONE;
  }

  /** A graph task not started yet: wait for its needs, start it, or skip it because one of them did not succeed. */
  private afterNeeds(spec: TaskSpec, key: string, scope: Scope, progress: Map<string, Progress>): Progress {
    let blocker: string | null = null;
    for (const id of spec.needs ?? []) {
      const state = progress.get(id)?.state ?? 'done';
      if (state === 'active') return ACTIVE;
      if (state === 'stopped') return STOPPED;
      const need = this.state.tasks[scope.prefix + id];
      const skippedFor = need?.status === 'skipped' && need.error !== null;
      if (blocker === null && (state === 'failed' || skippedFor)) blocker = id;
    }
    if (blocker === null || spec.ifReadsNeeds) return this.task(spec, scope, false);
    const need = this.state.tasks[scope.prefix + blocker];
    const reason = need?.status === 'skipped' ? `needs \`${blocker}\`, which was skipped` : `needs \`${blocker}\`, which ${need?.status === 'timed_out' ? 'timed out' : 'failed'}`;
    this.out.push({ type: 'skip', key, spec, scope, reason });
    return ACTIVE;
  }

  task(spec: TaskSpec, scope: Scope, drain: boolean): Progress {
    const key = scope.prefix + spec.id;
    const inst = this.state.tasks[key];
    if (inst && isTerminal(inst.status)) {
      if (isSuccessful(inst.status) || spec.optional) return DONE;
      // Canceled means stopped by something else (fail_fast, a timeout, cancel): not a failure of its own.
      return inst.status === 'canceled' ? STOPPED : { state: 'failed', key };
    }
    // Pending with a retry time: between attempts. Pending without one: not run yet (or reset by retry/rerun).
    const begun = inst !== undefined && (inst.status !== 'pending' || inst.retry_at !== null);
    if (!begun) {
      if (drain) return STOPPED;
      if (spec.if !== undefined && inst?.condition == null) {
        this.out.push({ type: 'evaluate', key, spec, field: 'condition', scope });
      } else if (inst?.condition === false) {
        this.out.push({ type: 'skip', key, spec, scope });
      } else {
        this.out.push({ type: 'start', key, spec, scope });
      }
      return ACTIVE;
    }
    if (inst.status === 'pending') return this.betweenAttempts(spec, key, inst, scope, drain);
    return this.running(spec, key, inst, scope, drain);
  }

  /** A command or workflow task whose attempt failed and that waits out its retry delay. */
  private betweenAttempts(spec: TaskSpec, key: string, inst: TaskInstance, scope: Scope, drain: boolean): Progress {
    const last = inst.history[inst.history.length - 1];
    if (drain) {
      this.out.push({ type: 'end', key, status: last?.status ?? 'canceled', output: inst.output ?? null, error: inst.error });
      return ACTIVE;
    }
    const due = inst.retry_at ? Date.parse(inst.retry_at) : this.clock.now;
    if (due <= this.clock.now) this.out.push({ type: 'start', key, spec, scope });
    else this.wake(due);
    return ACTIVE;
  }

  private running(spec: TaskSpec, key: string, inst: TaskInstance, taskScope: Scope, drain: boolean): Progress {
    // The lists inside a task do not inherit what the task itself needs.
    const scope: Scope = taskScope.needs ? { prefix: taskScope.prefix, frame: taskScope.frame } : taskScope;
    switch (spec.kind) {
      case 'run':
      case 'command':
        // Taken up first even when draining: only an attempt under way can be canceled.
        if (this.options.reattach?.has(key)) this.out.push({ type: 'start', key, spec, scope: taskScope, reattach: true });
        else if (drain) this.out.push({ type: 'cancel', key });
        return ACTIVE;
      case 'set':
      case 'terminate':
        // Instant tasks start and end in one step; one left running was cut off by a crash: do it again.
        if (!drain) this.out.push({ type: 'start', key, spec, scope });
        return ACTIVE;
      case 'wait':
        return this.waiting(spec, key, inst, drain);
      default:
        break;
    }
    if (!inst.ending && spec.timeoutMs !== undefined && inst.started_at) {
      const deadline = Date.parse(inst.started_at) + spec.timeoutMs;
      if (this.clock.now >= deadline) {
        this.out.push({ type: 'ending', key, status: 'timed_out', error: `timed out after ${formatDuration(spec.timeoutMs)}` });
        return ACTIVE;
      }
      this.timeout(deadline);
    }
    const inner = drain || inst.ending !== null;
    switch (spec.kind) {
      case 'parallel':
        return this.parallel(spec, key, inst, scope, inner);
      case 'for_each':
        return this.forEach(spec, key, inst, scope, inner);
      case 'switch':
        return this.switchTask(spec, key, inst, scope, inner);
      case 'loop':
        return this.loop(spec, key, inst, scope, inner);
      case 'workflow':
        return this.workflow(spec, key, inst, inner);
    }
  }

  private waiting(spec: TaskSpec & { kind: 'wait' }, key: string, inst: TaskInstance, drain: boolean): Progress {
    const timeoutAt = spec.timeoutMs !== undefined && inst.started_at ? Date.parse(inst.started_at) + spec.timeoutMs : null;
    if (drain) {
      this.out.push({ type: 'end', key, status: 'canceled', output: null, error: 'canceled' });
    } else if (inst.deadline && Date.parse(inst.deadline) <= this.clock.now) {
      this.out.push({ type: 'end', key, status: 'completed', output: null, error: null });
    } else if (timeoutAt !== null && timeoutAt <= this.clock.now) {
      this.out.push({ type: 'end', key, status: 'timed_out', output: null, error: `timed out after ${formatDuration(spec.timeoutMs ?? 0)}` });
    } else {
      if (inst.deadline) this.wake(Date.parse(inst.deadline));
      if (timeoutAt !== null) this.timeout(timeoutAt);
    }
    return ACTIVE;
  }

  /** Ends a control-flow task once nothing inside it is busy. */
  private settle(key: string, inst: TaskInstance, failed: string | null, incomplete: boolean, output: () => unknown): Progress {
    if (inst.ending) {
      this.out.push({ type: 'end', key, status: inst.ending, output: null, error: inst.error, cause: inst.cause ?? null });
    } else if (failed) {
      this.out.push({ type: 'end', key, status: 'failed', output: null, error: `task ${failed} failed${this.reason(failed)}`, cause: this.causeOf(failed) });
    } else if (incomplete) {
      this.out.push({ type: 'end', key, status: 'canceled', output: null, error: 'canceled' });
    } else {
      this.out.push({ type: 'end', key, status: 'completed', output: output(), error: null });
    }
    return ACTIVE;
  }

  /** The task whose failure `key` passes on: itself, or what failed inside it. */
  private causeOf(key: string): string {
    return this.state.tasks[key]?.cause ?? key;
  }

  private reason(key: string): string {
    const error = this.state.tasks[key]?.error;
    return error ? `: ${error}` : '';
  }

  private failFast(spec: { failFast: boolean }): boolean {
    return spec.failFast && !this.options.keepGoing;
  }

  private parallel(spec: TaskSpec & { kind: 'parallel' }, key: string, inst: TaskInstance, scope: Scope, drain: boolean): Progress {
    let active = false;
    let failed: string | null = null;
    let stopped = false;
    for (const branch of spec.branches) {
      const progress = this.list(branch, scope, drain);
      if (progress.state === 'active') active = true;
      else if (progress.state === 'failed') failed ??= progress.key;
      else if (progress.state === 'stopped') stopped = true;
    }
    if (active) {
      if (!drain && failed && this.failFast(spec)) {
        this.out.push({ type: 'ending', key, status: 'failed', error: `task ${failed} failed${this.reason(failed)}`, cause: this.causeOf(failed) });
      }
      return ACTIVE;
    }
    return this.settle(key, inst, failed, stopped, () => {
      // fromEntries defines own keys: a last task named `__proto__` is a key, not the prototype.
      const lasts = spec.branches.map((branch) => branch[branch.length - 1]).filter((last) => last !== undefined);
      return Object.fromEntries(lasts.map((last) => [last.id, this.state.tasks[scope.prefix + last.id]?.output ?? null]));
    });
  }

  private forEach(spec: TaskSpec & { kind: 'for_each' }, key: string, inst: TaskInstance, scope: Scope, drain: boolean): Progress {
    if (inst.items === null) {
      if (drain) return this.settle(key, inst, null, true, () => null);
      this.out.push({ type: 'evaluate', key, spec, field: 'items', scope });
      return ACTIVE;
    }
    const cap = typeof spec.concurrency === 'number' ? spec.concurrency : (inst.limit ?? Number.POSITIVE_INFINITY);
    const first = spec.body[0];
    const prefixOf = (i: number): string => bodyPrefix(key, i, spec.matrix ? matrixLabel(inst.items?.[i]) : undefined);
    let active = 0;
    let failed: string | null = null;
    let unstarted = false;
    const memoKey = `${key}[*]`;
    const from = this.options.memo?.get(memoKey) ?? 0;
    let doneUpTo = from;
    for (let i = from; i < inst.items.length; i++) {
      const itemScope: Scope = { prefix: prefixOf(i), frame: scope.frame };
      const started = first !== undefined && this.state.tasks[itemScope.prefix + first.id] !== undefined;
      const holdBack = !started && (drain || active >= cap || (failed !== null && this.failFast(spec)));
      if (holdBack) {
        unstarted = true;
        if (active >= cap && !drain) break;
        continue;
      }
      const progress = this.list(spec.body, itemScope, drain);
      if (progress.state === 'done' && doneUpTo === i) doneUpTo = i + 1;
      if (progress.state === 'active') active++;
      else if (progress.state === 'failed') failed ??= progress.key;
      else if (progress.state === 'stopped') unstarted = true;
    }
    this.options.memo?.set(memoKey, doneUpTo);
    if (active > 0) {
      if (!drain && failed && this.failFast(spec)) {
        this.out.push({ type: 'ending', key, status: 'failed', error: `task ${failed} failed${this.reason(failed)}`, cause: this.causeOf(failed) });
      }
      return ACTIVE;
    }
    const last = spec.body[spec.body.length - 1];
    return this.settle(key, inst, failed, unstarted, () =>
      (inst.items ?? []).map((_, i) => (last ? (this.state.tasks[prefixOf(i) + last.id]?.output ?? null) : null)),
    );
  }

  private switchTask(spec: TaskSpec & { kind: 'switch' }, key: string, inst: TaskInstance, scope: Scope, drain: boolean): Progress {
    if (inst.selected === null) {
      if (drain) return this.settle(key, inst, null, true, () => null);
      this.out.push({ type: 'evaluate', key, spec, field: 'selected', scope });
      return ACTIVE;
    }
    const matched = spec.cases.find((c) => c.value === inst.selected);
    const progress = this.list(matched?.tasks ?? spec.default, scope, drain);
    if (progress.state === 'active') return ACTIVE;
    const failed = progress.state === 'failed' ? progress.key : null;
    return this.settle(key, inst, failed, progress.state === 'stopped', () => ({ selected: matched ? matched.value : 'default' }));
  }

  private loop(spec: TaskSpec & { kind: 'loop' }, key: string, inst: TaskInstance, scope: Scope, drain: boolean): Progress {
    const iteration = inst.iteration ?? 0;
    const progress = this.list(spec.body, { prefix: bodyPrefix(key, iteration), frame: scope.frame }, drain);
    if (progress.state === 'active') return ACTIVE;
    if (progress.state === 'done' && !drain) {
      this.out.push({ type: 'evaluate', key, spec, field: 'continue', scope });
      return ACTIVE;
    }
    const last = spec.body[spec.body.length - 1];
    const failed = progress.state === 'failed' ? progress.key : null;
    return this.settle(key, inst, failed, progress.state !== 'done' || drain, () =>
      last ? (this.state.tasks[bodyPrefix(key, iteration) + last.id]?.output ?? null) : null,
    );
  }

  private workflow(spec: TaskSpec & { kind: 'workflow' }, key: string, inst: TaskInstance, drain: boolean): Progress {
    // A sub-run being retried waits out its delay first.
    if (!drain && inst.retry_at && Date.parse(inst.retry_at) > this.clock.now) {
      this.wake(Date.parse(inst.retry_at));
      return ACTIVE;
    }
    if (drain && !inst.frame?.outcome) {
      this.out.push({ type: 'outcome', frame: key, status: 'canceled', error: { task: null, message: inst.error ?? 'canceled' } });
      return ACTIVE;
    }
    return this.frame(spec.child, key, subRunPrefix(key), drain);
  }
}

