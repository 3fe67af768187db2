// The example blueprints in workflows/ run on a bare machine and do what their comments say.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { baton, readState, ROOT, runDirOf, start, tempDir, waitFor } from '../helpers/cli.js';

const example = (name: string) => path.join(ROOT, 'workflows', name);

describe('examples', () => {
  it('hello passes data between tasks and records the run on disk', async () => {
    const cwd = tempDir();
    const r = await baton(['run', example('hello.yaml'), '--json', '-i', 'names=[Ann, Bo]'], { cwd });
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary).toMatchObject({ workflow: 'hello', status: 'completed', error: null, outputs: { count: 2, summary: '2 people, last was Bo' } });
    expect(summary.tasks.list).toMatchObject({ status: 'completed', attempts: 1, exit_code: 0, output: ['Ann', 'Bo'] });
    expect(summary.tasks.greet.output).toEqual({ greeted: '2', last: 'Bo' });

    const dir = runDirOf(cwd);
    expect(path.basename(dir)).toMatch(/^\d{8}T\d{6}Z-hello-[a-z0-9]{4}$/);
    expect(fs.readFileSync(path.join(dir, 'blueprint.yaml'), 'utf8')).toBe(fs.readFileSync(example('hello.yaml'), 'utf8'));
    const state = readState(cwd);
    expect(state).toMatchObject({ schema: 'baton/run', schema_version: 1, status: 'completed', invocation_dir: cwd });
    const greet = state.tasks.greet;
    expect(fs.readFileSync(path.join(dir, greet.history[0].stdout_log), 'utf8')).toBe('Hello, Ann!\nHello, Bo!\n');
    const events = fs.readFileSync(path.join(dir, 'events.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(events.at(-2).type).toBe('run_ended');
    expect(state.seq).toBe(events.length);
  });

  it('flaky retries with backoff and cuts a stuck step off at its timeout', async () => {
    const cwd = tempDir();
    const r = await baton(['run', example('flaky.yaml'), '--json'], { cwd });
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary.tasks.unreliable).toMatchObject({ status: 'completed', attempts: 3 });
    expect(summary.tasks.stuck).toMatchObject({ status: 'timed_out', attempts: 1 });
    expect(summary.outputs).toEqual({ attempts: 3, stuck: 'timed_out' });
    const history = readState(cwd).tasks.unreliable.history;
    expect(history.map((a: any) => a.exit_code)).toEqual([75, 75, 0]);
    // Exponential backoff: 200ms then 400ms between attempts.
    const gap = (i: number) => Date.parse(history[i + 1].started_at) - Date.parse(history[i].ended_at);
    expect(gap(0)).toBeGreaterThanOrEqual(190);
    expect(gap(1)).toBeGreaterThanOrEqual(390);
  });

  it('handlers: on_failure names the failed task and finally cleans up; exit code 1', async () => {
    const cwd = tempDir();
    const r = await baton(['run', example('handlers.yaml')], { cwd });
    expect(r.code).toBe(1);
    const state = readState(cwd);
    expect(state.status).toBe('failed');
    expect(state.error).toMatchObject({ task: 'deploy' });
    expect(state.tasks.verify).toBeUndefined();
    expect(state.tasks.notify.status).toBe('completed');
    expect(state.tasks.notify.stderr.text).toMatch(/failed at deploy: exit code 3/);
    expect(state.tasks.cleanup.status).toBe('completed');
    expect(fs.existsSync(path.join(runDirOf(cwd), 'work'))).toBe(false);
    expect(r.stderr).toContain('deploy: target unreachable');
  });

  it('handlers with fail=false completes and runs only finally', async () => {
    const cwd = tempDir();
    const r = await baton(['run', example('handlers.yaml'), '-i', 'fail=false', '--json'], { cwd });
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary.tasks.notify).toBeUndefined();
    expect(summary.tasks.cleanup.status).toBe('completed');
  });

  it('approval waits for a signal from another process, then releases', async () => {
    const cwd = tempDir();
    const driver = start(['run', example('approval.yaml'), '--run-id', 'gate', '--json'], { cwd });
    const journal = path.join(cwd, '.baton/runs/gate/events.jsonl');
    await waitFor(() => fs.existsSync(journal) && fs.readFileSync(journal, 'utf8').includes('"status":"waiting"'), 15_000, 'the run to wait');
    const status = await baton(['status', 'gate', '--json'], { cwd });
    expect(JSON.parse(status.stdout).status).toBe('waiting');
    const signal = await baton(['signal', 'last', 'approve', '--data', '{"by": "ana"}'], { cwd });
    expect(signal.code, signal.stderr).toBe(0);
    const r = await driver.done;
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).outputs).toEqual({ released: 'released 1.0.0, approved by ana' });
  });

  it('ci runs lint and a test matrix after checkout, build after both, publish last', async () => {
    const cwd = tempDir();
    const r = await baton(['run', example('ci.yaml'), '--json'], { cwd });
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary.outputs.tests).toEqual(['small/C:5', 'small/POSIX:5', 'large/C:40002']);
    expect(summary.outputs.artifact).toMatch(/app\.tar$/);
    const tasks = readState(cwd).tasks;
    const at = (key: string, end: 'started_at' | 'ended_at') => Date.parse(tasks[key][end]);
    for (const key of ['lint', 'test']) expect(at(key, 'started_at')).toBeGreaterThanOrEqual(at('checkout', 'ended_at'));
    for (const key of ['lint', 'test']) expect(at('build', 'started_at')).toBeGreaterThanOrEqual(at(key, 'ended_at'));
    expect(tasks['test[size=large,locale=C,expect=40002].unit'].status).toBe('completed');
    expect(tasks.publish.stdout.text).toMatch(/^published .*app\.tar \(commit \d+\)$/m);
  });

  it('every example validates cleanly', async () => {
    const files = fs.readdirSync(path.join(ROOT, 'workflows')).filter((f) => /\.ya?ml$/.test(f) && !/\.test\.ya?ml$/.test(f));
    expect(files.length).toBeGreaterThanOrEqual(3);
    const r = await baton(['validate', ...files.map((f) => example(f))], { cwd: tempDir() });
    expect(r.stderr).not.toMatch(/error/);
    expect(r.code).toBe(0);
  });
});
