// Retries on the virtual clock: how many attempts, the backoff between them, exit_codes, and a sub-run's retry.
import { describe, expect, it } from 'vitest';
import { runBlueprint } from './harness.js';

describe('retries', () => {
  it('retries a failing task `count` times with exponential backoff, then fails', async () => {
    const run = await runBlueprint(`
name: r
tasks:
  - id: flaky
    run: exit 1
    retry: { count: 3, delay: 1s, backoff: exponential, factor: 3 }
`, { mocks: { flaky: { exit: 1, durationMs: 100 } } });
    expect(run.status).toBe('failed');
    expect(run.order).toEqual(['flaky', 'flaky#2', 'flaky#3', 'flaky#4']);
    // Each delay counts from the end of the attempt before it: 1 s, 3 s, 9 s.
    expect(run.calls.map((c) => c.startedAt - run.calls[0]!.startedAt)).toEqual([0, 1100, 4200, 13300]);
    expect(run.state.tasks.flaky).toMatchObject({ status: 'failed', attempts: 4 });
  });

  it('stops retrying once an attempt succeeds; the output is the last attempt’s', async () => {
    const run = await runBlueprint(`
name: r
tasks:
  - id: flaky
    run: exit 1
    output: json
    retry: { count: 5, delay: 2s, backoff: linear, max_delay: 3s }
`, { mocks: { flaky: [{ exit: 1 }, { exit: 1 }, { exit: 1 }, { stdout: '{"ok": true}' }] } });
    expect(run.status).toBe('completed');
    expect(run.calls.map((c) => c.startedAt - run.calls[0]!.startedAt)).toEqual([0, 2000, 5000, 8000]);
    expect(run.state.tasks.flaky).toMatchObject({ status: 'completed', attempts: 4, output: { ok: true } });
  });

  it('with exit_codes, another exit code is not retried; a timed-out attempt is retried like a failed one', async () => {
    const run = await runBlueprint(`
name: r
tasks:
  - id: slow
    run: sleep 9
    timeout: 1s
    retry: 1
  - id: picky
    run: exit 1
    retry: { count: 3, exit_codes: [75] }
`, { mocks: { picky: [{ exit: 75 }, { exit: 2 }], slow: [{ durationMs: 5000 }, { durationMs: 10 }] } });
    expect(run.state.tasks.picky).toMatchObject({ status: 'failed', attempts: 2, error: 'exit code 2' });
    expect(run.state.tasks.slow?.history.map((a) => a.status)).toEqual(['timed_out', 'completed']);
  });

  it('retry on a workflow task re-runs only the failed part of the child, after its delay', async () => {
    const run = await runBlueprint(`
name: main
tasks:
  - id: sub
    workflow: lib/child.yaml
    retry: { count: 2, delay: 200ms }
  - id: after
    run: "true"
`, {
      files: { 'lib/child.yaml': 'name: child\ntasks:\n  - { id: one, run: "true" }\n  - { id: two, run: "false" }\nfinally:\n  - { id: fin, run: "true" }\n' },
      mocks: { 'sub/two': [{ exit: 1, durationMs: 50 }, { exit: 1 }, { exit: 0 }] },
    });
    expect(run.status).toBe('completed');
    expect(run.order).toEqual(['sub/one', 'sub/two', 'sub/fin', 'sub/two#2', 'sub/fin#2', 'sub/two#3', 'sub/fin#3', 'after']);
    expect(run.state.tasks.sub).toMatchObject({ status: 'completed', attempts: 3 });
    expect(run.state.tasks['sub/one']?.attempts).toBe(1);
    const two = run.calls.filter((c) => c.key === 'sub/two');
    const fin = run.calls.filter((c) => c.key === 'sub/fin');
    expect(two[1]!.startedAt - fin[0]!.startedAt).toBe(200);
  });

  it('a workflow task whose retries are spent fails', async () => {
    const run = await runBlueprint('name: main\ntasks:\n  - id: sub\n    workflow: child.yaml\n    retry: 1\n', {
      files: { 'child.yaml': 'name: child\ntasks:\n  - { id: bad, run: exit 3 }\n' },
      mocks: { bad: { exit: 3 } },
    });
    expect(run.status).toBe('failed');
    expect(run.state.tasks.sub).toMatchObject({ status: 'failed', attempts: 2 });
    expect(run.order).toEqual(['sub/bad', 'sub/bad#2']);
  });
});
