// Applies the decisions that need expressions rather than processes: conditions, items, switch values, loop
// conditions, set / terminate / wait / control-flow starts, sub-run inputs and outputs.
import type { Blueprint, TaskSpec } from '../../blueprint/model.js';
import { resolveInputs } from '../../blueprint/inputs.js';
import { frameLists, walkTasks, withinBlueprint } from '../../blueprint/visit.js';
import {
  evaluateCondition,
  evaluateExpression,
  EvaluationStopped,
  GUARD,
  renderTemplate,
  renderText,
  toText,
  unwrapExpression,
  type EvalContext,
  type EvaluationGuard,
} from '../../expr/index.js';
import { maskEntries, maskText } from '../../executor/index.js';
import { buildContext } from '../core/context.js';
import { concurrencyLimit } from '../core/limit.js';
import type { Scope } from '../core/decisions.js';
import type { NewEvent } from '../core/events.js';
import { bodyPrefix, frameOfKey, getFrame, idOfKey, subRunPrefix } from '../core/keys.js';
import { planRetry } from '../core/reset.js';
import { subRunRetryAt } from '../core/retry.js';
import { findSpec, frameBlueprint, staticDescendants } from '../core/specs.js';
import type { RunError, RunState } from '../core/state.js';
import type { RunStatus, TaskStatus } from '../core/status.js';
import type { EngineWarning } from '../core/warnings.js';
import type { Clock } from '../ports.js';

type Record_ = (e: NewEvent) => unknown;

export class Evaluations {
  private readonly envs = new Map<string, Record<string, string>>();
  /** Frames whose blueprint `env` a stopped evaluation left unrendered: rendered again before the next decisions. */
  private readonly unprepared = new Set<string>();
  /** Union of every prepared frame's secret values; dropped when a frame's env is (re)rendered. */
  private allSecrets: string[] | null = null;

  constructor(
    private readonly bp: Blueprint,
    private readonly state: RunState,
    private readonly runDir: string,
    private readonly record: Record_,
    private readonly clock: Pick<Clock, 'now' | 'random'>,
    private readonly baseEnv?: Record<string, string>,
  ) {}

  /** baton's environment (with `--env-file`s), the frame's blueprint `env_file`s, then its `env`, rendered once per driver. */
  private frameEnv(frameKey: string): Record<string, string> {
    let env = this.envs.get(frameKey);
    if (env) return env;
    const base: Record<string, string> = {};
    for (const [k, v] of Object.entries(this.baseEnv ?? process.env)) if (v !== undefined) base[k] = v;
    for (const file of frameBlueprint(this.bp, frameKey).envFiles) Object.assign(base, file.values);
    env = base;
    this.envs.set(frameKey, env);
    return env;
  }

  /** Renders the blueprint's `env` (it may read inputs); called when a frame is first used by this driver. */
  async prepareFrame(frameKey: string): Promise<void> {
    const env = this.frameEnv(frameKey);
    const bp = frameBlueprint(this.bp, frameKey);
    const ctx = this.contextAt('', frameKey);
    try {
      for (const [name, value] of Object.entries(bp.env)) env[name] = await renderText(value, ctx);
      this.unprepared.delete(frameKey);
    } catch (err) {
      if (err instanceof EvaluationStopped) this.unprepared.add(frameKey);
      throw err;
    } finally {
      this.allSecrets = null;
    }
  }

  /** Every secret value of the run (the recorder masks with all of them: a value secret in a sub-run is masked anywhere). */
  allSecretValues(): string[] {
    if (this.allSecrets === null) {
      const values = new Set<string>(this.secretValues(''));
      for (const frame of this.envs.keys()) for (const v of this.secretValues(frame)) values.add(v);
      this.allSecrets = [...values];
    }
    return this.allSecrets;
  }

  /** Finishes frames a stop left half prepared; a sub-run whose `env` now fails fails its workflow task. */
  async prepareStopped(): Promise<void> {
    for (const frameKey of [...this.unprepared]) {
      try {
        await this.prepareFrame(frameKey);
      } catch (err) {
        if (err instanceof EvaluationStopped || frameKey === '') throw err;
        const spec = findSpec(frameBlueprint(this.bp, frameOfKey(frameKey)), idOfKey(frameKey));
        this.unprepared.delete(frameKey);
        if (spec) this.fail(frameKey, spec, (err as Error).message);
      }
    }
  }

