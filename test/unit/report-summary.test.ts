// summarize(): the SPEC §2 run summary built from hand-made states.
import { describe, expect, it } from 'vitest';
import { summarize } from '../../src/report/summary.js';
import { at, makeState, makeTask } from './report-helpers.js';

describe('summarize', () => {
  it('gives the SPEC shape for a finished run, tasks in state order', () => {
    const state = makeState({
      status: 'failed',
      error: { task: 'test', message: 'exit code 1' },
      inputs: { dir: '/img' },
      outputs: { count: 3 },
      ended_at: at(12.5),
      vars: { secret: 'not in the summary' },
      tasks: {
        zeta: makeTask('zeta', { status: 'completed', attempts: 1, exit_code: 0, duration_ms: 12, output: ['a'], started_at: at(1), ended_at: at(1.012) }),
        alpha: makeTask('alpha', { status: 'failed', attempts: 2, exit_code: 1, duration_ms: 40, error: 'exit code 1', started_at: at(2), ended_at: at(3) }),
        'resize[0].convert': makeTask('resize[0].convert', { status: 'skipped' }),
      },
    });
    const summary = summarize(state);
    expect(summary).toEqual({
      id: 'r1',
      workflow: 'wf',
      status: 'failed',
      error: { task: 'test', message: 'exit code 1' },
      inputs: { dir: '/img' },
      outputs: { count: 3 },
      started_at: at(0),
      ended_at: at(12.5),
      duration_ms: 12500,
      tasks: {
        zeta: { status: 'completed', attempts: 1, exit_code: 0, duration_ms: 12, output: ['a'], error: null, started_at: at(1), ended_at: at(1.012) },
        alpha: { status: 'failed', attempts: 2, exit_code: 1, duration_ms: 40, output: null, error: 'exit code 1', started_at: at(2), ended_at: at(3) },
        'resize[0].convert': { status: 'skipped', attempts: 0, exit_code: null, duration_ms: null, output: null, error: null, started_at: null, ended_at: null },
      },
    });
    expect(Object.keys(summary.tasks)).toEqual(['zeta', 'alpha', 'resize[0].convert']);
    expect(Object.keys(summary)).toEqual(['id', 'workflow', 'status', 'error', 'inputs', 'outputs', 'started_at', 'ended_at', 'duration_ms', 'tasks']);
    expect(JSON.stringify(summary)).not.toContain('not in the summary');
  });

  it('turns null outputs into {} and leaves duration null while the run goes on', () => {
    const summary = summarize(makeState({ outputs: null }));
    expect(summary.outputs).toEqual({});
    expect(summary.ended_at).toBeNull();
    expect(summary.duration_ms).toBeNull();
    expect(summary.error).toBeNull();
    expect(summary.tasks).toEqual({});
  });

  it('derives a task duration from its times when the state has none', () => {
    const state = makeState({ tasks: { a: makeTask('a', { status: 'completed', started_at: at(1), ended_at: at(3) }) } });
    expect(summarize(state).tasks.a?.duration_ms).toBe(2000);
  });

  it('is a copy: changing the summary error leaves the state alone', () => {
    const state = makeState({ status: 'failed', error: { task: null, message: 'boom' } });
    const summary = summarize(state);
    summary.error!.message = 'changed';
    expect(state.error?.message).toBe('boom');
  });
});

describe('outputs in the closing lines and status', () => {
  it('shows each run output, strings as they are, other values and multi-line strings as JSON, sanitised and capped', async () => {
    const { outputLines, summaryFooter } = await import('../../src/report/final-summary.js');
    const { createPalette } = await import('../../src/report/format.js');
    const palette = createPalette(false);
    const state = makeState({ status: 'completed', ended_at: at(1), outputs: { count: 3, name: 'Ada \x1b[31mL\x1b[0m', lines: 'a\nb', long: 'x'.repeat(300), none: null } });
    expect(outputLines(state, palette)).toEqual(['  outputs:', '    count: 3', '    name: Ada L', '    lines: "a\\nb"', `    long: ${'x'.repeat(200)}…`, '    none: null']);
    expect(summaryFooter(state, Date.parse(at(2)), palette)).toContain('    count: 3');
    expect(outputLines(makeState({ outputs: {} }), palette)).toEqual([]);
  });
});
