// Plain (CI) reporter: one timed line per task event, a failed task's log tail, and the closing summary.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Blueprint } from '../../src/blueprint/model.js';
import { NO_RETRY } from '../../src/blueprint/model.js';
import type { RunState } from '../../src/engine/core/state.js';
import { createReporter, taskInfoFromBlueprint, type Reporter, type TaskInfoLookup } from '../../src/report/reporter.js';
import { at, ev, makeAttempt, makeState, makeTask, RecordingStream, T0 } from './report-helpers.js';

beforeAll(() => {
  process.env.TZ = 'UTC'; // Clock times in lines are local; pin the zone so the expected text is fixed.
});

let runDir: string;
let stdout: RecordingStream;
let stderr: RecordingStream;
beforeEach(() => {
  runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-report-'));
  fs.mkdirSync(path.join(runDir, 'logs'));
  stdout = new RecordingStream();
  stderr = new RecordingStream();
});
afterEach(() => fs.rmSync(runDir, { recursive: true, force: true }));

const info: TaskInfoLookup = (key) =>
  ({ build: { maxAttempts: 1 }, test: { maxAttempts: 2 }, approve: { signal: 'approve' } })[key];

function plainReporter(extra: { taskInfo?: TaskInfoLookup; quiet?: boolean; color?: boolean } = {}): Reporter {
  return createReporter({
    mode: 'plain',
    json: false,
    quiet: extra.quiet ?? false,
    verbose: false,
    color: extra.color ?? false,
    stdout: stdout.asStream(),
    stderr: stderr.asStream(),
    runDir,
    now: () => T0 + 10_000,
    taskInfo: extra.taskInfo,
  });
}

/** Plays a run: build completes, test fails twice (one retry), deploy is skipped, approve waits for a signal. */
function playFailingRun(reporter: Reporter): RunState {
  const s = makeState();
  reporter.event(ev(0, { type: 'run_created', state: s }), s);
  reporter.event(ev(0, { type: 'driver_started', pid: 1, host: 'h' }), s);

  s.tasks.build = makeTask('build', { status: 'running', attempts: 1, started_at: at(1), history: [makeAttempt('build', 1, { started_at: at(1) })] });
  reporter.event(ev(1, { type: 'attempt_started', key: 'build', id: 'build', kind: 'run', attempt: 1, stdout_log: 'x', stderr_log: 'y' }), s);
  reporter.event(ev(1, { type: 'attempt_spawned', key: 'build', attempt: 1, pid: 42 }), s);
  Object.assign(s.tasks.build, { status: 'completed', exit_code: 0, budget_used: 1, ended_at: at(2.2), duration_ms: 1200 });
  reporter.event(ev(2.2, { type: 'attempt_ended', key: 'build', attempt: 1, status: 'completed', exit_code: 0, signal: null, error: null, output: null, stdout: null, stderr: null, retry_at: null, counted: true }), s);

  s.tasks.test = makeTask('test', { status: 'running', attempts: 1, started_at: at(3), history: [makeAttempt('test', 1, { started_at: at(3) })] });
  reporter.event(ev(3, { type: 'attempt_started', key: 'test', id: 'test', kind: 'run', attempt: 1, stdout_log: 'x', stderr_log: 'y' }), s);
  Object.assign(s.tasks.test, { status: 'pending', exit_code: 1, budget_used: 1, retry_at: at(6) });
  reporter.event(ev(4, { type: 'attempt_ended', key: 'test', attempt: 1, status: 'failed', exit_code: 1, signal: null, error: 'exit code 1', output: null, stdout: null, stderr: null, retry_at: at(6), counted: true }), s);

  s.tasks.test.history.push(makeAttempt('test', 2, { started_at: at(6) }));
  Object.assign(s.tasks.test, { status: 'running', attempts: 2, retry_at: null });
  reporter.event(ev(6, { type: 'attempt_started', key: 'test', id: 'test', kind: 'run', attempt: 2, stdout_log: 'x', stderr_log: 'y' }), s);
  Object.assign(s.tasks.test, { status: 'failed', exit_code: 1, budget_used: 2, error: 'exit code 1', ended_at: at(7.5) });
  reporter.event(ev(7.5, { type: 'attempt_ended', key: 'test', attempt: 2, status: 'failed', exit_code: 1, signal: null, error: 'exit code 1', output: null, stdout: null, stderr: null, retry_at: null, counted: true }), s);

  s.tasks.deploy = makeTask('deploy', { status: 'skipped' });
  reporter.event(ev(8, { type: 'task_skipped', key: 'deploy', id: 'deploy', kind: 'run' }), s);
  s.tasks.approve = makeTask('approve', { kind: 'wait', status: 'waiting', started_at: at(8) });
  reporter.event(ev(8, { type: 'task_started', key: 'approve', id: 'approve', kind: 'wait', deadline: null }), s);

  Object.assign(s, { status: 'failed', error: { task: 'test', message: 'exit code 1' }, ended_at: at(10) });
  reporter.event(ev(10, { type: 'run_ended', status: 'failed', error: s.error }), s);
  return s;
}

