// for_each on the virtual clock: the concurrency cap (measured, not guessed from sleeps), fail_fast both ways.
import { describe, expect, it } from 'vitest';
import type { InMemoryRun } from '../../../../src/app/drive-in-memory.js';
import { runBlueprint, statuses } from './harness.js';

/** Most attempts running at once, from the recorded start and end of every attempt. */
function mostAtOnce(run: InMemoryRun): number {
  const edges = Object.values(run.state.tasks).flatMap((t) => t.history.flatMap((a) => [[Date.parse(a.started_at), 1], [Date.parse(a.ended_at ?? ''), -1]] as const));
  edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let now = 0;
  let most = 0;
  for (const [, d] of edges) most = Math.max(most, (now += d));
  return most;
}

const CAPPED = (cap: string, extra = '') => `
name: cap
inputs:
  jobs: { type: integer, default: 8 }
  run_jobs: { type: string, default: "8" }
concurrency: \${{ inputs.run_jobs }}
tasks:
  - id: fe
    for_each: \${{ [1, 2, 3, 4, 5, 6] }}
    concurrency: ${cap}${extra}
    do:
      - { id: work, run: "true" }
      - { id: more, run: "true" }
`;

describe('for_each', () => {
  it('concurrency caps the items in progress; the for_each keeps its limit', async () => {
    const run = await runBlueprint(CAPPED('2'), { mocks: { work: { durationMs: 1000 }, more: { durationMs: 300 } } });
    expect(run.status).toBe('completed');
    expect(run.calls).toHaveLength(12);
    expect(mostAtOnce(run)).toBe(2);
    expect(run.elapsedMs).toBe(3900);
  });

  it('the cap may come from an input, on the for_each and on the run; the run-wide cap holds across it', async () => {
    const fromInput = await runBlueprint(CAPPED('${{ inputs.jobs }}'), { inputs: { jobs: 3 }, mocks: { work: { durationMs: 1000 } } });
    expect(fromInput.state.tasks.fe).toMatchObject({ limit: 3 });
    expect(mostAtOnce(fromInput)).toBe(3);
    // A digit string (an env var, a string input) counts; the run keeps the number it started with.
    const runWide = await runBlueprint(CAPPED('6'), { inputs: { run_jobs: '1' }, mocks: { work: { durationMs: 1000 } } });
    expect(mostAtOnce(runWide)).toBe(1);
    expect(runWide.state.options.concurrency).toBe(1);
  });

  it('a concurrency expression that is not a positive integer fails the task', async () => {
    const run = await runBlueprint(CAPPED('${{ 1 - 1 }}'));
    expect(run.status).toBe('failed');
    expect(run.state.tasks.fe).toMatchObject({ status: 'failed', error: 'concurrency: expected an integer ≥ 1, got 0' });
    expect(run.calls).toEqual([]);
  });

  it('fail_fast (default): a failed item cancels running items, starts no more, and fails the task', async () => {
    const run = await runBlueprint(CAPPED('2'), { mocks: { work: { durationMs: 1000 }, 'fe[1].work': { exit: 3, durationMs: 500 } } });
    expect(statuses(run)).toEqual({ fe: 'failed', 'fe[0].work': 'canceled', 'fe[1].work': 'failed' });
    expect(run.state.error).toEqual({ task: 'fe[1].work', message: 'exit code 3' });
    expect(run.state.tasks.fe?.error).toBe('task fe[1].work failed: exit code 3');
  });

  it.each([
    ['fail_fast: false', '\n    fail_fast: false', false],
    ['--keep-going', '', true],
  ])('%s runs every item, then fails', async (_name, extra, keepGoing) => {
    const run = await runBlueprint(CAPPED('2', extra), { keepGoing, mocks: { 'fe[1].work': { exit: 1 } } });
    expect(run.status).toBe('failed');
    expect(statuses(run)).toMatchObject({ fe: 'failed', 'fe[0].more': 'completed', 'fe[1].work': 'failed', 'fe[5].more': 'completed' });
    expect(run.state.tasks['fe[1].more']).toBeUndefined();
    expect(run.state.error).toEqual({ task: 'fe[1].work', message: 'exit code 1' });
  });
});
