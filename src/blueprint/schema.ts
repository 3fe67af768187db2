// The blueprint's shape, described once with the schema DSL (JSON Schema, raw types and structural checks derive from it).
import { DURATION_REGEX_SOURCE, durationTooLong, invalidDurationMessage, parseDuration } from './duration.js';
import {
  any,
  array,
  boolean,
  enumOf,
  integer,
  number,
  object,
  record,
  ref,
  string,
  union,
  type Schema,
} from './schema-dsl.js';

export const TASK_KINDS = ['run', 'command', 'parallel', 'for_each', 'matrix', 'switch', 'loop', 'workflow', 'wait', 'set', 'terminate'] as const;
export type RawTaskKind = (typeof TASK_KINDS)[number];

/** Task keys that only some kinds take; any other key is valid on every task. */
export const KIND_ONLY_KEYS: Record<string, readonly RawTaskKind[]> = {
  env: ['run', 'command'],
  env_file: ['run', 'command'],
  cwd: ['run', 'command'],
  stdin: ['run', 'command'],
  shell: ['run', 'command'],
  output: ['run', 'command'],
  kill_grace: ['run', 'command'],
  pool: ['run', 'command'],
  retry: ['run', 'command', 'workflow'],
  do: ['for_each', 'matrix'],
  concurrency: ['for_each', 'matrix'],
  fail_fast: ['parallel', 'for_each', 'matrix'],
  cases: ['switch'],
  default: ['switch'],
  inputs: ['workflow'],
};

const NAME_PATTERN = '^[A-Za-z0-9_.-]+$';
/** A pool names a queue in Redis: no ':' (BullMQ refuses it) and nothing a shell or a key would mangle. */
const POOL_PATTERN = '^[A-Za-z0-9_.-]{1,64}$';
const TASK_ID_PATTERN = '^[A-Za-z_][A-Za-z0-9_-]*$';
/** Task ids become log file names (nested ones joined with their parents'): longer ones are refused. */
const MAX_TASK_ID_LENGTH = 64;
const ENV_NAME_PATTERN = '^[A-Za-z_][A-Za-z0-9_]*$';
const INPUT_NAME_PATTERN = '^[A-Za-z_][A-Za-z0-9_-]*$';
const INPUT_TYPES = ['string', 'integer', 'number', 'boolean', 'array', 'object'] as const;
const OUTPUT_MODES = ['file', 'json', 'text', 'lines'] as const;

export const duration = (description: string) =>
  union([number({ minimum: 0 }), string({ pattern: DURATION_REGEX_SOURCE })], {
    description,
    expected: 'a duration (500ms, 30s, 5m, 2h or seconds)',
    invalid: invalidDurationMessage,
    refine: durationTooLong,
  });

/** A duration above 0: a time limit of 0 would end every attempt at once. */
const POSITIVE_DURATION_REGEX_SOURCE = `^(?!\\s*(0+(\\.0*)?|\\.0+)\\s*(ms|s|m|h|d)?\\s*$)${DURATION_REGEX_SOURCE.slice(1)}`;
const timeLimit = (description: string) =>
  union([number({ exclusiveMinimum: 0 }), string({ pattern: POSITIVE_DURATION_REGEX_SOURCE })], {
    description,
    expected: 'a duration above 0 (500ms, 30s, 5m, 2h or seconds)',
    invalid: (value) =>
      parseDuration(value) === 0 ? `a timeout must be above 0, not \`${String(value)}\`: every attempt would time out at once` : invalidDurationMessage(value),
    refine: durationTooLong,
  });

/** An integer ≥ 1, or one `${{ }}` evaluated when the run or the for_each starts. */
const EXPRESSION_PATTERN = '^\\s*\\$\\{\\{[\\s\\S]*\\}\\}\\s*$';
const concurrencyLimit = (description: string) =>
  union([integer({ minimum: 1 }), string({ pattern: EXPRESSION_PATTERN })], {
    description,
    expected: 'an integer ≥ 1 or an expression `${{ … }}`',
    invalid: (value) =>
      typeof value === 'string'
        ? `\`concurrency\` must be an integer ≥ 1 or an expression \`\${{ … }}\`, not \`${value}\``
        : `\`concurrency\` must be an integer ≥ 1, not ${String(value)}`,
  });

const envMap = (description: string) =>
  record(union([string(), number(), boolean()], { expected: 'a string, number or boolean' }), {
    description,
    keyPattern: ENV_NAME_PATTERN,
    keyInvalid: (key) => `invalid environment variable name \`${key}\`: use letters, digits and _, not starting with a digit`,
  });