function writeLog(name: string, lines: number, prefix: string): void {
  const text = Array.from({ length: lines }, (_, i) => `${prefix} ${i + 1}`).join('\n') + '\n';
  fs.writeFileSync(path.join(runDir, 'logs', name), text);
}

describe('plain reporter', () => {
  it('prints one timed line per task event, the failed log tail and the summary', () => {
    writeLog('test.2.stderr.log', 30, 'err line');
    const reporter = plainReporter({ taskInfo: info });
    const state = playFailingRun(reporter);
    reporter.close(state);
    const tail = Array.from({ length: 20 }, (_, i) => `    err line ${i + 11}`);
    expect(stderr.lines).toEqual([
      '12:00:00 ● run r1 (wf) started',
      '12:00:01 ▶ build started',
      '12:00:02 ✔ build completed (1.2s)',
      '12:00:03 ▶ test started',
      '12:00:04 ✖ test failed (exit code 1) attempt 1/2',
      '12:00:04 ↻ test retrying in 2s (attempt 2 of 2)',
      '12:00:06 ▶ test started (attempt 2 of 2)',
      '12:00:07 ✖ test failed (exit code 1) attempt 2/2',
      ...tail,
      '12:00:08 ⊘ deploy skipped',
      '12:00:08 ⏳ approve waiting for signal approve: baton signal r1 approve',
      '12:00:10 run r1 (wf) failed in 10s',
      '  1 completed, 1 failed, 1 skipped, 1 waiting',
      '  error: test: exit code 1',
      '  baton status r1',
      '  baton logs r1 test',
      '  baton retry r1',
    ]);
    expect(stdout.text).toBe('');
  });

  it('without blueprint info numbers attempts plainly and falls back to the stdout log', () => {
    writeLog('test.2.stdout.log', 3, 'out');
    fs.writeFileSync(path.join(runDir, 'logs', 'test.2.stderr.log'), '');
    const reporter = plainReporter();
    playFailingRun(reporter);
    const lines = stderr.lines;
    expect(lines).toContain('12:00:04 ✖ test failed (exit code 1) attempt 1');
    expect(lines).toContain('12:00:04 ↻ test retrying in 2s (attempt 2)');
    expect(lines).toContain('12:00:06 ▶ test started (attempt 2)');
    expect(lines).toContain('12:00:08 ⏳ approve waiting');
    const failed = lines.indexOf('12:00:07 ✖ test failed (exit code 1) attempt 2');
    expect(lines.slice(failed + 1, failed + 4)).toEqual(['    out 1', '    out 2', '    out 3']);
  });

  it('falls back to the stderr the state captured when no log file exists', () => {
    const reporter = plainReporter();
    const s = makeState();
    s.tasks.t = makeTask('t', { status: 'failed', attempts: 1, history: [makeAttempt('t', 1)], stderr: { text: 'boom\r\n\n', truncated: false } });
    reporter.event(ev(1, { type: 'attempt_ended', key: 't', attempt: 1, status: 'failed', exit_code: 2, signal: null, error: null, output: null, stdout: null, stderr: null, retry_at: null, counted: true }), s);
    expect(stderr.lines).toEqual(['12:00:01 ✖ t failed (exit code 2)', '    boom']);
  });

  it('says resumed when the driver starts on an existing run, and names timeouts and signals', () => {
    const reporter = plainReporter();
    const s = makeState();
    reporter.event(ev(0, { type: 'driver_started', pid: 1, host: 'h' }), s);
    s.tasks.slow = makeTask('slow', { status: 'canceled', history: [makeAttempt('slow', 1)] });
    reporter.event(ev(5, { type: 'attempt_ended', key: 'slow', attempt: 1, status: 'canceled', exit_code: null, signal: 'SIGTERM', error: null, output: null, stdout: null, stderr: null, retry_at: null, counted: false }), s);
    s.tasks.p = makeTask('p', { kind: 'parallel', status: 'failed', started_at: at(0) });
    reporter.event(ev(6, { type: 'task_ended', key: 'p', status: 'failed', output: null, error: 'branch failed: slow' }), s);
    reporter.event(ev(6, { type: 'phase_changed', phase: 'finally' }), s);
    expect(stderr.lines).toEqual([
      '12:00:00 ● run r1 (wf) resumed',
      '12:00:05 ✖ slow canceled (signal SIGTERM)',
      '12:00:06 ✖ p failed (branch failed: slow)',
      '12:00:06 ▶ running finally handlers',
    ]);
  });

  it.each([
    ['retry', 'retried'],
    ['rerun', 'rerun'],
  ] as const)('says %s (not resumed) when the driver starts with a reset, at the time the driver started', (reason, verb) => {
    const reporter = plainReporter();
    const s = makeState();
    reporter.event(ev(0, { type: 'driver_started', pid: 1, host: 'h' }), s);
    reporter.event(ev(1, { type: 'run_reset', reason, reset: ['b', 'c'], reopen: [], frames: [], vars: {} }), s);
    reporter.event(ev(2, { type: 'phase_changed', phase: 'finally' }), s);
    expect(stderr.lines).toEqual([`12:00:00 ● run r1 (wf) ${verb} (2 tasks reset)`, '12:00:02 ▶ running finally handlers']);
  });

  it('says resumed before a message that follows the driver’s start', () => {
    const reporter = plainReporter();
    reporter.event(ev(0, { type: 'driver_started', pid: 1, host: 'h' }), makeState());
    reporter.message('warning', 'took over the run from a driver that is gone');
    expect(stderr.lines).toEqual(['12:00:00 ● run r1 (wf) resumed', 'warning: took over the run from a driver that is gone']);
  });

  it('renders the engine’s warnings, sent as data, in the words runs have always shown', () => {
    const reporter = plainReporter();
    const processes = [{ pid: 12, command: 'sleep 9' }];
    reporter.warning({ code: 'output_masked', task: 'build' });
    reporter.warning({ code: 'escaped_processes', task: 'build', processes });
    reporter.warning({ code: 'escaped_processes', task: 'build', processes: [...processes, { pid: 13, command: 'sh' }] });
    reporter.warning({ code: 'leftover_processes', task: 'build', processes });
    reporter.warning({ code: 'orphans_ended', processes });
    reporter.warning({ code: 'output_null', frame: 'child', message: 'outputs.x: no such task y' });
    reporter.warning({ code: 'output_null', frame: '', message: 'outputs.x: no such task y' });
    expect(stderr.lines).toEqual([
      "warning: a secret's value was masked (***) in the output of build",
      'warning: killed 1 process left behind by build: pid 12 (sleep 9)',
      'warning: killed 2 processes left behind by build: pid 12 (sleep 9), pid 13 (sh)',
      'warning: task build left processes running; killing them: 12 (sleep 9)',
      'warning: ended 1 process(es) left by the interrupted driver: 12 (sleep 9)',
      'warning: sub-run child: outputs.x: no such task y (null)',
      'warning: outputs.x: no such task y (null)',
    ]);
  });

  it('quiet prints only a failed run’s error line', () => {
    const reporter = plainReporter({ quiet: true });
    const state = playFailingRun(reporter);
    reporter.message('warning', 'masked a secret');
    reporter.message('error', 'could not write state');
    reporter.close(state);
    expect(stderr.lines).toEqual(['error: could not write state', 'error: run r1 failed: test: exit code 1']);
  });

  it('quiet prints nothing for a completed run', () => {
    const reporter = plainReporter({ quiet: true });
    const state = makeState({ status: 'completed', ended_at: at(1) });
    reporter.event(ev(0, { type: 'run_created', state }), state);
    reporter.close(state);
    expect(stderr.text).toBe('');
  });

  it('colours only when asked', () => {
    const plain = plainReporter();
    playFailingRun(plain);
    expect(stderr.text).not.toContain('\x1b[');
    stderr.writes = [];
    playFailingRun(plainReporter({ color: true }));
    expect(stderr.text).toContain('\x1b[');
  });

  it('hints the logs only of a failed task that wrote some, with its key quoted for any shell', () => {
    const reporter = plainReporter();
    const upload = makeTask('process[2].upload', { status: 'failed', history: [makeAttempt('process[2].upload', 1)] });
    reporter.close(makeState({ status: 'failed', error: { task: 'process', message: 'x' }, tasks: { process: makeTask('process', { kind: 'for_each', status: 'failed', cause: upload.key }), [upload.key]: upload } }));
    expect(stderr.lines.slice(-3)).toEqual(['  baton status r1', "  baton logs r1 'process[2].upload'", '  baton retry r1']);
    stderr.lines.length = 0;
    const gate = makeTask('approve', { kind: 'wait', status: 'failed', error: 'rejected' });
    plainReporter().close(makeState({ status: 'failed', error: { task: 'approve', message: 'rejected' }, tasks: { approve: gate } }));
    expect(stderr.lines.slice(-2)).toEqual(['  baton status r1', '  baton retry r1']);
  });

  it('says how to answer a signal the interrupted run waits for', () => {
    const reporter = plainReporter({ taskInfo: info });
    reporter.close(makeState({ status: 'interrupted', tasks: { approve: makeTask('approve', { kind: 'wait', status: 'waiting' }) } }));
    expect(stderr.lines.slice(-3)).toEqual(['  baton status r1', '  baton signal r1 approve', '  baton resume r1']);
  });

  it('hints resume for an interrupted run', () => {
    const reporter = plainReporter();
    reporter.close(makeState({ status: 'interrupted' }));
    expect(stderr.lines).toEqual(['12:00:10 run r1 (wf) interrupted in 10s', '  no tasks', '  baton status r1', '  baton resume r1']);
  });
});

