// Tests for maskEvent: the values and texts of a journal event are masked, its structure never is.
import { describe, expect, it } from 'vitest';
import { maskEvent, maskWarning } from '../../src/engine/driver/masking.js';
import type { NewEvent } from '../../src/engine/core/events.js';

describe('maskEvent', () => {
  it('masks errors, outputs and captured text, but not keys, attempt numbers or exit codes (a 1-char secret)', () => {
    const e: NewEvent = {
      type: 'attempt_ended', key: 'fan[1].step', attempt: 1, status: 'failed', exit_code: 1, signal: null,
      error: 'exit code 1', output: { n: 1, 'k1': 'v' }, stdout: { text: 'line 1\n', truncated: false }, stderr: null,
      retry_at: null, counted: true,
    };
    expect(maskEvent(e, ['1'])).toEqual({
      ...e, error: 'exit code ***', output: { n: '***', 'k***': 'v' }, stdout: { text: 'line ***\n', truncated: false },
    });
  });

  it('masks a run error message, not the task it names; named maps keep their names', () => {
    const outcome: NewEvent = { type: 'run_outcome', frame: '', status: 'failed', error: { task: 'tok', message: 'bad tok' }, outputs: { tok: 'tok!' } };
    expect(maskEvent(outcome, ['tok'])).toEqual({ ...outcome, error: { task: 'tok', message: 'bad ***' }, outputs: { tok: '***!' } });
    const reset: NewEvent = { type: 'run_reset', reason: 'retry', reset: ['tok'], reopen: [], frames: [], vars: { '': { tok: 'tok' } } };
    expect(maskEvent(reset, ['tok'])).toEqual({ ...reset, vars: { '': { tok: '***' } } });
    const created: NewEvent = { type: 'run_created', id: 'r', workflow: 'w', inputs: { v: 'x tok' } };
    expect(maskEvent(created, ['tok'])).toEqual({ ...created, inputs: { v: 'x ***' } });
  });

  it('masks evaluated items and signal data and reasons; leaves a switch value to the evaluation', () => {
    const items: NewEvent = { type: 'task_evaluated', key: 'each', id: 'each', kind: 'for_each', field: 'items', value: ['s3cret', 4242] };
    expect(maskEvent(items, ['s3cret', '4242'])).toMatchObject({ value: ['***', '***'] });
    const selected: NewEvent = { type: 'task_evaluated', key: 'pick', id: 'pick', kind: 'switch', field: 'selected', value: 'staging' };
    expect(maskEvent(selected, ['a'])).toBe(selected);
    const signal: NewEvent = { type: 'signal_received', keys: ['w'], name: 'go', data: { t: 's3cret' }, failed: true, reason: 'no s3cret' };
    expect(maskEvent(signal, ['s3cret'])).toEqual({ ...signal, data: { t: '***' }, reason: 'no ***' });
  });

  it('returns the event itself when there is nothing to mask', () => {
    const e: NewEvent = { type: 'task_ended', key: 'k', status: 'completed', output: { a: 'b' }, error: null };
    expect(maskEvent(e, [])).toBe(e);
    expect(maskEvent(e, ['zzz'])).toBe(e);
  });
});

describe('maskWarning', () => {
  it('masks every text of a warning before any reporter sees it, as the sentence it replaces was', () => {
    const w = maskWarning({ code: 'escaped_processes', task: 'hunter2-job', processes: [{ pid: 7, command: 'curl -u hunter2 x' }] }, ['hunter2']);
    expect(w).toEqual({ code: 'escaped_processes', task: '***-job', processes: [{ pid: 7, command: 'curl -u *** x' }] });
    expect(maskWarning({ code: 'output_null', frame: '', message: 'outputs.t: hunter2 is not a task' }, ['hunter2'])).toEqual({
      code: 'output_null', frame: '', message: 'outputs.t: *** is not a task',
    });
  });
});
