import { describe, expect, it } from 'vitest';
import { decide } from '../../src/engine/core/decider.js';
import type { Decision } from '../../src/engine/core/decisions.js';
import { blueprint, done, failed, run, running, state, task } from '../helpers/model.js';

const T0 = Date.parse('2026-01-01T00:00:00.000Z');
const clock = (now = T0 + 1000, activeMs = 1000) => ({ now, activeMs });
const opts = { keepGoing: false };

/** The decisions as short strings: `start a`, `end p completed`, … */
function brief(ds: Decision[]): string[] {
  return ds.map((d) => {
    switch (d.type) {
      case 'start': case 'skip': case 'cancel': return `${d.type} ${d.key}`;
      case 'evaluate': return `evaluate ${d.key} ${d.field}`;
      case 'end': case 'ending': return `${d.type} ${d.key} ${d.status}`;
      case 'outputs': return `outputs ${d.frame || 'run'}`;
      case 'outcome': case 'finish': return `${d.type} ${d.frame || 'run'} ${d.status}`;
      case 'phase': return `phase ${d.frame || 'run'} ${d.phase}`;
    }
  });
}

describe('decider: sequential lists, handlers and run end', () => {
  const bp = blueprint([run('a'), run('b')], { onFailure: [run('notify')], finally: [run('cleanup'), run('cleanup2')] });
  const table: [string, Parameters<typeof state>, string[]][] = [
    ['starts the first task', [{}], ['start a']],
    ['waits for a running task', [{ a: running() }], []],
    ['starts the next after a completion', [{ a: done() }], ['start b']],
    ['evaluates outputs when all completed', [{ a: done(), b: done() }], ['outputs run']],
    ['records the failure outcome', [{ a: failed() }], ['outcome run failed']],
    ['evaluates the outputs of a failed run too, before its handlers', [{ a: failed() }, { outcome: 'failed' }], ['outputs run']],
    ['evaluates the outputs of a canceled run once nothing runs', [{ a: { status: 'canceled' } }, { outcome: 'canceled' }], ['outputs run']],
    ['goes to on_failure after a failure', [{ a: failed() }, { outcome: 'failed', outputs: {} }], ['phase run on_failure']],
    ['goes to finally after success', [{ a: done(), b: done() }, { outcome: 'completed', outputs: {} }], ['phase run finally']],
    ['runs on_failure handlers', [{ a: failed() }, { outcome: 'failed', phase: 'on_failure' }], ['start notify']],
    ['goes on to finally after on_failure', [{ a: failed(), notify: done() }, { outcome: 'failed', phase: 'on_failure' }], ['phase run finally']],
    ['runs every finally task even after one failed', [{ cleanup: failed() }, { outcome: 'completed', phase: 'finally' }], ['start cleanup2']],
    ['a failed handler turns completed into failed', [{ cleanup: failed(), cleanup2: done() }, { outcome: 'completed', phase: 'finally' }], ['finish run failed']],
    ['canceled runs skip on_failure', [{ a: { status: 'canceled' } }, { outcome: 'canceled', outputs: {} }], ['phase run finally']],
    ['cancels running tasks once an outcome is set', [{ a: running() }, { outcome: 'canceled' }], ['cancel a']],
    ['nothing after the run is done', [{}, { phase: 'done' }], []],
  ];
  it.each(table)('%s', (_name, args, expected) => {
    expect(brief(decide(bp, state(...args), clock(), opts).decisions)).toEqual(expected);
  });

  it('times the run out on active time, not wall time', () => {
    const timed = blueprint([run('a')], { timeoutMs: 5000 });
    expect(brief(decide(timed, state({ a: running() }), clock(T0 + 60_000, 4000), opts).decisions)).toEqual([]);
    expect(decide(timed, state({ a: running() }), clock(T0 + 60_000, 4000), opts).wakeAt).toBe(T0 + 61_000);
    // The timeout's deadline is also where an expression still evaluating stops, so the timeout can act.
    expect(decide(timed, state({ a: running() }), clock(T0 + 60_000, 4000), opts).timeoutAt).toBe(T0 + 61_000);
    expect(brief(decide(timed, state({ a: running() }), clock(T0 + 60_000, 5000), opts).decisions)).toEqual(['outcome run timed_out']);
  });

  it('takes up an attempt a dead driver left to its executor, even when canceling (only one under way can be canceled)', () => {
    const reattach = new Set(['a']);
    const taken = decide(bp, state({ a: running() }), clock(), { ...opts, reattach }).decisions;
    expect(taken).toMatchObject([{ type: 'start', key: 'a', reattach: true }]);
    expect(brief(decide(bp, state({ a: running() }, { outcome: 'canceled' }), clock(), { ...opts, reattach }).decisions)).toEqual(['start a']);
    expect(decide(bp, state({ a: running() }), clock(), opts).decisions).toEqual([]);
  });
});