describe('taskInfoFromBlueprint', () => {
  const range = { file: 'f', start: 0, end: 0 };
  const base = { optional: false, range, kindRange: range };
  const cmd = (id: string, count: number) => ({ ...base, id, kind: 'run' as const, script: 'true', env: {}, output: 'text' as const, killGraceMs: 5000, retry: { ...NO_RETRY, count } });
  const child = { name: 'child', tasks: [cmd('inner', 4)], onFailure: [], finally: [] } as unknown as Blueprint;
  const blueprint = {
    name: 'wf',
    tasks: [
      { ...base, id: 'outer', kind: 'for_each', items: [], failFast: true, body: [cmd('convert', 2)] },
      { ...base, id: 'gate', kind: 'wait', signal: 'go' },
      { ...base, id: 'sub', kind: 'workflow', path: 'c.yaml', inputs: {}, retry: NO_RETRY, child },
    ],
    onFailure: [cmd('notify', 0)],
    finally: [],
  } as unknown as Blueprint;
  const lookup = taskInfoFromBlueprint(blueprint);

  it('finds tasks by instance key, in nested lists, handlers and sub-runs', () => {
    expect(lookup('outer[3].convert')).toEqual({ maxAttempts: 3 });
    expect(lookup('gate')).toEqual({ signal: 'go' });
    expect(lookup('notify')).toEqual({ maxAttempts: 1 });
    expect(lookup('sub')).toEqual({ maxAttempts: 1 });
    expect(lookup('sub/inner')).toEqual({ maxAttempts: 5 });
    expect(lookup('outer')).toEqual({});
    expect(lookup('nope')).toBeUndefined();
    expect(lookup('gate/inner')).toBeUndefined();
  });
});
