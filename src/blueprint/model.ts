// The validated, read-only model of a blueprint: what the analyzer produces and the engine consumes.

/** A span of the blueprint's source text, as character offsets; turned into line:column only when printed. */
export interface SourceRange {
  file: string;
  start: number;
  end: number;
}

/** A value as written in the blueprint: may hold `${{ }}` expressions, evaluated at run time. */
export type Template = unknown;

export type InputType = 'string' | 'integer' | 'number' | 'boolean' | 'array' | 'object';

export interface InputSpec {
  name: string;
  type: InputType;
  required: boolean;
  default?: unknown;
  description?: string;
  enum?: unknown[];
  range: SourceRange;
}

export type Backoff = 'fixed' | 'linear' | 'exponential';

export interface RetryPolicy {
  count: number;
  delayMs: number;
  backoff: Backoff;
  factor: number;
  maxDelayMs?: number;
  jitter: boolean;
  /** Retry only these exit codes; undefined retries any failure. */
  exitCodes?: number[];
}

export type OutputMode = 'file' | 'json' | 'text' | 'lines';

export const NO_RETRY: RetryPolicy = { count: 0, delayMs: 0, backoff: 'fixed', factor: 2, jitter: false };
export const DEFAULT_KILL_GRACE_MS = 5000;

interface TaskBase {
  id: string;
  name?: string;
  description?: string;
  /** Condition, a JSONata expression (the `${{ }}` wrapper already removed), or a literal boolean. */
  if?: string | boolean;
  /** The `if` reads `needs`: it decides for itself whether to run after a need failed (GitHub's `if: failure()`). */
  ifReadsNeeds?: true;
  optional: boolean;
  timeoutMs?: number;
  /** Ids of tasks of the same list this one waits for; a list where any task has them runs as a graph. */
  needs?: string[];
  range: SourceRange;
  /** Range of the task's kind key's value, for diagnostics about it. */
  kindRange: SourceRange;
}

/** A dotenv file named by `env_file:`, read when the blueprint was loaded (a missing optional one has no values). */
export interface EnvFile {
  /** As written, relative to the blueprint's folder. */
  path: string;
  required: boolean;
  range: SourceRange;
  values: Record<string, string>;
}

/** Settings of command tasks (`run`, `command`), after `defaults` were applied. */
export interface CommandSettings {
  /** The task's `env_file`s, in order; below its `env`. */
  envFiles: EnvFile[];
  env: Record<string, Template>;
  cwd?: Template;
  stdin?: Template;
  shell?: string;
  output: OutputMode;
  killGraceMs: number;
  retry: RetryPolicy;
  /** The worker pool (queue) that runs it with --executor bullmq; absent: `default`. */
  pool?: string;
}

interface RunTask extends TaskBase, CommandSettings {
  kind: 'run';
  script: string;
}

interface CommandTask extends TaskBase, CommandSettings {
  kind: 'command';
  argv: Template[];
}

interface ParallelTask extends TaskBase {
  kind: 'parallel';
  branches: TaskSpec[][];
  failFast: boolean;
}

interface ForEachTask extends TaskBase {
  kind: 'for_each';
  /** A literal array or a template string that evaluates to one. */
  items: Template;
  body: TaskSpec[];
  /** Items in progress at once: a number, or a JSONata expression (wrapper removed) evaluated with the items. */
  concurrency?: number | string;
  failFast: boolean;
  /** Written as `matrix:`: the items are its combinations, each body instance keyed by its label. */
  matrix?: true;
}

interface SwitchTask extends TaskBase {
  kind: 'switch';
  /** JSONata expression (wrapper removed) whose value picks the case, compared as a string. */
  value: string;
  cases: { value: string; tasks: TaskSpec[] }[];
  default: TaskSpec[];
}

interface LoopTask extends TaskBase {
  kind: 'loop';
  body: TaskSpec[];
  /** JSONata expression (wrapper removed) evaluated after each iteration. */
  while: string;
  maxIterations: number;
}

export interface WorkflowTask extends TaskBase {
  kind: 'workflow';
  /** Path as written, relative to the parent blueprint's folder. */
  path: string;
  inputs: Record<string, Template>;
  retry: RetryPolicy;
  /** The child blueprint, validated together with the parent. */
  child: Blueprint;
}

interface WaitTask extends TaskBase {
  kind: 'wait';
  durationMs?: number;
  signal?: string;
}

interface SetTask extends TaskBase {
  kind: 'set';
  values: Record<string, Template>;
}

interface TerminateTask extends TaskBase {
  kind: 'terminate';
  status: 'completed' | 'failed';
  reason?: Template;
  output?: Record<string, Template>;
}

export type TaskSpec =
  | RunTask
  | CommandTask
  | ParallelTask
  | ForEachTask
  | SwitchTask
  | LoopTask
  | WorkflowTask
  | WaitTask
  | SetTask
  | TerminateTask;

export type TaskKind = TaskSpec['kind'];
export type CommandTaskSpec = RunTask | CommandTask;

export interface Blueprint {
  /** Absolute path of the blueprint file. */
  file: string;
  /** The file's text, kept for snapshots and diagnostics. */
  source: string;
  name: string;
  version: number;
  description?: string;
  inputs: Record<string, InputSpec>;
  /** The blueprint's `env_file`s, in order; below its `env`. */
  envFiles: EnvFile[];
  env: Record<string, Template>;
  secrets: string[];
  /** Command tasks at once: a number, or a JSONata expression (wrapper removed) evaluated when a driver starts. */
  concurrency?: number | string;
  timeoutMs?: number;
  tasks: TaskSpec[];
  outputs: Record<string, Template>;
  onFailure: TaskSpec[];
  finally: TaskSpec[];
}

/** A list runs as a graph (each task waits only for its `needs`) when any of its tasks has `needs`. */
export function isGraph(list: readonly TaskSpec[]): boolean {
  return list.some((t) => t.needs !== undefined);
}
