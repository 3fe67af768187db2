// Expressions: JSONata inside `${{ }}`, compiled once and cached; the one place that knows JSONata.

export { ExpressionError } from './errors.js';
export {
  splitTemplate,
  hasExpression,
  unwrapExpression,
  type TemplatePart,
  type SplitResult,
} from './template.js';
export { compileExpression, evaluateExpression, type CompiledExpression } from './compile.js';
export { checkExpression, type ExpressionProblem } from './check.js';
export { envReferences, rootNames, taskReferences, type TaskReference } from './references.js';
export { renderTemplate, renderText, toText } from './render.js';
export { evaluateCondition, isTruthy } from './condition.js';
export { prepareScript, scriptEnv, SCRIPT_VAR_PREFIX, type PreparedScript } from './script.js';
export { scriptExpressions, singleQuotedExpressions, type ScriptExpression, type ShellContext } from './shell-contexts.js';
export { EXPRESSION_LIMIT_MS, EvaluationStopped, GUARD, type EvaluationGuard } from './guard.js';
export { REGEX_MATCH_LIMIT_MS } from './regex.js';
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
