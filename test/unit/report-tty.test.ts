// TTY reporter: a live block redrawn by a bounded timer, finished lines above it, and a table at close.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RunState } from '../../src/engine/core/state.js';
import { createReporter, type Reporter } from '../../src/report/reporter.js';
import { at, ev, makeAttempt, makeState, makeTask, RecordingStream, T0 } from './report-helpers.js';

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(T0);
});
afterEach(() => vi.useRealTimers());

function ttyReporter(stderr: RecordingStream, stdout = new RecordingStream()): Reporter {
  return createReporter({ mode: 'tty', json: false, quiet: false, verbose: true, color: false, stdout: stdout.asStream(), stderr: stderr.asStream(), runDir: '/nonexistent' });
}

function startAll(reporter: Reporter, s: RunState, keys: string[]): void {
  for (const key of keys) {
    s.tasks[key] = makeTask(key, { status: 'running', attempts: 1, started_at: at(0), history: [makeAttempt(key, 1)] });
    reporter.event(ev(0, { type: 'attempt_started', key, id: 'work', kind: 'run', attempt: 1, stdout_log: 'x', stderr_log: 'y' }), s);
  }
}

function endAll(reporter: Reporter, s: RunState, keys: string[]): void {
  for (const key of keys) {
    Object.assign(s.tasks[key]!, { status: 'completed', exit_code: 0, duration_ms: 2000, ended_at: at(2), budget_used: 1 });
    reporter.event(ev(2, { type: 'attempt_ended', key, attempt: 1, status: 'completed', exit_code: 0, signal: null, error: null, output: null, stdout: null, stderr: null, retry_at: null, counted: true }), s);
  }
}

const keys = Array.from({ length: 1000 }, (_, i) => `batch[${i}].work`);

describe('tty reporter', () => {
  it('keeps terminal writes bounded when 1,000 tasks start at once', () => {
    const stderr = new RecordingStream({ rows: 30, columns: 80 });
    const reporter = ttyReporter(stderr);
    const s = makeState();
    reporter.event(ev(0, { type: 'run_created', state: s }), s);
    startAll(reporter, s, keys);
    expect(stderr.writes).toHaveLength(0);

    vi.advanceTimersByTime(1000);
    expect(stderr.writes.length).toBeGreaterThan(0);
    expect(stderr.writes.length).toBeLessThanOrEqual(11);
    const frame = stderr.writes[stderr.writes.length - 1]!.split('\n').filter((l) => l !== '');
    expect(frame.length).toBeLessThanOrEqual(29);
    expect(frame[frame.length - 1]).toMatch(/… and 973 more$/);
    expect(frame.some((l) => /batch\[0\]\.work \(1s\)$/.test(l))).toBe(true);
    expect(stderr.text).toContain('● run r1 (wf) started');
    expect(stderr.text).not.toContain('batch[999].work');
    for (const line of frame) expect(Array.from(line.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '')).length).toBeLessThan(80);
    reporter.close(s);
  });

  it('prints finished tasks above the block, goes quiet when idle, and prints a folded table at close', () => {
    const stderr = new RecordingStream({ rows: 30, columns: 100 });
    const reporter = ttyReporter(stderr);
    const s = makeState();
    startAll(reporter, s, keys);
    vi.advanceTimersByTime(200);
    endAll(reporter, s, keys);
    reporter.output('batch[0].work', 'stdout', 'partial');
    vi.advanceTimersByTime(200);
    const writesWhenIdle = stderr.writes.length;
    vi.advanceTimersByTime(2000);
    expect(stderr.writes.length).toBe(writesWhenIdle);
    expect(stderr.text).toContain('✔ batch[999].work completed (2s)');

    Object.assign(s, { status: 'completed', ended_at: at(3) });
    vi.setSystemTime(T0 + 3000);
    reporter.close(s);
    expect(vi.getTimerCount()).toBe(0);
    const closing = stderr.writes[stderr.writes.length - 1]!;
    expect(closing).toContain('[batch[0].work] partial');
    expect(closing).toMatch(/TASK\s+STATUS\s+ATTEMPTS\s+DURATION/);
    expect(closing).toMatch(/batch\[\*\]\.work ×1000\s+1000 completed\s+1000\s+max 2s/);
    expect(closing).toContain('run r1 (wf) completed in 3s');
    reporter.event(ev(4, { type: 'run_ended', status: 'completed', error: null }), s);
    vi.advanceTimersByTime(1000);
    expect(stderr.writes[stderr.writes.length - 1]).toBe(closing);
  });

  it('erases exactly the live block it drew before drawing the next one', () => {
    const stderr = new RecordingStream({ rows: 30, columns: 80 });
    const reporter = ttyReporter(stderr);
    const s = makeState();
    startAll(reporter, s, ['a', 'b', 'c']);
    vi.advanceTimersByTime(100);
    endAll(reporter, s, ['b']);
    vi.advanceTimersByTime(100);
    const second = stderr.writes[1]!;
    expect(second.startsWith('\x1b[3A\r\x1b[J✔ b completed (2s)\n')).toBe(true);
    expect(second.split('\n').filter((l) => /^. [ac] \(\d+s\)$/.test(l))).toHaveLength(2);
    vi.advanceTimersByTime(100);
    expect(stderr.writes[2]?.startsWith('\x1b[2A\r\x1b[J')).toBe(true);
    reporter.close(s);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('lists every task in the table when there are few', () => {
    const stderr = new RecordingStream({ rows: 30, columns: 80 });
    const reporter = ttyReporter(stderr);
    const s = makeState({ status: 'completed', ended_at: at(2) });
    s.tasks.build = makeTask('build', { status: 'completed', attempts: 2, duration_ms: 1500 });
    s.tasks.deploy = makeTask('deploy', { status: 'skipped' });
    reporter.close(s);
    const lines = stderr.lines;
    expect(lines).toContain('build   completed         2  1.5s');
    expect(lines).toContain('deploy  skipped           -  -');
  });
});

describe('tty reporter when quiet', () => {
  it('shows no live block', () => {
    const stderr = new RecordingStream({ rows: 30, columns: 80 });
    const reporter = createReporter({ mode: 'tty', json: false, quiet: true, verbose: false, color: false, stdout: new RecordingStream().asStream(), stderr: stderr.asStream(), runDir: '/nonexistent' });
    const s = makeState();
    startAll(reporter, s, ['a']);
    vi.advanceTimersByTime(2000); // many redraw periods
    reporter.close(Object.assign(s, { status: 'failed', error: { task: 'a', message: 'exit code 1' } }));
    expect(stderr.text).toBe('error: run r1 failed: a: exit code 1\n');
  });
});

describe('tty reporter with real timers', () => {
  beforeEach(() => vi.useRealTimers());

  it('never keeps the process alive with its redraw timer', async () => {
    const timers = (): number => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const stderr = new RecordingStream({ rows: 30, columns: 80 });
    const reporter = ttyReporter(stderr);
    const s = makeState();
    // Measured around the synchronous call that creates the timer, so no other timer can come or go meanwhile.
    const before = timers();
    startAll(reporter, s, ['a']);
    expect(timers()).toBe(before);
    // Polled rather than slept for: the first redraw comes when the loaded machine gets to it.
    await vi.waitFor(() => expect(stderr.text).toMatch(/^. a \(/m), { timeout: 10_000, interval: 20 });
    reporter.close(s);
  });
});
