// fail_fast, fail_fast: false and --keep-going, decided by the real driver on a virtual clock.
import { describe, expect, it } from 'vitest';
import { runBlueprint, statuses } from './harness.js';

const PARALLEL = (option = '') => `
name: ff
tasks:
  - id: par${option}
    parallel:
      - - id: quick_fail
          run: exit 1
      - - id: slow
          run: sleep 5
        - id: after_slow
          run: "true"
  - id: next
    run: "true"
`;

describe('fail_fast', () => {
  it('a failure cancels the other branches at once and fails the parallel task and the run', async () => {
    const run = await runBlueprint(PARALLEL(''), { mocks: { quick_fail: { exit: 1, durationMs: 100 }, slow: { durationMs: 5000 } } });
    expect(run.status).toBe('failed');
    expect(statuses(run)).toEqual({ par: 'failed', quick_fail: 'failed', slow: 'canceled' });
    expect(run.state.tasks.par?.error).toBe('task quick_fail failed: exit code 1');
    expect(run.elapsedMs).toBe(100);
    expect(run.state.error).toEqual({ task: 'quick_fail', message: 'exit code 1' });
  });

  it('fail_fast: false lets the other branches finish, then fails before the next task', async () => {
    const run = await runBlueprint(PARALLEL('\n    fail_fast: false'), {
      mocks: { quick_fail: { exit: 1, durationMs: 100 }, slow: { durationMs: 5000 }, after_slow: { durationMs: 1000 } },
    });
    expect(run.status).toBe('failed');
    expect(statuses(run)).toMatchObject({ par: 'failed', quick_fail: 'failed', slow: 'completed', after_slow: 'completed' });
    expect(run.order).toEqual(['quick_fail', 'slow', 'after_slow']);
    expect(run.elapsedMs).toBe(6000);
    expect(run.state.tasks.next).toBeUndefined();
  });

  it('--keep-going turns fail_fast off everywhere, but the run still stops after the failed task', async () => {
    const run = await runBlueprint(PARALLEL(''), { keepGoing: true, mocks: { quick_fail: { exit: 1, durationMs: 100 }, slow: { durationMs: 5000 } } });
    expect(run.status).toBe('failed');
    expect(statuses(run)).toMatchObject({ quick_fail: 'failed', slow: 'completed', after_slow: 'completed', par: 'failed' });
    expect(run.state.tasks.next).toBeUndefined();
  });
});