describe('decider: if, optional, retries', () => {
  it.each([
    ['evaluates a condition first', [run('a', { if: 'inputs.go' })], {}, ['evaluate a condition']],
    ['skips on a false condition', [run('a', { if: 'x' })], { a: { condition: false } }, ['skip a']],
    ['starts on a true condition', [run('a', { if: 'x' })], { a: { condition: true } }, ['start a']],
    ['an optional failure lets the list go on', [run('a', { optional: true }), run('b')], { a: failed() }, ['start b']],
    ['a skipped task lets the list go on', [run('a'), run('b')], { a: { status: 'skipped' } }, ['start b']],
  ] as const)('%s', (_n, tasks, st, expected) => {
    expect(brief(decide(blueprint([...tasks]), state(st as never), clock(), opts).decisions)).toEqual(expected);
  });

  it('waits out a retry delay, then starts the next attempt', () => {
    const st = state({ a: { status: 'pending', attempts: 1, retry_at: new Date(T0 + 5000).toISOString() } });
    const before = decide(blueprint([run('a')]), st, clock(T0 + 1000), opts);
    expect(brief(before.decisions)).toEqual([]);
    expect(before.wakeAt).toBe(T0 + 5000);
    expect(before.timeoutAt).toBeNull(); // a retry delay is no timeout: evaluations go on past it
    expect(brief(decide(blueprint([run('a')]), st, clock(T0 + 5000), opts).decisions)).toEqual(['start a']);
  });
});