  /** Lent to every context so the driver can stop an evaluation (interrupt, timeout due) while it runs. */
  guard: EvaluationGuard | undefined;

  secretValues(frameKey: string): string[] {
    const names = new Set<string>();
    for (let key = frameKey; ; key = frameOfKey(key)) {
      for (const name of frameBlueprint(this.bp, key).secrets) names.add(name);
      if (key === '') break;
    }
    const env = this.frameEnv(frameKey);
    const values = [...names].map((n) => env[n] ?? '');
    values.push(...this.taskFileSecrets(frameKey, names));
    return [...new Set(values)].filter((v) => v.length > 0);
  }

  private readonly fileSecrets = new Map<string, string[]>();

  /** Secret values a task's `env_file` gives (static: the files were read with the blueprint); masked frame-wide. */
  private taskFileSecrets(frameKey: string, names: Set<string>): string[] {
    let found = this.fileSecrets.get(frameKey);
    if (!found) {
      found = [];
      for (const { spec } of walkTasks(frameLists(frameBlueprint(this.bp, frameKey)), withinBlueprint)) {
        if (spec.kind !== 'run' && spec.kind !== 'command') continue;
        for (const file of spec.envFiles) for (const n of names) if (file.values[n]) found.push(file.values[n]);
      }
      this.fileSecrets.set(frameKey, found);
    }
    return found;
  }

  attemptEnv(frameKey: string, key: string, attempt: number): { base: Record<string, string>; baton: Record<string, string> } {
    return {
      base: this.frameEnv(frameKey),
      baton: {
        BATON_RUN_ID: this.state.id,
        BATON_TASK_ID: key,
        BATON_ATTEMPT: String(attempt),
        BATON_RUN_DIR: this.runDir,
        BATON_INVOCATION_DIR: this.state.invocation_dir,
      },
    };
  }

  private contextAt(prefix: string, frame: string, needs?: readonly string[]): EvalContext {
    const ctx = buildContext({ state: this.state, runDir: this.runDir, prefix, frame, env: this.frameEnv(frame), name: frameBlueprint(this.bp, frame).name, needs });
    if (this.guard) ctx[GUARD] = this.guard;
    return ctx;
  }

  context(scope: Scope): EvalContext {
    return this.contextAt(scope.prefix, scope.frame, scope.needs);
  }

  private fail(key: string, spec: TaskSpec, message: string): void {
    if (!this.state.tasks[key]) this.record({ type: 'task_started', key, id: spec.id, kind: spec.kind });
    this.record({ type: 'task_ended', key, status: 'failed', output: null, error: message });
  }

  async evaluate(key: string, spec: TaskSpec, field: 'condition' | 'items' | 'selected' | 'continue', scope: Scope): Promise<boolean> {
    try {
      if (field === 'condition') {
        const value = await evaluateCondition(spec.if ?? true, this.context(scope));
        this.record({ type: 'task_evaluated', key, id: spec.id, kind: spec.kind, field, value });
      } else if (field === 'items' && spec.kind === 'for_each') {
        const items = await this.items(spec.items, this.context(scope));
        if (!Array.isArray(items)) {
          this.fail(key, spec, `for_each: expected an array of items, got ${describe(items)}`);
          return true;
        }
        if (typeof spec.concurrency === 'string') {
          const limit = concurrencyLimit(await evaluateExpression(spec.concurrency, this.context(scope)));
          if (typeof limit === 'string') {
            this.fail(key, spec, `concurrency: ${limit}`);
            return true;
          }
          this.record({ type: 'task_evaluated', key, id: spec.id, kind: spec.kind, field, value: items, limit });
        } else this.record({ type: 'task_evaluated', key, id: spec.id, kind: spec.kind, field, value: items });
      } else if (field === 'selected' && spec.kind === 'switch') {
        const value = toText(await evaluateExpression(spec.value, this.context(scope)));
        // A case value is the blueprint's own text and is kept so the branch is found again; any other is masked.
        const matched = spec.cases.some((c) => c.value === value);
        this.record({ type: 'task_evaluated', key, id: spec.id, kind: spec.kind, field, value: matched ? value : maskText(value, this.allSecretValues()) });
        for (const c of spec.cases.filter((c) => c.value !== value)) this.skipList(c.tasks, scope);
        if (spec.cases.some((c) => c.value === value)) this.skipList(spec.default, scope);
      } else if (field === 'continue' && spec.kind === 'loop') {
        const iteration = this.state.tasks[key]?.iteration ?? 0;
        const again = await evaluateCondition(spec.while, this.contextAt(bodyPrefix(key, iteration), scope.frame));
        const last = spec.body[spec.body.length - 1];
        if (!again) {
          const output = last ? (this.state.tasks[bodyPrefix(key, iteration) + last.id]?.output ?? null) : null;
          this.record({ type: 'task_ended', key, status: 'completed', output, error: null });
        } else if (iteration + 1 >= spec.maxIterations) {
          this.fail(key, spec, `loop: \`while\` is still true after max_iterations (${spec.maxIterations})`);
        } else {
          this.record({ type: 'loop_iteration', key, iteration: iteration + 1 });
        }
      }
    } catch (err) {
      // Stopped (interrupt, timeout due): nothing recorded, the decision is made again if the run goes on.
      if (err instanceof EvaluationStopped) return false;
      // A failing expression fails the task, without retries (SPEC §1.1).
      this.fail(key, spec, `${fieldName(field)}: ${(err as Error).message}`);
    }
    return true;
  }

