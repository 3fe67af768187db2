// Requests through the ControlInbox port (cancel, signal) and Ctrl-C to the driver, on the virtual clock.
import { describe, expect, it } from 'vitest';
import { runBlueprint, statuses } from './harness.js';

const GATE = `
name: gate
tasks:
  - id: approve
    wait: { signal: approve }
  - id: deploy
    run: echo "\${{ tasks.approve.output.by }}"
    output: text
`;

describe('cancel', () => {
  it('ends the running task, starts nothing more, runs finally, and the run ends canceled', async () => {
    const run = await runBlueprint(`
name: cx
tasks:
  - { id: slow, run: sleep 30 }
  - { id: never, run: "true" }
finally:
  - { id: cleanup, run: 'echo "\${{ run.status }}"', output: text }
`, { cancelAfterMs: 1000, mocks: { slow: { durationMs: 30_000 }, cleanup: { stdout: 'canceled\n' } } });
    expect(run.status).toBe('canceled');
    expect(run.order).toEqual(['slow', 'cleanup']);
    expect(statuses(run)).toEqual({ slow: 'canceled', cleanup: 'completed' });
    expect(run.state.error).toMatchObject({ message: 'canceled by a test' });
    expect(run.calls[1]!.startedAt - run.calls[0]!.startedAt).toBe(1000);
  });
});

describe('signals', () => {
  it('a signal completes a waiting task with its data, which the next task reads', async () => {
    const run = await runBlueprint(GATE, { signals: [{ task: 'approve', afterMs: 60_000, data: { by: 'ana' } }], mocks: { deploy: { stdout: 'ana\n' } } });
    expect(run.status).toBe('completed');
    expect(run.state.tasks.approve).toMatchObject({ status: 'completed', output: { by: 'ana' } });
    expect(run.calls[0]!.startedAt - Date.parse(run.state.started_at)).toBe(60_000);
    expect(run.calls[0]!.request.env.BATON_EXPR_0).toBe('ana');
  });

  it('a failing signal fails the waiting task and the run with its reason', async () => {
    const run = await runBlueprint(GATE, { signals: [{ task: 'approve', afterMs: 5, failed: true, reason: 'not on a Friday' }] });
    expect(run.status).toBe('failed');
    expect(run.state.error).toEqual({ task: 'approve', message: 'not on a Friday' });
    expect(run.calls).toEqual([]);
  });

  it('with no signal coming, the run waits (and would wait forever): the harness says it is stuck', async () => {
    const run = await runBlueprint(GATE, { signals: [{ task: 'deploy', afterMs: 5 }] });
    expect(run).toMatchObject({ status: 'waiting', stuck: true, undelivered: [{ task: 'deploy' }] });
  });

  it('a wait with a timeout and no signal ends timed_out at its deadline', async () => {
    const run = await runBlueprint('name: w\ntasks:\n  - { id: approve, wait: { signal: approve }, timeout: 1h }\n');
    expect(run.status).toBe('timed_out');
    expect(run.elapsedMs).toBe(3_600_000);
  });
});

describe('Ctrl-C', () => {
  it('ends the running attempt and leaves the run interrupted', async () => {
    const run = await runBlueprint('name: s\ntasks:\n  - { id: slow, run: sleep 30 }\n', { interruptAfterMs: 2000, mocks: { slow: { durationMs: 30_000 } } });
    expect(run.status).toBe('interrupted');
    expect(run.state.tasks.slow?.history[0]).toMatchObject({ status: 'canceled', error: 'interrupted' });
    expect(run.events.at(-1)).toMatchObject({ type: 'driver_stopped', status: 'interrupted' });
  });
});