describe('decider: control flow', () => {
  const par = (failFast = true) => task('parallel', 'p', { branches: [[run('a'), run('b')], [run('c')]], failFast });
  it.each([
    ['starts a parallel', [par()], {}, ['start p']],
    ['starts every branch', [par()], { p: running({ kind: 'parallel' }) }, ['start a', 'start c']],
    ['joins when every branch completed', [par()], { p: running({ kind: 'parallel' }), a: done(), b: done(), c: done() }, ['end p completed']],
    ['fail_fast: a failure cancels the other branches', [par()], { p: running({ kind: 'parallel' }), a: failed(), c: running() }, ['ending p failed']],
    ['fail_fast: while ending, running tasks are canceled', [par()], { p: running({ kind: 'parallel', ending: 'failed' }), a: failed(), c: running() }, ['cancel c']],
    ['fail_fast: ends once nothing runs', [par()], { p: running({ kind: 'parallel', ending: 'failed' }), a: failed(), c: { status: 'canceled' } }, ['end p failed']],
    ['fail_fast false: other branches go on', [par(false)], { p: running({ kind: 'parallel' }), a: failed(), c: running() }, []],
    ['fail_fast false: fails when all are over', [par(false)], { p: running({ kind: 'parallel' }), a: failed(), c: done() }, ['end p failed']],
  ] as const)('%s', (_n, tasks, st, expected) => {
    expect(brief(decide(blueprint([...tasks]), state(st as never), clock(), opts).decisions)).toEqual(expected);
  });

  it.each([
    ['a canceled branch is stopped, not failed', { p: running({ kind: 'parallel' }), a: { status: 'canceled' }, c: done() }, ['end p canceled']],
    ['a failure still wins over a canceled branch', { p: running({ kind: 'parallel' }), a: failed(), c: { status: 'canceled' } }, ['end p failed']],
  ] as const)('parallel: %s', (_n, st, expected) => {
    expect(brief(decide(blueprint([par(false)]), state(st as never), clock(), opts).decisions)).toEqual(expected);
  });

  it('--keep-going turns fail_fast off', () => {
    const st = state({ p: running({ kind: 'parallel' }), a: failed(), c: running() });
    expect(brief(decide(blueprint([par()]), st, clock(), { keepGoing: true }).decisions)).toEqual([]);
  });

  const fe = (fields: Record<string, unknown> = {}) => task('for_each', 'fe', { items: '${{ [1,2,3] }}', body: [run('x'), run('y')], failFast: true, ...fields });
  it.each([
    ['evaluates the items first', [fe()], { fe: running({ kind: 'for_each' }) }, ['evaluate fe items']],
    ['starts every item', [fe()], { fe: running({ kind: 'for_each', items: [1, 2, 3] }) }, ['start fe[0].x', 'start fe[1].x', 'start fe[2].x']],
    ['caps items in progress', [fe({ concurrency: 2 })], { fe: running({ kind: 'for_each', items: [1, 2, 3] }), 'fe[0].x': running() }, ['start fe[1].x']],
    ['a finished item frees its place', [fe({ concurrency: 1 })], { fe: running({ kind: 'for_each', items: [1, 2] }), 'fe[0].x': done(), 'fe[0].y': done() }, ['start fe[1].x']],
    ['an empty array completes at once', [fe()], { fe: running({ kind: 'for_each', items: [] }) }, ['end fe completed']],
    ['completes with outputs in item order', [fe()], {
      fe: running({ kind: 'for_each', items: [1, 2] }), 'fe[0].x': done(), 'fe[0].y': done({ output: 'A' }), 'fe[1].x': done(), 'fe[1].y': done({ output: 'B' }),
    }, ['end fe completed']],
    ['fail_fast stops new items and cancels running ones', [fe({ concurrency: 2 })], { fe: running({ kind: 'for_each', items: [1, 2, 3] }), 'fe[0].x': failed(), 'fe[1].x': running() }, ['ending fe failed']],
  ] as const)('for_each: %s', (_n, tasks, st, expected) => {
    expect(brief(decide(blueprint([...tasks]), state(st as never), clock(), opts).decisions)).toEqual(expected);
  });

  it('for_each output is the body\'s last task output per item', () => {
    const st = state({ fe: running({ kind: 'for_each', items: [1, 2] }), 'fe[0].x': done(), 'fe[0].y': done({ output: 'A' }), 'fe[1].x': done(), 'fe[1].y': done({ output: 'B' }) });
    const [end] = decide(blueprint([fe()]), st, clock(), opts).decisions;
    expect(end).toMatchObject({ type: 'end', output: ['A', 'B'] });
  });

  const sw = task('switch', 'sw', { value: 'inputs.env', cases: [{ value: 'prod', tasks: [run('p1')] }], default: [run('d1')] });
  it.each([
    ['evaluates the value', { sw: running({ kind: 'switch' }) }, ['evaluate sw selected']],
    ['runs the chosen case', { sw: running({ kind: 'switch', selected: 'prod' }) }, ['start p1']],
    ['falls back to default', { sw: running({ kind: 'switch', selected: 'dev' }) }, ['start d1']],
    ['completes with {selected}', { sw: running({ kind: 'switch', selected: 'prod' }), p1: done() }, ['end sw completed']],
  ] as const)('switch: %s', (_n, st, expected) => {
    expect(brief(decide(blueprint([sw]), state(st as never), clock(), opts).decisions)).toEqual(expected);
  });

  it.each([
    ['the case taken', { sw: running({ kind: 'switch', selected: 'prod' }), p1: done() }, { selected: 'prod' }],
    ['"default" when no case matched', { sw: running({ kind: 'switch', selected: 'dev' }), d1: done() }, { selected: 'default' }],
  ] as const)('switch output names %s', (_n, st, output) => {
    const [end] = decide(blueprint([sw]), state(st as never), clock(), opts).decisions;
    expect(end).toMatchObject({ type: 'end', key: 'sw', status: 'completed', output });
  });

  it('a for_each whose item was canceled by a timeout ends canceled inside, timed_out outside', () => {
    const fe = task('for_each', 'fe', { items: '${{ [1] }}', body: [run('x')], failFast: true });
    const p = task('parallel', 'p', { branches: [[fe]], failFast: true, timeoutMs: 500 });
    const st = state({ p: running({ kind: 'parallel', ending: 'timed_out' }), fe: running({ kind: 'for_each', items: [1] }), 'fe[0].x': { status: 'canceled' } });
    expect(brief(decide(blueprint([p]), st, clock(), opts).decisions)).toEqual(['end fe canceled']);
  });

  it('a workflow task stopped by its timeout finishes its sub-run timed_out', () => {
    const child = blueprint([run('c')]);
    const wf = task('workflow', 'sub', { path: 'c.yaml', inputs: {}, retry: { count: 0 }, child, timeoutMs: 500 });
    const frame = { phase: 'main', outcome: 'canceled', error: { task: null, message: 'timed out after 500ms' }, inputs: {}, outputs: {}, vars: {} };
    const st = state({ sub: running({ kind: 'workflow', ending: 'timed_out', error: 'timed out after 500ms', frame } as never), 'sub/c': { status: 'canceled' } });
    expect(decide(blueprint([wf]), st, clock(), opts).decisions).toEqual([
      { type: 'finish', frame: 'sub', status: 'timed_out', error: { task: null, message: 'timed out after 500ms' } },
    ]);
  });

  const loop = task('loop', 'l', { body: [run('step')], while: 'iteration < 2', maxIterations: 100 });
  it.each([
    ['runs the body of the current iteration', { l: running({ kind: 'loop', iteration: 1 }), 'l[0].step': done() }, ['start l[1].step']],
    ['evaluates while after an iteration', { l: running({ kind: 'loop', iteration: 1 }), 'l[0].step': done(), 'l[1].step': done() }, ['evaluate l continue']],
    ['fails when the body fails', { l: running({ kind: 'loop', iteration: 0 }), 'l[0].step': failed() }, ['end l failed']],
  ] as const)('loop: %s', (_n, st, expected) => {
    expect(brief(decide(blueprint([loop]), state(st as never), clock(), opts).decisions)).toEqual(expected);
  });

  it('times a control-flow task out and cancels what runs inside', () => {
    const p = task('parallel', 'p', { branches: [[run('a')]], failFast: true, timeoutMs: 500 });
    expect(brief(decide(blueprint([p]), state({ p: running({ kind: 'parallel' }), a: running() }), clock(T0 + 600), opts).decisions)).toEqual(['ending p timed_out']);
  });

  it('ends a duration wait at its deadline', () => {
    const w = task('wait', 'w', { durationMs: 1000 });
    const st = state({ w: { kind: 'wait', status: 'waiting', started_at: new Date(T0).toISOString(), deadline: new Date(T0 + 1000).toISOString() } });
    expect(decide(blueprint([w]), st, clock(T0 + 500), opts).wakeAt).toBe(T0 + 1000);
    expect(brief(decide(blueprint([w]), st, clock(T0 + 1000), opts).decisions)).toEqual(['end w completed']);
  });

  it('does not read the clock itself or change the state', () => {
    const st = state({ a: done() });
    const before = JSON.stringify(st);
    decide(blueprint([run('a'), run('b')]), st, clock(), opts);
    expect(JSON.stringify(st)).toBe(before);
  });
});