const envFileEntry = union(
  [
    string({ description: 'A dotenv file, relative to the blueprint file; it must exist.' }),
    object(
      'env_file',
      {
        path: string({ description: 'A dotenv file, relative to the blueprint file.' }),
        required: boolean({ description: 'false: a missing file is skipped (default true).' }),
      },
      { required: ['path'] },
    ),
  ],
  { expected: 'a path or {path, required}' },
);
const envFile = (description: string) =>
  union([envFileEntry, array(envFileEntry)], { description, expected: 'a path, {path, required}, or a list of those' });

const retryObject = object(
  'retry',
  {
    count: integer({ minimum: 0, description: 'Retries after the first attempt.' }),
    delay: duration('Delay before the first retry (default 0s).'),
    backoff: enumOf(['fixed', 'linear', 'exponential'], { description: 'How the delay grows between retries (default fixed).' }),
    factor: number({ exclusiveMinimum: 0, description: 'Growth factor of exponential backoff (default 2).' }),
    max_delay: duration('Cap on the delay between retries.'),
    jitter: boolean({ description: 'Draw each delay from [delay/2, delay].' }),
    exit_codes: array(integer(), { description: 'Retry only these exit codes.' }),
  },
  { required: ['count'] },
);
const retrySchema = union([integer({ minimum: 0 }), retryObject], {
  description: 'Retries: a count, or {count, delay, backoff, factor, max_delay, jitter, exit_codes}.',
});

const outputMode = enumOf(OUTPUT_MODES, {
  description: 'How the task output is read: file ($BATON_OUTPUT, default), json, text or lines (from stdout).',
});

const taskRef = ref<RawTask>('task', () => taskSchema);
/** Nested task lists are typed loosely: TS cannot infer a recursive type from a value. */
type RawTask = Record<string, unknown>;
const taskList = (description: string, minItems = 1) => array(taskRef, { description, minItems });

const taskIdRef = () =>
  string({ pattern: TASK_ID_PATTERN, invalid: (v) => `invalid task id \`${String(v)}\` in \`needs\`` });

const scalar = union([string(), number(), boolean()], { expected: 'a string, number or boolean' });

export const taskSchema: Schema<unknown> = object(
  'task',
  {
    id: string({
      pattern: TASK_ID_PATTERN,
      maxLength: MAX_TASK_ID_LENGTH,
      description: 'Unique id of the task in the whole blueprint.',
      invalid: (v) => `invalid task id \`${String(v)}\`: use letters, digits, _ and -, starting with a letter or _`,
    }),
    name: string({ description: 'Display name.' }),
    description: string({ description: 'What the task does.' }),
    if: union([string(), boolean()], { description: 'Run the task only if this expression is true.' }),
    optional: boolean({ description: 'A failure of this task does not fail the run.' }),
    timeout: timeLimit('Time limit of the task (each attempt, for command tasks).'),
    run: string({ description: 'Shell script (bash -eo pipefail, or sh -e).' }),
    command: array(scalar, { minItems: 1, description: 'Program and arguments, run without a shell.' }),
    parallel: array(taskList('A branch: tasks run in order.'), { minItems: 1, description: 'Branches run at once.' }),
    needs: union([taskIdRef(), array(taskIdRef(), { minItems: 1 })], {
      description: 'Tasks of the same list this one waits for; the list then runs as a graph.',
      expected: 'a task id or a list of task ids',
    }),
    for_each: union([array(any()), string()], { description: 'Items (list or expression) to run `do` for.' }),
    matrix: record(array(any()), {
      description: 'Run `do` once per combination of these axes (lists of values); `include` and `exclude` list combinations to add or drop.',
      keyPattern: TASK_ID_PATTERN,
      keyInvalid: (key) => `invalid matrix axis \`${key}\`: use letters, digits, _ and -, starting with a letter or _`,
    }),
    do: taskList('Body run for each item.'),
    concurrency: concurrencyLimit('At most this many items in progress (for_each); may be an expression `${{ inputs.n }}`.'),
    fail_fast: boolean({ description: 'Cancel the other branches or items when one fails (default true).' }),
    switch: string({ description: 'Expression whose value picks a case (compared as a string).' }),
    cases: record(taskList('Tasks of this case.', 0), { description: 'Case value → tasks.' }),
    default: taskList('Tasks when no case matches.', 0),
    loop: object(
      'loop',
      {
        do: taskList('Body of each iteration.'),
        while: string({ description: 'Evaluated after each iteration; loop again while true.' }),
        max_iterations: integer({ minimum: 1, description: 'Fail if still looping after this many iterations (default 100).' }),
      },
      { required: ['do', 'while'], description: 'Do-while loop.' },
    ),
    workflow: string({ description: 'Path of a blueprint run as a sub-run, relative to this file.' }),
    inputs: record(any(), { description: 'Inputs of the sub-workflow.' }),
    wait: union([duration('Sleep this long.'), object('wait', { signal: string({ description: 'Signal name.' }) }, { required: ['signal'] })], {
      description: 'Sleep for a duration, or wait for `baton signal`.',
      expected: 'a duration or {signal: name}',
    }),
    set: record(any(), { description: 'Run variables to set (vars.name).', keyPattern: ENV_NAME_PATTERN }),
    terminate: object(
      'terminate',
      {
        status: enumOf(['completed', 'failed'], { description: 'Final status of the run.' }),
        reason: string({ description: 'Why (run.error.message when failed).' }),
        output: record(any(), { description: 'Replaces the run outputs.' }),
      },
      { required: ['status'], description: 'End the whole run now.' },
    ),
    env_file: envFile('Dotenv files whose variables are added to the task (below its `env`).'),
    env: envMap('Environment variables of the task.'),
    cwd: string({ description: 'Working directory, relative to where baton was started.' }),
    stdin: string({ description: 'Text written to the standard input.' }),
    shell: string({ description: 'Shell that runs `run` (e.g. `bash -eo pipefail`, `python3`).' }),
    output: outputMode,
    kill_grace: duration('Time between SIGTERM and SIGKILL on timeout (default 5s).'),
    pool: string({ description: 'Worker pool that runs the task with --executor bullmq (default `default`).', pattern: POOL_PATTERN, invalid: (v) => `invalid pool \`${String(v)}\`: use 1 to 64 of [A-Za-z0-9_.-]` }),
    retry: retrySchema,
  },
  {
    required: ['id'],
    variants: { keys: TASK_KINDS, keysOnlyFor: KIND_ONLY_KEYS, alsoRequired: { for_each: ['do'], matrix: ['do'], switch: ['cases'] } },
    description: 'A task: exactly one kind key (run, command, parallel, …).',
  },
);

