// The state.json shape check and the journal event check: what they accept, and the path they name for what they refuse.
import { describe, expect, it } from 'vitest';
import { eventProblem } from '../../src/store/event-shape.js';
import { explain, formatPath } from '../../src/store/shape.js';
import { stateProblem } from '../../src/store/state-shape.js';
import { state, done, failed } from '../helpers/model.js';

const attempt = { n: 1, status: 'failed', started_at: 't', ended_at: 't', exit_code: 1, signal: null, pid: 12, error: null, stdout_log: 'l', stderr_log: 'l' };

function recorded(): any {
  const s: any = state({ a: done(), 'outer[1].b': failed({ history: [{ ...attempt }] }) });
  s.tasks.w = { ...s.tasks.a, key: 'w', kind: 'workflow', cause: null, frame: { phase: 'main', outcome: null, error: null, inputs: {}, outputs: null, vars: {} } };
  return JSON.parse(JSON.stringify(s));
}

function problemAfter(edit: (s: any) => void): string | null {
  const s = recorded();
  edit(s);
  const problem = stateProblem(s);
  return problem === null ? null : explain(problem);
}

describe('stateProblem', () => {
  it('accepts a state as the engine writes it, with optional and extra fields', () => {
    expect(problemAfter(() => {})).toBeNull();
    expect(problemAfter((s) => (s.added_by_a_newer_baton = 1))).toBeNull();
    expect(problemAfter((s) => delete s.tasks.w.cause)).toBeNull();
  });

  it.each<[string, (s: any) => void, string]>([
    ['history not an array', (s) => (s.tasks.a.history = 'x'), 'tasks.a.history should be an array, not the string "x"'],
    ['tasks not an object', (s) => (s.tasks = 'x'), 'tasks should be an object, not the string "x"'],
    ['tasks an array', (s) => (s.tasks = []), 'tasks should be an object, not an array'],
    ['unknown run status', (s) => (s.status = 42), 'status should be one of running, waiting, completed, failed, timed_out, canceled, interrupted, not number 42'],
    ['a missing field', (s) => delete s.started_at, 'started_at is missing'],
    ['null where not allowed', (s) => (s.inputs = null), 'inputs should be an object, not null'],
    ['nullable field of the wrong type', (s) => (s.tasks.a.exit_code = '0'), 'tasks.a.exit_code should be an integer or null, not the string "0"'],
    ['a key that needs quoting', (s) => (s.tasks['outer[1].b'].history[0].n = 0), 'tasks["outer[1].b"].history[0].n should be an integer >= 1, not number 0'],
    ['an attempt status', (s) => (s.tasks['outer[1].b'].history[0].status = 'done'), 'tasks["outer[1].b"].history[0].status should be one of pending, running, waiting, completed, failed, timed_out, canceled, skipped, not the string "done"'],
    ['a sub-run frame', (s) => (s.tasks.w.frame.phase = 'later'), 'tasks.w.frame.phase should be one of main, on_failure, finally, done, not the string "later"'],
    ['captured output', (s) => (s.tasks.a.stdout = { text: 1, truncated: false }), 'tasks.a.stdout.text should be a string, not number 1'],
    ['an instance under another key', (s) => (s.tasks.a.key = 'b'), 'tasks.a.key should be "a", not the string "b"'],
    ['options', (s) => (s.options.concurrency = 0), 'options.concurrency should be an integer >= 1 or null, not number 0'],
    ['the run error', (s) => (s.error = { task: null }), 'error.message is missing'],
  ])('names the path: %s', (_, edit, message) => {
    expect(problemAfter(edit)).toBe(message);
  });

  it('a document that is not an object', () => {
    expect(explain(stateProblem([])!)).toBe('(the document) should be an object, not an array');
  });

  it('formats paths as a user would type them into jq', () => {
    expect(formatPath(['tasks', 'b', 'history'])).toBe('tasks.b.history');
    expect(formatPath(['tasks', 'sub/child', 'history', 0])).toBe('tasks["sub/child"].history[0]');
  });
});

describe('eventProblem', () => {
  const ended = { seq: 9, at: 't', type: 'attempt_ended', key: 'outer[1].b', attempt: 1, status: 'failed', exit_code: 1, signal: null, error: null, output: null, stdout: null, stderr: null, retry_at: null, counted: true };

  it('accepts events that refer to what the run has, and events that create instances', () => {
    const s = recorded();
    expect(eventProblem(s, ended)).toBeNull();
    expect(eventProblem(s, { seq: 9, at: 't', type: 'attempt_started', key: 'new', id: 'new', kind: 'run', attempt: 1, stdout_log: 'l', stderr_log: 'l' })).toBeNull();
    expect(eventProblem(s, { seq: 9, at: 't', type: 'phase_changed', frame: 'w', phase: 'finally' })).toBeNull();
    expect(eventProblem(s, { seq: 9, at: 't', type: 'task_started', key: 'x', id: 'x', kind: 'wait' })).toBeNull();
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['an unknown task', { ...ended, key: 'nope' }, 'task "nope" is not in the run'],
    ['an unknown attempt', { ...ended, attempt: 2 }, 'task "outer[1].b" has no attempt 2'],
    ['a spawned attempt of an unknown task', { seq: 9, at: 't', type: 'attempt_spawned', key: 'nope', attempt: 1, pid: 5 }, 'task "nope" is not in the run'],
    ['task_ended of an unknown task', { seq: 9, at: 't', type: 'task_ended', key: 'nope', status: 'completed', output: null, error: null }, 'task "nope" is not in the run'],
    ['an inherited name', { ...ended, key: 'constructor' }, 'task "constructor" is not in the run'],
    ['an unknown sub-run', { seq: 9, at: 't', type: 'vars_set', key: 'v', frame: 'a', values: {} }, 'the run has no sub-run of "a"'],
    ['a reset of an unknown sub-run', { seq: 9, at: 't', type: 'run_reset', reason: 'retry', reset: [], reopen: [], frames: ['zz'], vars: {} }, 'the run has no sub-run of "zz"'],
    ['an unknown type', { seq: 9, at: 't', type: 'party' }, 'unknown event type "party"'],
    ['no type', { seq: 9, at: 't' }, 'unknown event type null'],
    ['a damaged field', { ...ended, status: 42 }, 'status should be one of pending, running, waiting, completed, failed, timed_out, canceled, skipped, not number 42'],
    ['a missing field', { ...ended, counted: undefined }, 'counted is missing'],
    ['items that are not a list', { seq: 9, at: 't', type: 'task_evaluated', key: 'f', id: 'f', kind: 'for_each', field: 'items', value: 3 }, 'value should be an array (the items)'],
  ])('refuses %s', (_, event, message) => {
    expect(eventProblem(recorded(), event)).toBe(message);
  });
});