describe('decider memo of finished work', () => {
  const fe = task('for_each', 'fe', { items: '${{ [1,2,3] }}', body: [run('x'), run('y')], failFast: true, concurrency: 1 });
  const bp = blueprint([run('a'), fe, run('z')]);

  it('gives the same decisions as a walk from the start, step after step', () => {
    const memo = new Map<string, number>();
    const steps: Parameters<typeof state>[0][] = [
      { a: done(), fe: running({ kind: 'for_each', items: [1, 2, 3] }) },
      { a: done(), fe: running({ kind: 'for_each', items: [1, 2, 3] }), 'fe[0].x': done(), 'fe[0].y': done() },
      { a: done(), fe: running({ kind: 'for_each', items: [1, 2, 3] }), 'fe[0].x': done(), 'fe[0].y': done(), 'fe[1].x': done(), 'fe[1].y': done() },
      { a: done(), fe: running({ kind: 'for_each', items: [1, 2, 3] }), 'fe[0].x': done(), 'fe[0].y': done(), 'fe[1].x': done(), 'fe[1].y': done(), 'fe[2].x': done(), 'fe[2].y': done() },
      { a: done(), fe: done({ kind: 'for_each' }) },
    ];
    for (const st of steps) {
      const plain = brief(decide(bp, state(st), clock(), opts).decisions);
      expect(brief(decide(bp, state(st), clock(), { ...opts, memo }).decisions)).toEqual(plain);
    }
    expect(memo.get('fe[*]')).toBe(3);
    expect(memo.get('#a')).toBe(2);
  });

  it('starts from the memo: work it says is done is not looked at again', () => {
    const memo = new Map([['#a', 2]]);
    // `a` is not even recorded, yet the memo says the first two tasks are done: the walk goes straight to `z`.
    expect(brief(decide(bp, state({}), clock(), { ...opts, memo }).decisions)).toEqual(['start z']);
  });
});

describe('decider: the root cause of a failure', () => {
  const p = task('parallel', 'p', { branches: [[run('a')], [run('b')]], failFast: true });
  it('a control-flow task that fails names the task inside it as its cause', () => {
    const st = state({ p: running({ kind: 'parallel' }), a: failed({ error: 'exit code 3' }), b: done() });
    expect(decide(blueprint([p]), st, clock(), opts).decisions).toEqual([
      expect.objectContaining({ type: 'end', key: 'p', status: 'failed', error: 'task a failed: exit code 3', cause: 'a' }),
    ]);
  });

  it('run.error names the root cause and its own message, through any depth', () => {
    const st = state({ p: failed({ kind: 'parallel', error: 'task a failed: exit code 3', cause: 'a' }), a: failed({ error: 'exit code 3' }), b: done() });
    expect(decide(blueprint([p]), st, clock(), opts).decisions).toEqual([
      { type: 'outcome', frame: '', status: 'failed', error: { task: 'a', message: 'exit code 3' } },
    ]);
  });

  it('a task that timed out for good ends the run timed_out (as Conductor does), through any depth', () => {
    const st = state({ p: failed({ kind: 'parallel', error: 'task a failed: timed out after 1s', cause: 'a' }), a: { status: 'timed_out', attempts: 2, error: 'timed out after 1s' }, b: done() });
    expect(decide(blueprint([p]), st, clock(), opts).decisions).toEqual([
      { type: 'outcome', frame: '', status: 'timed_out', error: { task: 'a', message: 'timed out after 1s' } },
    ]);
  });
});