  private async items(items: unknown, ctx: EvalContext): Promise<unknown> {
    if (typeof items === 'string') return evaluateExpression(unwrapExpression(items).source, ctx);
    return renderTemplate(items, ctx);
  }

  skip(key: string, spec: TaskSpec, scope: Scope, reason?: string): boolean {
    this.record(reason ? { type: 'task_skipped', key, id: spec.id, kind: spec.kind, reason } : { type: 'task_skipped', key, id: spec.id, kind: spec.kind });
    for (const inner of staticDescendants(spec)) {
      const innerKey = scope.prefix + inner.id;
      this.record(reason ? { type: 'task_skipped', key: innerKey, id: inner.id, kind: inner.kind, reason } : { type: 'task_skipped', key: innerKey, id: inner.id, kind: inner.kind });
    }
    return true;
  }

  private skipList(list: TaskSpec[], scope: Scope): void {
    for (const spec of list) this.skip(scope.prefix + spec.id, spec, scope);
  }

  /** Starts a task that is not a command: control flow, wait, set, terminate, workflow. */
  async begin(key: string, spec: TaskSpec, scope: Scope): Promise<boolean> {
    try {
      switch (spec.kind) {
        case 'wait': {
          const deadline = spec.durationMs !== undefined ? new Date(this.clock.now() + spec.durationMs).toISOString() : null;
          this.record({ type: 'task_started', key, id: spec.id, kind: spec.kind, deadline });
          return true;
        }
        case 'set': {
          const values = (await renderTemplate(spec.values, this.context(scope))) as Record<string, unknown>;
          const masked = this.mask(key, values, scope.frame);
          this.record({ type: 'task_started', key, id: spec.id, kind: spec.kind });
          this.record({ type: 'vars_set', key, frame: scope.frame, values: masked });
          this.record({ type: 'task_ended', key, status: 'completed', output: masked, error: null });
          return true;
        }
        case 'terminate':
          return this.terminate(key, spec, scope);
        case 'workflow': {
          const given = (await renderTemplate(spec.inputs, this.context(scope))) as Record<string, unknown>;
          const { inputs, diagnostics } = resolveInputs(spec.child, given);
          if (diagnostics.some((d) => d.severity === 'error')) {
            this.fail(key, spec, `inputs: ${diagnostics.map((d) => d.message).join('; ')}`);
            return true;
          }
          this.record({ type: 'task_started', key, id: spec.id, kind: spec.kind, inputs });
          await this.prepareFrame(key);
          return true;
        }
        default:
          this.record({ type: 'task_started', key, id: spec.id, kind: spec.kind });
          return true;
      }
    } catch (err) {
      // A sub-run stopped while its `env` rendered is on record as started; prepareStopped finishes it.
      if (err instanceof EvaluationStopped) return false;
      this.fail(key, spec, (err as Error).message);
      return true;
    }
  }

  private async terminate(key: string, spec: TaskSpec & { kind: 'terminate' }, scope: Scope): Promise<boolean> {
    const ctx = this.context(scope);
    const reason = spec.reason === undefined ? null : await renderText(spec.reason, ctx);
    const output = spec.output === undefined ? null : ((await renderTemplate(spec.output, ctx)) as Record<string, unknown>);
    this.record({ type: 'task_started', key, id: spec.id, kind: spec.kind });
    this.record({ type: 'task_ended', key, status: 'completed', output: { status: spec.status, reason }, error: null });
    const error: RunError | null = spec.status === 'failed' ? { task: key, message: reason ?? 'terminated' } : null;
    const outputs = output ?? (spec.status === 'completed' ? await this.frameOutputs(scope.frame).catch(() => null) : null);
    this.record({ type: 'run_outcome', frame: scope.frame, status: spec.status, error, outputs });
    return true;
  }

