// The harness itself: a run driven in memory ends as a real one would, in virtual time, without a process.
import { describe, expect, it } from 'vitest';
import { runBlueprint, statuses } from './harness.js';

describe('driver harness', () => {
  it('runs tasks in order and records their outputs and the run outputs', async () => {
    const run = await runBlueprint(`
name: basics
tasks:
  - id: a
    run: echo never
    output: json
  - id: b
    run: echo never
outputs:
  n: \${{ tasks.a.output.n }}
`, { mocks: { a: { stdout: '{"n": 3}', durationMs: 1500 }, b: { durationMs: 500 } } });
    expect(run.status).toBe('completed');
    expect(run.order).toEqual(['a', 'b']);
    expect(run.state.outputs).toEqual({ n: 3 });
    expect(run.elapsedMs).toBe(2000);
    expect(run.state.tasks.a?.duration_ms).toBe(1500);
  });
});
