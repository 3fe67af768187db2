// The shape of a `baton test` file (`*.test.yaml`), described once with the schema DSL: structural checks and JSON Schema.
import { any, array, boolean, enumOf, integer, object, record, string, union } from './schema-dsl.js';
import { duration } from './schema.js';

const RUN_STATUSES = ['completed', 'failed', 'timed_out', 'canceled', 'waiting', 'interrupted'] as const;
const TASK_STATUSES = ['pending', 'running', 'waiting', 'completed', 'failed', 'timed_out', 'canceled', 'skipped'] as const;

const attemptFields = {
  exit: integer({ minimum: 0, description: 'Exit code of the attempt (default 0).' }),
  signal: string({ pattern: '^SIG[A-Z0-9]+$', expected: 'a signal name such as SIGKILL', description: 'The attempt was killed by this signal (it fails).' }),
  output: any({ description: 'The output value, as if written to $BATON_OUTPUT (default: stdout parsed per the task\'s `output:`).' }),
  stdout: string({ description: 'What the attempt prints on stdout.' }),
  stderr: string({ description: 'What the attempt prints on stderr.' }),
  duration: duration('How long the attempt runs on the test\'s virtual clock (default 0s); past the task\'s timeout it times out.'),
};

const attempt = object('attempt', attemptFields, { description: 'How one attempt of the task ends.' });

const mock = object('mock', {
  ...attemptFields,
  attempts: array(attempt, { minItems: 1, description: 'One entry per attempt (retries); the last one answers any further attempt.' }),
  run: enumOf(['real'] as const, { description: '`real`: the task runs for real (its command is executed).' }),
}, { description: 'How the task\'s attempts end, instead of running its command.' });

const signal = object('signal', {
  task: string({ description: 'The waiting task (id or instance key) the signal is for.' }),
  after: duration('When it arrives, counted from the start of the run on the virtual clock (default 0s).'),
  data: any({ description: 'The signal\'s data: the waiting task\'s output.' }),
  fail: boolean({ description: 'Fail the waiting task instead (`baton signal --fail`).' }),
  reason: string({ description: 'Why it failed.' }),
}, { required: ['task'] });

const taskExpectation = union([
  enumOf(TASK_STATUSES),
  object('task expectation', {
    status: enumOf(TASK_STATUSES),
    attempts: integer({ minimum: 0, description: 'How many attempts it took.' }),
    output: any({ description: 'Its output.' }),
    error: string({ description: 'Its error message.' }),
  }),
], { expected: 'a task status or a mapping of `status`, `attempts`, `output`, `error`' });

const expectations = object('expect', {
  status: enumOf(RUN_STATUSES, { description: 'How the run ends.' }),
  error: string({ description: 'The run\'s error message.' }),
  ran: array(string(), { description: 'The task instances that started, in order (skipped ones are left out).' }),
  tasks: record(taskExpectation, { description: 'Each named task\'s status, or its status, attempts, output and error.' }),
  outputs: record(any(), { description: 'Run outputs to compare (outputs not named are not compared).' }),
  vars: record(any(), { description: 'Vars to compare (vars not named are not compared).' }),
});

const testCase = object('test', {
  name: string({ minLength: 1, description: 'What the test checks; shown on its result line.' }),
  inputs: record(any(), { description: 'The run\'s inputs.' }),
  keep_going: boolean({ description: 'As `baton run --keep-going`.' }),
  concurrency: integer({ minimum: 1, description: 'Most command tasks at once (default: the blueprint\'s, else no limit).' }),
  mocks: record(mock, { description: 'By task id or instance key: how its attempts end. These add to and override the file\'s `mocks`.' }),
  signals: array(signal, { description: '`baton signal` requests arriving while the run waits.' }),
  cancel_after: duration('`baton cancel` after this much virtual time.'),
  expect: expectations,
}, { required: ['name', 'expect'] });

export const testFileSchema = object('test file', {
  blueprint: string({ minLength: 1, description: 'The blueprint under test, relative to this file.' }),
  mocks: record(mock, { description: 'Mocks every test of this file shares.' }),
  tests: array(testCase, { minItems: 1 }),
}, { required: ['blueprint', 'tests'] });
