// Timeouts on the virtual clock: a task's, a control-flow task's, the run's, and `wait: <duration>`.
import { describe, expect, it } from 'vitest';
import { runBlueprint, statuses } from './harness.js';

describe('timeouts', () => {
  it('an attempt longer than the task timeout ends timed_out, keeps its output, and ends the run timed_out', async () => {
    const run = await runBlueprint(`
name: to
tasks:
  - id: t1
    timeout: 500ms
    output: lines
    run: sleep 30
  - id: never
    run: "true"
outputs:
  last: \${{ tasks.t1.output }}
`, { mocks: { t1: { stdout: 'step1\n', durationMs: 30_000 } } });
    expect(run.status).toBe('timed_out');
    expect(run.elapsedMs).toBe(500);
    expect(run.state.error).toEqual({ task: 't1', message: 'timed out after 500ms' });
    expect(run.state.outputs).toEqual({ last: ['step1'] });
    expect(run.state.tasks.t1).toMatchObject({ status: 'timed_out', output: ['step1'] });
    expect(run.state.tasks.never).toBeUndefined();
  });

  it('an attempt that ends within its timeout completes', async () => {
    const run = await runBlueprint('name: ok\ntasks:\n  - { id: t1, timeout: 1s, run: "true" }\n', { mocks: { t1: { durationMs: 1000 } } });
    expect(run.status).toBe('completed');
  });

  it('a control-flow `timeout` cancels its descendants at every depth and ends timed_out', async () => {
    const run = await runBlueprint(`
name: slowpoke
tasks:
  - id: par
    timeout: 700ms
    parallel:
      - - id: hang
          run: sleep 60
      - - id: fan
          for_each: \${{ [1] }}
          do:
            - id: deep
              loop:
                do:
                  - id: spin
                    run: sleep 60
                while: \${{ true }}
      - - id: nap
          wait: 60s
`, { mocks: { hang: { durationMs: 60_000 }, spin: { durationMs: 60_000 } } });
    expect(run.status).toBe('timed_out');
    expect(statuses(run)).toEqual({
      par: 'timed_out', hang: 'canceled', fan: 'canceled', 'fan[0].deep': 'canceled', 'fan[0].deep[0].spin': 'canceled', nap: 'canceled',
    });
    expect(run.state.error).toEqual({ task: 'par', message: 'timed out after 700ms' });
    expect(run.elapsedMs).toBe(700);
  });

  it('the run timeout stops the running task and ends the run timed_out', async () => {
    const run = await runBlueprint(`
name: slow
timeout: 3s
tasks:
  - { id: t1, run: sleep 30 }
  - { id: t2, run: "true" }
finally:
  - { id: tidy, run: "true" }
`, { mocks: { t1: { durationMs: 30_000 } } });
    expect(run.status).toBe('timed_out');
    expect(run.state.error).toMatchObject({ message: 'run timed out after 3s' });
    expect(statuses(run)).toEqual({ t1: 'canceled', tidy: 'completed' });
    expect(run.elapsedMs).toBe(3000);
  });

  it('`wait: <duration>` sleeps, then completes with a null output', async () => {
    const run = await runBlueprint('name: nap\ntasks:\n  - { id: nap, wait: 300ms }\n  - { id: after, run: "true" }\n');
    expect(run.status).toBe('completed');
    expect(run.state.tasks.nap).toMatchObject({ status: 'completed', output: null, duration_ms: 300 });
    expect(run.calls[0]!.startedAt - Date.parse(run.state.started_at)).toBe(300);
  });
});
