// Builds what an expression sees (SPEC §1.3) for a task instance: inputs, env, vars, tasks in scope, run, item/index/iteration.
import type { EvalContext, RunView, TaskView } from '../../expr/index.js';
import { enclosingPrefixes, getFrame, matrixLabel, parseBodyPrefix } from './keys.js';
import type { RunState, TaskInstance } from './state.js';

function taskView(inst: TaskInstance | undefined): TaskView {
  if (!inst) {
    return { status: 'pending', output: null, stdout: null, stderr: null, exit_code: null, attempts: 0, started_at: null, ended_at: null, duration_ms: null };
  }
  return {
    status: inst.status,
    output: inst.output ?? null,
    stdout: inst.stdout?.text ?? null,
    stderr: inst.stderr?.text ?? null,
    exit_code: inst.exit_code,
    attempts: inst.attempts,
    started_at: inst.started_at,
    ended_at: inst.ended_at,
    duration_ms: inst.duration_ms,
  };
}

/** `tasks.<id>` resolved lazily: looking ids up on demand keeps a 10,000-task run from building a view per evaluation. */
function tasksInScope(state: RunState, prefix: string): Record<string, TaskView> {
  const levels = enclosingPrefixes(prefix);
  const find = (id: string): TaskInstance | undefined => {
    for (const level of levels) {
      const inst = state.tasks[level + id];
      if (inst) return inst;
    }
    return undefined;
  };
  // JSONata asks hasOwnProperty before reading a field, hence the descriptor trap.
  return new Proxy({} as Record<string, TaskView>, {
    get: (_t, id) => (typeof id === 'string' ? taskView(find(id)) : undefined),
    has: (_t, id) => typeof id === 'string',
    getOwnPropertyDescriptor: (_t, id) =>
      typeof id === 'string' ? { value: taskView(find(id)), enumerable: true, configurable: true, writable: false } : undefined,
  });
}

export interface ContextInput {
  state: RunState;
  /** Run folder (run.dir). */
  runDir: string;
  /** Key prefix of the task's list and its frame ('' for the run). */
  prefix: string;
  frame: string;
  /** Environment the expression sees: baton's plus the blueprint's `env`. */
  env: Record<string, string | undefined>;
  /** `run.name`: the name of the blueprint this frame runs (a sub-run's own). */
  name: string;
  /** The ids the task `needs` (graph lists): `needs.<id>` reads them. */
  needs?: readonly string[] | undefined;
}

export function buildContext({ state, runDir, prefix, frame: frameKey, env, name, needs }: ContextInput): EvalContext {
  const frame = getFrame(state, frameKey);
  const run: RunView = {
    id: state.id,
    name,
    dir: runDir,
    invocation_dir: state.invocation_dir,
    started_at: state.started_at,
    status: frame.outcome ?? state.status,
    error: frame.error,
  };
  const ctx: EvalContext = { inputs: frame.inputs, env, vars: frame.vars, tasks: tasksInScope(state, prefix), run };
  if (needs) ctx.needs = Object.fromEntries(needs.map((id) => [id, taskView(state.tasks[prefix + id])]));
  // Bindings of enclosing bodies, outermost first so the innermost wins.
  for (const level of enclosingPrefixes(prefix).reverse()) {
    const body = parseBodyPrefix(level, state);
    if (!body) continue;
    const owner = state.tasks[body.owner];
    const n = body.index;
    if (owner?.kind === 'for_each') {
      ctx.item = owner.items?.[n] ?? null;
      ctx.index = n;
      // A matrix's item is its combination; `matrix.os` reads it as GitHub Actions does (the innermost wins).
      if (level.endsWith(`[${matrixLabel(ctx.item)}].`) && typeof ctx.item === 'object' && ctx.item !== null) ctx.matrix = ctx.item as Record<string, unknown>;
    } else if (owner?.kind === 'loop') {
      ctx.iteration = n;
    }
  }
  return ctx;
}
