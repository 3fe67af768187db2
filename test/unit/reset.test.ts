// The reset planner as tables: what `baton retry` and `baton rerun --from` set back, reopen and recompute.
import { describe, expect, it } from 'vitest';
import { planRerun, planRetry, RerunTargetError } from '../../src/engine/core/reset.js';
import { blueprint, done, failed, run, running, state, task } from '../helpers/model.js';

const AT = (s: number) => `2026-01-01T00:00:0${s}.000Z`;
const par = task('parallel', 'p', { branches: [[run('a'), run('b')], [run('c')]], failFast: true });
const fe = task('for_each', 'fe', { items: '${{ [1,2] }}', body: [run('x'), run('y')], failFast: true });
const lp = task('loop', 'lp', { body: [run('body')], while: 'iteration < 2', maxIterations: 10 });
const set = (id: string) => task('set', id, { values: {} });
const bp = blueprint([run('first'), par, fe, lp, run('last')], { onFailure: [run('notify')], finally: [run('cleanup')] });

/** first and the parallel done; item 1 of the for_each failed; the rest never started; the handlers ran. */
const afterFailure = () =>
  state({
    first: done(), p: done({ kind: 'parallel', started_at: AT(1) }), a: done(), b: done(), c: done(),
    fe: failed({ kind: 'for_each', started_at: AT(2), items: [1, 2] }), 'fe[0].x': done(), 'fe[0].y': done(), 'fe[1].x': failed(), 'fe[1].y': {},
    lp: {}, last: {}, notify: done(), cleanup: done(),
  });

/** Everything completed, the loop over three iterations. */
const afterSuccess = () =>
  state({
    first: done(), p: done({ kind: 'parallel', started_at: AT(1) }), a: done(), b: done(), c: done(),
    fe: done({ kind: 'for_each', started_at: AT(2), items: [1, 2] }), 'fe[0].x': done(), 'fe[0].y': done(), 'fe[1].x': done(), 'fe[1].y': done(),
    lp: done({ kind: 'loop', started_at: AT(3), iteration: 2 }), 'lp[0].body': done(), 'lp[1].body': done(), 'lp[2].body': done(),
    last: done(), cleanup: done(),
  });

describe('planRetry', () => {
  it.each<[string, () => ReturnType<typeof state>, string[], string[]]>([
    ['a failed item runs again, its for_each reopens, the handlers rerun', afterFailure, ['fe[1].x', 'notify', 'cleanup'], ['fe']],
    ['nothing failed: only the handlers', afterSuccess, ['cleanup'], []],
    ['a control-flow task that failed before starting runs afresh', () => state({ first: done(), p: failed({ kind: 'parallel' }) }), ['p'], []],
    ['timed-out and canceled tasks run again too', () => state({ first: { status: 'timed_out' }, p: { status: 'canceled', kind: 'parallel' } }), ['first', 'p'], []],
    ['a skipped task stays skipped', () => state({ first: { status: 'skipped' }, p: failed({ kind: 'parallel' }) }), ['p'], []],
  ])('%s', (_name, st, reset, reopened) => {
    const plan = planRetry(bp, st());
    expect(plan.reason).toBe('retry');
    expect(plan.reset).toEqual(reset);
    expect(plan.reopen).toEqual(reopened.map((key) => ({ key, iteration: null })));
    expect(plan.frames).toEqual(['']);
  });
});

describe('planRerun', () => {
  it.each<[string, string, string[], { key: string; iteration: number | null }[]]>([
    ['the first task: everything', 'first', ['first', 'p', 'a', 'b', 'c', 'fe', 'fe[0].x', 'fe[0].y', 'fe[1].x', 'fe[1].y', 'lp', 'lp[0].body', 'lp[1].body', 'lp[2].body', 'last', 'cleanup'], []],
    ['the last task: that one and the handlers', 'last', ['last', 'cleanup'], []],
    ['a branch task: the rest of its branch, the tasks after the parallel; the parallel reopens', 'a', ['a', 'b', 'fe', 'fe[0].x', 'fe[0].y', 'fe[1].x', 'fe[1].y', 'lp', 'lp[0].body', 'lp[1].body', 'lp[2].body', 'last', 'cleanup'], [{ key: 'p', iteration: null }]],
    ['an item: the rest of that item; its for_each reopens', 'fe[1].x', ['fe[1].x', 'fe[1].y', 'lp', 'lp[0].body', 'lp[1].body', 'lp[2].body', 'last', 'cleanup'], [{ key: 'fe', iteration: null }]],
    ['a loop iteration: it and the later ones; the loop reopens at it', 'lp[1].body', ['lp[1].body', 'lp[2].body', 'last', 'cleanup'], [{ key: 'lp', iteration: 1 }]],
  ])('%s', (_name, from, reset, reopen) => {
    const plan = planRerun(bp, afterSuccess(), from);
    expect(plan.reason).toBe('rerun');
    expect([...plan.reset].sort()).toEqual([...reset].sort());
    expect(plan.reopen).toEqual(reopen);
    expect(plan.frames).toEqual(['']);
  });

  it('refuses a task the blueprint does not have, naming the ones it has', () => {
    const st = afterSuccess();
    st.tasks.gone = { ...st.tasks.last!, key: 'gone', id: 'gone' };
    let error: unknown;
    try {
      planRerun(bp, st, 'gone');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RerunTargetError);
    expect((error as RerunTargetError).targets).toContain('fe[1].y');
    expect((error as RerunTargetError).targets).not.toContain('gone');
  });
});

describe('run variables after a reset', () => {
  const withSets = blueprint([set('s1'), run('mid'), set('s2')]);
  const st = () =>
    state({
      s1: done({ kind: 'set', output: { a: 1, b: 1 }, ended_at: AT(1) }),
      mid: done({ ended_at: AT(2) }),
      s2: done({ kind: 'set', output: { b: 2 }, ended_at: AT(3) }),
    });

  it.each<[string, string, Record<string, unknown>]>([
    ['a rerun from a set drops it and keeps the earlier ones', 's2', { a: 1, b: 1 }],
    ['a rerun from the first set drops them all', 's1', {}],
    ['a rerun from a task between them drops the later set', 'mid', { a: 1, b: 1 }],
  ])('%s', (_name, from, vars) => {
    expect(planRerun(withSets, st(), from).vars).toEqual({ '': vars });
  });

  it('retry keeps every completed set, applied in the order they completed (not the list order)', () => {
    expect(planRetry(withSets, st()).vars).toEqual({ '': { a: 1, b: 2 } });
    const swapped = st();
    swapped.tasks.s1!.ended_at = AT(4);
    expect(planRetry(withSets, swapped).vars).toEqual({ '': { a: 1, b: 1 } });
  });
});
