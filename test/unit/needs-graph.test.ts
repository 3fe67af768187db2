// `needs:` graphs in the engine core as tables: what the decider starts, skips and stops, and what retry/rerun reset.
import { describe, expect, it } from 'vitest';
import type { TaskSpec } from '../../src/blueprint/model.js';
import { decide } from '../../src/engine/core/decider.js';
import type { Decision } from '../../src/engine/core/decisions.js';
import { topologicalOrder } from '../../src/engine/core/order.js';
import { planRerun, planRetry } from '../../src/engine/core/reset.js';
import { blueprint, done, failed, run, running, state, task } from '../helpers/model.js';

const clock = { now: Date.parse('2026-01-01T00:00:01.000Z'), activeMs: 1000 };
const needs = (id: string, on: string[], extra: Partial<TaskSpec> = {}) => run(id, { needs: on, ...extra });

function brief(ds: Decision[]): string[] {
  return ds.map((d) => {
    if (d.type === 'skip') return d.reason ? `skip ${d.key}: ${d.reason}` : `skip ${d.key}`;
    if (d.type === 'start' || d.type === 'cancel') return `${d.type} ${d.key}`;
    if (d.type === 'evaluate') return `evaluate ${d.key} ${d.field}`;
    if (d.type === 'end' || d.type === 'ending' || d.type === 'outcome') return `${d.type} ${'key' in d ? d.key : d.frame || 'run'} ${d.status}`;
    return d.type;
  });
}

// b and c need a; d needs both — written out of order on purpose: the graph, not the order, decides.
const diamond = blueprint([needs('d', ['b', 'c']), run('a'), needs('b', ['a']), needs('c', ['a'])]);
const fanIn = blueprint([run('p1'), run('p2'), run('p3'), run('p4'), needs('join', ['p1', 'p2', 'p3', 'p4'])]);

describe('decider: needs graphs', () => {
  it.each<[string, ReturnType<typeof blueprint>, Parameters<typeof state>[0], string[], boolean?]>([
    ['a diamond starts its root only', diamond, {}, ['start a']],
    ['then both middle tasks at once', diamond, { a: done() }, ['start b', 'start c']],
    ['the join waits for the slower side', diamond, { a: done(), b: done(), c: running() }, []],
    ['and starts once both ended', diamond, { a: done(), b: done(), c: done() }, ['start d']],
    ['a skipped need counts as done', diamond, { a: done(), b: { status: 'skipped' }, c: done() }, ['start d']],
    ['all done: the list is done', diamond, { a: done(), b: done(), c: done(), d: done() }, ['outputs']],
    ['a wide fan-in starts every task without needs at once', fanIn, {}, ['start p1', 'start p2', 'start p3', 'start p4']],
    ['and joins only when all ended', fanIn, { p1: done(), p2: done(), p3: done(), p4: running() }, []],
    ['an optional failure counts as done', blueprint([run('a', { optional: true }), needs('b', ['a'])]), { a: failed() }, ['start b']],
    ['a failure stops the graph: siblings are canceled, nothing new starts', diamond, { a: done(), b: failed(), c: running() }, ['cancel c']],
    ['and the run fails once nothing runs', diamond, { a: done(), b: failed(), c: { status: 'canceled' } }, ['outcome run failed']],
    ['--keep-going: a task whose need failed is skipped with the reason', diamond, { a: done(), b: failed(), c: done() }, ['skip d: needs `b`, which failed'], true],
    ['--keep-going: the skip passes on down the graph', blueprint([run('a'), needs('b', ['a']), needs('c', ['b'])]), { a: failed(), b: { status: 'skipped', error: 'needs `a`, which failed' } }, ['skip c: needs `b`, which was skipped'], true],
    ['--keep-going: independent tasks go on', blueprint([run('a'), needs('b', ['a']), run('x')]), { a: failed() }, ['start x', 'skip b: needs `a`, which failed'], true],
    ['an `if` that reads needs decides for itself', blueprint([run('a'), needs('r', ['a'], { if: "needs.a.status = 'failed'", ifReadsNeeds: true })]), { a: failed() }, ['evaluate r condition'], true],
    ['any other `if` is evaluated only after its needs succeeded', blueprint([run('a'), needs('r', ['a'], { if: 'inputs.go' })]), { a: failed() }, ['skip r: needs `a`, which failed'], true],
    ['a timed-out need says so', blueprint([run('a'), needs('b', ['a'])]), { a: { status: 'timed_out' } }, ['skip b: needs `a`, which timed out'], true],
  ])('%s', (_name, bp, st, expected, keepGoing = false) => {
    expect(brief(decide(bp, state(st), clock, { keepGoing }).decisions)).toEqual(expected);
  });

  it('hands a task the ids it needs, for `needs.<id>` in its expressions, and not to the tasks inside it', () => {
    const inner = task('parallel', 'p', { branches: [[run('x')]], failFast: true, needs: ['a'] });
    const bp = blueprint([run('a'), inner]);
    const start = decide(bp, state({ a: done() }), clock, { keepGoing: false }).decisions[0];
    expect(start).toMatchObject({ type: 'start', key: 'p', scope: { needs: ['a'] } });
    const running = decide(bp, state({ a: done(), p: { kind: 'parallel', status: 'running', started_at: 'x' } }), clock, { keepGoing: false }).decisions[0];
    expect(running).toMatchObject({ type: 'start', key: 'x' });
    expect((running as { scope: object }).scope).toEqual({ prefix: '', frame: '' });
  });

  it('runs a graph inside a for_each body per item', () => {
    const fe = task('for_each', 'fe', { items: [1, 2], body: [run('a'), run('b'), needs('c', ['a', 'b'])], failFast: true });
    const st = state({ fe: { kind: 'for_each', status: 'running', started_at: 'x', items: [1, 2] }, 'fe[0].a': done(), 'fe[0].b': done() });
    expect(brief(decide(blueprint([fe]), st, clock, { keepGoing: false }).decisions)).toEqual(['start fe[0].c', 'start fe[1].a', 'start fe[1].b']);
  });

  it('orders tasks after what they need, keeping the written order otherwise', () => {
    expect(topologicalOrder(diamond.tasks).map((t) => t.id)).toEqual(['a', 'b', 'c', 'd']);
    expect(topologicalOrder(fanIn.tasks).map((t) => t.id)).toEqual(['p1', 'p2', 'p3', 'p4', 'join']);
  });
});

describe('reset on graphs', () => {
  const bp = blueprint([run('a'), needs('b', ['a']), needs('c', ['a']), needs('d', ['b']), run('x')]);

  it('rerun --from a task resets it and what needs it, directly or not, and nothing else', () => {
    const st = state({ a: done(), b: done(), c: done(), d: done(), x: done() });
    expect(planRerun(bp, st, 'b').reset).toEqual(['b', 'd']);
    expect(planRerun(bp, st, 'a').reset).toEqual(['a', 'b', 'c', 'd']);
  });

  it('retry re-runs the failed task and what was skipped because of it', () => {
    const st = state({ a: failed(), b: { status: 'skipped', error: 'needs `a`, which failed' }, c: { status: 'skipped' }, x: done() });
    expect(planRetry(bp, st).reset).toEqual(['a', 'b']);
  });
});
