// Expressions: JSONata inside `${{ }}`, compiled once and cached; the one place that knows JSONata.

export { ExpressionError } from './errors.js';
export { splitTemplate, hasExpression, unwrapExpression } from './template.js';
export { compileExpression, evaluateExpression } from './compile.js';
export { checkExpression } from './check.js';
export { envReferences, rootNames, taskReferences } from './references.js';
export { renderTemplate, renderText, toText } from './render.js';
export { evaluateCondition } from './condition.js';
export { prepareScript, scriptEnv } from './script.js';
export { scriptExpressions, singleQuotedExpressions, type ScriptExpression, type ShellContext } from './shell-contexts.js';
export { EvaluationStopped, GUARD, type EvaluationGuard } from './guard.js';
import type { EvaluationGuard, GUARD } from './guard.js';

/** What an expression can read (SPEC §1.3). */
export interface EvalContext {
  inputs: Record<string, unknown>;
  env: Record<string, string | undefined>;
  vars: Record<string, unknown>;
  tasks: Record<string, TaskView>;
  run: RunView;
  item?: unknown;
  index?: number;
  /** Inside a `matrix:` body: its combination (`matrix.os`). */
  matrix?: Record<string, unknown>;
  /** In a graph list: the tasks this one `needs`, by id. */
  needs?: Record<string, TaskView>;
  iteration?: number;
  /** The driver's stop request, under a symbol so expressions never see it. */
  [GUARD]?: EvaluationGuard;
}

export interface TaskView {
  status: string;
  output: unknown;
  stdout: string | null;
  stderr: string | null;
  exit_code: number | null;
  attempts: number;
  started_at: string | null;
  ended_at: string | null;
  duration_ms: number | null;
}

export interface RunView {
  id: string;
  name: string;
  dir: string;
  invocation_dir: string;
  started_at: string;
  status: string;
  error: { task: string | null; message: string } | null;
}
