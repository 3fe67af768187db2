// --json prints exactly one summary document on stdout; --verbose prefixes task output lines per task and stream.
import { describe, expect, it } from 'vitest';
import { createReporter, type ReporterOptions } from '../../src/report/reporter.js';
import { summarize } from '../../src/report/summary.js';
import { at, ev, makeAttempt, makeState, makeTask, RecordingStream, T0 } from './report-helpers.js';

function setup(options: Partial<ReporterOptions> = {}) {
  const stdout = new RecordingStream();
  const stderr = new RecordingStream();
  const reporter = createReporter({
    mode: 'plain',
    json: false,
    quiet: false,
    verbose: false,
    color: false,
    stdout: stdout.asStream(),
    stderr: stderr.asStream(),
    runDir: '/nonexistent',
    now: () => T0 + 5000,
    ...options,
  });
  return { reporter, stdout, stderr };
}

function finishedState() {
  const s = makeState({ status: 'completed', ended_at: at(5), outputs: { n: 1 } });
  s.tasks.a = makeTask('a', { status: 'completed', attempts: 1, exit_code: 0, duration_ms: 10, output: 'hi', history: [makeAttempt('a', 1)] });
  return s;
}

describe('json mode', () => {
  it('prints exactly one JSON document on stdout, at close, and human lines on stderr', () => {
    const { reporter, stdout, stderr } = setup({ json: true });
    const s = finishedState();
    reporter.event(ev(0, { type: 'run_created', state: s }), s);
    reporter.message('warning', 'a secret was masked');
    reporter.event(ev(1, { type: 'attempt_ended', key: 'a', attempt: 1, status: 'completed', exit_code: 0, signal: null, error: null, output: 'hi', stdout: null, stderr: null, retry_at: null, counted: true }), s);
    expect(stdout.writes).toEqual([]);
    reporter.close(s);
    reporter.close(s);
    reporter.event(ev(6, { type: 'run_ended', status: 'completed', error: null }), s);
    expect(stdout.writes).toHaveLength(1);
    expect(JSON.parse(stdout.text)).toEqual(summarize(s));
    expect(stdout.text.endsWith('}\n')).toBe(true);
    expect(stderr.text).toContain('warning: a secret was masked');
    expect(stderr.text).toContain('run r1 (wf) completed in 5s');
  });

  it('with quiet leaves stderr empty for a completed run and still prints the document', () => {
    const { reporter, stdout, stderr } = setup({ json: true, quiet: true });
    const s = finishedState();
    reporter.event(ev(0, { type: 'run_created', state: s }), s);
    reporter.close(s);
    expect(stderr.text).toBe('');
    expect(JSON.parse(stdout.text).status).toBe('completed');
  });

  it('writes nothing to stdout without --json', () => {
    const { reporter, stdout } = setup();
    reporter.close(finishedState());
    expect(stdout.text).toBe('');
  });
});

describe('verbose output', () => {
  it('prefixes whole lines with [key], keeping partial lines per task and stream until they end', () => {
    const { reporter, stderr } = setup({ verbose: true });
    reporter.output('build', 'stdout', 'hel');
    reporter.output('test', 'stdout', 'other ');
    reporter.output('build', 'stderr', 'warn');
    expect(stderr.text).toBe('');
    reporter.output('build', 'stdout', 'lo\nwor');
    reporter.output('build', 'stdout', 'ld\r\n');
    reporter.output('test', 'stdout', 'task\n');
    expect(stderr.lines).toEqual(['[build] hello', '[build] world', '[test] other task']);
    reporter.close(finishedState());
    expect(stderr.lines[3]).toBe('[build] warn');
  });

  it('prints no task output when not verbose', () => {
    const { reporter, stderr } = setup();
    reporter.output('build', 'stdout', 'hello\n');
    reporter.close(makeState());
    expect(stderr.text).not.toContain('hello');
  });
});
