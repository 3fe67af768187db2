import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../src/engine/core/events.js';
import { applyEvent } from '../../src/engine/core/reducer.js';
import { state } from '../helpers/model.js';

const at = '2026-01-01T00:00:01.000Z';
const later = '2026-01-01T00:00:03.500Z';
let seq = 0;
const ev = (e: Record<string, unknown>): RunEvent => ({ seq: ++seq, at, ...e }) as RunEvent;

const started = ev({ type: 'attempt_started', key: 'a', id: 'a', kind: 'run', attempt: 1, stdout_log: 'logs/a.1.stdout', stderr_log: 'logs/a.1.stderr' });
const ended = (fields: Record<string, unknown>) =>
  ({ ...ev({ type: 'attempt_ended', key: 'a', attempt: 1, status: 'completed', exit_code: 0, signal: null, error: null, output: { n: 1 }, stdout: { text: 'hi\n', truncated: false }, stderr: { text: '', truncated: false }, retry_at: null, counted: true, ...fields }), at: later }) as RunEvent;

describe('reducer', () => {
  it.each([
    ['a completed attempt', [started, ended({})], { status: 'completed', attempts: 1, exit_code: 0, output: { n: 1 }, duration_ms: 2500, budget_used: 1 }],
    ['a failed attempt with a retry ahead is pending', [started, ended({ status: 'failed', exit_code: 1, output: null, retry_at: later })], { status: 'pending', retry_at: later, exit_code: 1, output: null }],
    ['a failed attempt for good keeps the output it reported', [started, ended({ status: 'failed', exit_code: 2, error: 'exit code 2' })], { status: 'failed', error: 'exit code 2', output: { n: 1 } }],
    ['a timed-out attempt keeps the output it reported', [started, ended({ status: 'timed_out', exit_code: null, error: 'timed out after 1s' })], { status: 'timed_out', output: { n: 1 } }],
    ['a canceled attempt has no output', [started, ended({ status: 'canceled', exit_code: null, error: 'canceled' })], { status: 'canceled', output: null }],
    ['an interrupted attempt does not use the retry budget', [started, ended({ status: 'canceled', retry_at: at, counted: false })], { status: 'pending', budget_used: 0 }],
    ['a skipped task', [ev({ type: 'task_skipped', key: 'a', id: 'a', kind: 'run' })], { status: 'skipped', attempts: 0 }],
    ['an evaluated condition', [ev({ type: 'task_evaluated', key: 'a', id: 'a', kind: 'run', field: 'condition', value: false })], { condition: false, status: 'pending' }],
    ['for_each items are kept', [ev({ type: 'task_started', key: 'fe', id: 'fe', kind: 'for_each' }), ev({ type: 'task_evaluated', key: 'fe', id: 'fe', kind: 'for_each', field: 'items', value: [1, 2] })], { status: 'running', items: [1, 2] }],
    ['a wait waits', [ev({ type: 'task_started', key: 'w', id: 'w', kind: 'wait', deadline: later })], { status: 'waiting', deadline: later }],
  ] as const)('%s', (_name, events, expected) => {
    const st = state();
    for (const e of events) applyEvent(st, e);
    const key = Object.keys(st.tasks)[0]!;
    expect(st.tasks[key]).toMatchObject(expected);
    expect(st.seq).toBe(events[events.length - 1]!.seq);
  });

  it('keeps the attempt history with pids', () => {
    const st = state();
    applyEvent(st, started);
    applyEvent(st, ev({ type: 'attempt_spawned', key: 'a', attempt: 1, pid: 4242 }));
    applyEvent(st, ended({}));
    expect(st.tasks.a!.history).toEqual([
      expect.objectContaining({ n: 1, pid: 4242, status: 'completed', exit_code: 0, stdout_log: 'logs/a.1.stdout' }),
    ]);
  });

  it('sets vars in the frame and records outcome, phase and the end of the run', () => {
    const st = state();
    applyEvent(st, ev({ type: 'vars_set', key: 's', frame: '', values: { a: 1 } }));
    applyEvent(st, ev({ type: 'vars_set', key: 's2', frame: '', values: { b: 2 } }));
    applyEvent(st, ev({ type: 'run_outcome', frame: '', status: 'failed', error: { task: 'x', message: 'boom' }, outputs: null }));
    applyEvent(st, ev({ type: 'phase_changed', frame: '', phase: 'finally' }));
    applyEvent(st, ev({ type: 'run_ended', status: 'failed', error: { task: 'x', message: 'boom' } }));
    expect(st).toMatchObject({ vars: { a: 1, b: 2 }, outcome: 'failed', phase: 'done', status: 'failed', ended_at: at, error: { task: 'x' } });
  });

  it('gives a sub-run its own frame', () => {
    const st = state();
    applyEvent(st, ev({ type: 'task_started', key: 'sub', id: 'sub', kind: 'workflow', inputs: { n: 1 } }));
    applyEvent(st, ev({ type: 'vars_set', key: 'sub/s', frame: 'sub', values: { x: true } }));
    expect(st.tasks.sub!.frame).toMatchObject({ phase: 'main', inputs: { n: 1 }, vars: { x: true } });
    expect(st.vars).toEqual({});
  });

  it('closes the sub-run frame when its workflow task ends', () => {
    const st = state();
    applyEvent(st, ev({ type: 'task_started', key: 'sub', id: 'sub', kind: 'workflow', inputs: {} }));
    applyEvent(st, ev({ type: 'phase_changed', frame: 'sub', phase: 'finally' }));
    applyEvent(st, ev({ type: 'task_ended', key: 'sub', status: 'completed', output: { v: 1 }, error: null }));
    expect(st.tasks.sub).toMatchObject({ status: 'completed', output: { v: 1 }, frame: { phase: 'done' } });
  });

  it('retry / rerun of the run give it a fresh run-timeout budget; a sub-run retry does not', () => {
    const st = state();
    st.active_ms = 2100;
    applyEvent(st, ev({ type: 'task_started', key: 'sub', id: 'sub', kind: 'workflow', inputs: {} }));
    applyEvent(st, ev({ type: 'run_reset', reason: 'retry', reset: [], reopen: [], frames: ['sub'], vars: {} }));
    expect(st.active_ms).toBe(2100);
    applyEvent(st, ev({ type: 'run_reset', reason: 'retry', reset: [], reopen: [], frames: [''], vars: {} }));
    expect(st.active_ms).toBe(0);
  });

  it('replaying the same events gives the same state', () => {
    const events = [started, ev({ type: 'attempt_spawned', key: 'a', attempt: 1, pid: 7 }), ended({})];
    const one = state();
    const two = state();
    for (const e of events) applyEvent(one, e);
    for (const e of events) applyEvent(two, e);
    expect(one).toEqual(two);
  });
});