const inputSpecSchema = object('input', {
  type: enumOf(INPUT_TYPES, { description: 'Type of the value (default string).' }),
  required: boolean({ description: 'The input must be given (unless it has a default).' }),
  default: any({ description: 'Value when not given.' }),
  description: string({ description: 'What the input is.' }),
  enum: array(any(), { description: 'Allowed values.', minItems: 1 }),
});

const defaultsSchema = object(
  'defaults',
  {
    timeout: timeLimit('Default timeout of command tasks.'),
    retry: retrySchema,
    kill_grace: duration('Default kill grace of command tasks.'),
    cwd: string({ description: 'Default working directory of command tasks.' }),
    shell: string({ description: 'Default shell of run tasks.' }),
    output: outputMode,
    pool: string({ description: 'Default worker pool of command tasks (--executor bullmq).', pattern: POOL_PATTERN, invalid: (v) => `invalid pool \`${String(v)}\`: use 1 to 64 of [A-Za-z0-9_.-]` }),
  },
  { description: 'Settings every command task inherits; a task’s own key replaces them.' },
);

export const blueprintSchema = object(
  'blueprint',
  {
    name: string({
      pattern: NAME_PATTERN,
      description: 'Name of the workflow.',
      invalid: (v) => `invalid name \`${String(v)}\`: use letters, digits, _, . and -`,
    }),
    version: integer({ minimum: 1, description: 'Version of the blueprint (default 1).' }),
    description: string({ description: 'What the workflow does.' }),
    inputs: record(inputSpecSchema, {
      description: 'Declared inputs; undeclared ones are an error.',
      keyPattern: INPUT_NAME_PATTERN,
      keyInvalid: (key) => `invalid input name \`${key}\`: use letters, digits, _ and -, starting with a letter or _`,
    }),
    env_file: envFile('Dotenv files whose variables are added to every task (below the blueprint `env`).'),
    env: envMap('Environment variables added to every task.'),
    secrets: array(
      string({ pattern: ENV_NAME_PATTERN, invalid: (v) => `invalid environment variable name \`${String(v)}\`` }),
      { description: 'Environment variables whose values are masked everywhere baton writes.' },
    ),
    defaults: defaultsSchema,
    concurrency: concurrencyLimit('At most this many command tasks at once (default: CPU count); may be an expression `${{ inputs.n }}`.'),
    timeout: timeLimit('Time limit of the whole run.'),
    tasks: taskList('The tasks, run in order (none: the run completes at once, as in Conductor).', 0),
    outputs: record(any(), { description: 'Outputs of the run (may hold expressions).' }),
    on_failure: taskList('Tasks run when the run is ending failed or timed out.', 0),
    finally: taskList('Tasks run once at the end, whatever the outcome.', 0),
  },
  { required: ['name', 'tasks'], description: 'A baton workflow blueprint.' },
);
/** The raw YAML of a blueprint, as the schema describes it. */
