// Next-step hints: words quoted so they paste into any shell, logs only where there are some, signals by name.
import { describe, expect, it } from 'vitest';
import { logsStep, shellWord, signalSteps } from '../../src/report/next-steps.js';
import { makeAttempt, makeState, makeTask } from './report-helpers.js';

describe('next steps', () => {
  it('quotes a word only when a shell would change it', () => {
    expect(shellWord('build')).toBe('build');
    expect(shellWord('sub/step-1.x')).toBe('sub/step-1.x');
    expect(shellWord('process[2].upload')).toBe("'process[2].upload'");
    expect(shellWord("it's")).toBe("'it'\\''s'");
  });

  it('points at the logs of the root cause, never of a task that writes none', () => {
    const inner = makeTask('loop[1].probe', { status: 'failed', history: [makeAttempt('loop[1].probe', 1)] });
    const outer = makeTask('loop', { kind: 'loop', status: 'failed', cause: inner.key });
    expect(logsStep(makeState({ status: 'failed', error: { task: 'loop', message: 'x' }, tasks: { loop: outer, [inner.key]: inner } }), 'failed')).toBe("baton logs r1 'loop[1].probe'");
    const gate = makeTask('approve', { kind: 'wait', status: 'failed' });
    expect(logsStep(makeState({ status: 'failed', error: { task: 'approve', message: 'no' }, tasks: { approve: gate } }), 'failed')).toBeNull();
  });

  it('answers each waiting signal by its name, or by key without the blueprint; duration waits need no answer', () => {
    const tasks = {
      'a[0].gate': makeTask('a[0].gate', { kind: 'wait', status: 'waiting' }),
      'a[1].gate': makeTask('a[1].gate', { kind: 'wait', status: 'waiting' }),
      pause: makeTask('pause', { kind: 'wait', status: 'waiting', deadline: '2030-01-01T00:00:00Z' }),
    };
    const state = makeState({ status: 'waiting', tasks });
    expect(signalSteps(state, 'waiting', () => ({ signal: 'go' }))).toEqual(['baton signal r1 go']);
    expect(signalSteps(state, 'waiting')).toEqual(["baton signal r1 'a[0].gate'", "baton signal r1 'a[1].gate'"]);
    expect(signalSteps(state, 'completed')).toEqual([]);
  });
});
