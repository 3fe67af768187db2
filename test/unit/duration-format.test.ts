// One duration format: a limit in an error, a took/elapsed time and a live tick all print 90 s the same way.
import { describe, expect, it } from 'vitest';
import { formatDuration, formatElapsed } from '../../src/blueprint/duration.js';
import { decide } from '../../src/engine/core/decider.js';
import { formatDuration as reportFormat } from '../../src/report/format.js';
import { blueprint, run, running, state, task } from '../helpers/model.js';

const T0 = Date.parse('2026-01-01T00:00:00.000Z');

describe('one duration format', () => {
  it('prints 90 s as 1m 30s as elapsed time, live tick and report alike', () => {
    expect(formatDuration(90_000)).toBe('1m 30s');
    expect(formatElapsed(90_400)).toBe('1m 30s');
    expect(reportFormat(90_000)).toBe('1m 30s');
    expect([formatDuration(500), formatDuration(1500), formatDuration(2000), formatDuration(3_720_000)]).toEqual(['500ms', '1.5s', '2s', '1h 02m']);
    expect([formatElapsed(400), formatElapsed(42_900)]).toEqual(['0s', '42s']);
  });

  it('names a 90 s run timeout and task timeout the same way (the decider had its own "90s")', () => {
    const bp = blueprint([run('a')], { timeoutMs: 90_000 });
    const runLimit = decide(bp, state({ a: running() }), { now: T0 + 1000, activeMs: 90_000 }, { keepGoing: false });
    expect(runLimit.decisions).toContainEqual(expect.objectContaining({ type: 'outcome', error: { task: null, message: 'run timed out after 1m 30s' } }));
    const p = task('parallel', 'p', { branches: [[run('a')]], failFast: true, timeoutMs: 90_000 });
    const taskLimit = decide(blueprint([p]), state({ p: running({ kind: 'parallel' }), a: running() }), { now: T0 + 90_000, activeMs: 1000 }, { keepGoing: false });
    expect(taskLimit.decisions).toContainEqual(expect.objectContaining({ type: 'ending', key: 'p', error: 'timed out after 1m 30s' }));
  });
});