  /** `lenient`: an output whose expression fails is null (with a warning) instead of failing the frame. */
  private async frameOutputs(frameKey: string, lenient = false): Promise<Record<string, unknown>> {
    const bp = frameBlueprint(this.bp, frameKey);
    const ctx = this.contextAt(frameKey === '' ? '' : subRunPrefix(frameKey), frameKey);
    const outputs: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(bp.outputs)) {
      try {
        outputs[name] = await renderTemplate(value, ctx);
      } catch (err) {
        if (err instanceof EvaluationStopped) throw err;
        const message = `outputs.${name}: ${(err as Error).message}`;
        if (!lenient) throw new Error(message);
        outputs[name] = null;
        this.warn({ code: 'output_null', frame: frameKey, message });
      }
    }
    return this.mask(frameKey || 'outputs', outputs, frameKey);
  }

  /** The main tasks completed: the frame's outputs are evaluated and its outcome recorded. A frame ending
   *  otherwise keeps its outcome and gets its outputs for the record. */
  async outputs(frameKey: string): Promise<boolean> {
    const frame = getFrame(this.state, frameKey);
    if (frame.outcome !== null) {
      const outputs = await this.frameOutputs(frameKey, true);
      this.record({ type: 'run_outcome', frame: frameKey, status: frame.outcome, error: frame.error, outputs });
      return true;
    }
    try {
      const outputs = await this.frameOutputs(frameKey);
      this.record({ type: 'run_outcome', frame: frameKey, status: 'completed', error: null, outputs });
    } catch (err) {
      if (err instanceof EvaluationStopped) return false;
      this.record({ type: 'run_outcome', frame: frameKey, status: 'failed', error: { task: null, message: (err as Error).message }, outputs: null });
    }
    return true;
  }

  /** The frame is over: the run ends, or the sub-run's workflow task ends with its outputs. */
  finish(frameKey: string, status: RunStatus, error: RunError | null): boolean {
    if (frameKey === '') {
      this.record({ type: 'run_ended', status, error });
    } else {
      const taskStatus: TaskStatus = status === 'interrupted' || status === 'running' || status === 'waiting' ? 'failed' : status;
      if (this.retrySubRun(frameKey, taskStatus)) return true;
      const frame = getFrame(this.state, frameKey);
      const message = error ? `${error.task ? `task ${error.task}: ` : ''}${error.message}` : null;
      this.record({ type: 'task_ended', key: frameKey, status: taskStatus, output: frame.outputs ?? {}, error: message, ...(error?.task ? { cause: this.state.tasks[error.task]?.cause ?? error.task } : {}) });
    }
    return true;
  }

  /** A failed sub-run with retries left runs again inside the child: only its failed part (SPEC §1.1 `retry`). */
  private retrySubRun(key: string, status: TaskStatus): boolean {
    const spec = findSpec(frameBlueprint(this.bp, frameOfKey(key)), idOfKey(key));
    const inst = this.state.tasks[key];
    if (spec?.kind !== 'workflow' || !inst || inst.ending) return false;
    const retryAt = subRunRetryAt(spec.retry, inst.budget_used, status, this.clock.now(), this.clock.random);
    if (retryAt === null) return false;
    this.record({ type: 'subrun_retry', key, attempt: inst.attempts + 1, retry_at: retryAt });
    this.record(planRetry(this.bp, this.state, key));
    return true;
  }

  /** Values set or output by name: masked (the recorder would too) with a warning, the names kept. */
  private mask(key: string, value: Record<string, unknown>, frameKey: string): Record<string, unknown> {
    const masked = maskEntries(value, this.secretValues(frameKey));
    if (masked !== value) this.warn({ code: 'output_masked', task: key });
    return masked;
  }

  warn: (w: EngineWarning) => void = () => {};
}

function fieldName(field: string): string {
  return field === 'condition' ? 'if' : field === 'items' ? 'for_each' : field === 'selected' ? 'switch' : 'while';
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'object') return `an object ${JSON.stringify(value).slice(0, 60)}`;
  return `${typeof value} ${JSON.stringify(value)}`;
}
