// Engine defects end to end (issues 10.15, 11.1–11.4): timeout budget on retry, a failed task's output, rerun of a
// task an edited blueprint dropped, a graceful cancel, and processes that left their attempt's process group.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { baton, isAlive, readState, start, tempDir, waitFor, writeFiles } from '../helpers/cli.js';
import { procStat } from '../helpers/proc.js';

const lines = (file: string) => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim().split('\n').filter(Boolean) : []);
const pidIn = (file: string) => Number(fs.readFileSync(file, 'utf8'));
const hasPid = (file: string) => fs.existsSync(file) && fs.readFileSync(file, 'utf8').endsWith('\n');
const noStackTrace = (stderr: string) => expect(stderr).not.toMatch(/\n\s+at .+\.js:\d+:\d+/);

describe('retry and rerun give the run a fresh timeout budget (11.1)', () => {
  const blueprint = `
name: slow
timeout: 3s
tasks:
  - id: t1
    kill_grace: 2s
    run: |
      echo "t1 $BATON_ATTEMPT" >> ledger
      if [ -e go ]; then exit 0; fi
      trap 'echo "t1 cleaned" >> ledger; exit 1' TERM
      sleep 30 &
      wait
  - { id: t2, run: echo t2 >> ledger }
`;

  it.each([['retry', ['retry', 'r1']], ['rerun', ['rerun', 'r1', '--from', 't1']]])('%s of a timed-out run runs it again to the end', async (_name, args) => {
    const cwd = writeFiles(tempDir(), { 'wf.yaml': blueprint });
    const first = await baton(['run', 'wf.yaml', '--run-id', 'r1'], { cwd });
    expect(first.code, first.stderr).toBe(1);
    expect(readState(cwd, 'r1')).toMatchObject({ status: 'timed_out', error: { message: 'run timed out after 3s' } });
    // The run timeout stops its tasks like Ctrl-C does: SIGTERM first, so the trap cleaned up.
    expect(lines(path.join(cwd, 'ledger'))).toEqual(['t1 1', 't1 cleaned']);

    fs.writeFileSync(path.join(cwd, 'go'), '');
    const again = await baton(args, { cwd });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).not.toMatch(/timed out/);
    expect(lines(path.join(cwd, 'ledger'))).toEqual(['t1 1', 't1 cleaned', 't1 2', 't2']);
    const state = readState(cwd, 'r1');
    expect(state.status).toBe('completed');
    expect(state.active_ms).toBeLessThan(3000);
  });
});

describe('a failed task keeps the output it reported (11.2)', () => {
  it('on_failure and the run outputs read it; summary and state.json agree', async () => {
    const cwd = writeFiles(tempDir(), {
      'wf.yaml': `
name: fo
tasks:
  - id: t1
    run: |
      echo "msg=disk full" >> "$BATON_OUTPUT"
      exit 3
  - { id: t2, run: "true" }
outputs:
  msg: \${{ tasks.t1.output.msg }}
  status: \${{ run.status }}
on_failure:
  - id: report
    run: echo "saw $MSG" > seen
    env: { MSG: "\${{ tasks.t1.output.msg }}" }
`,
    });
    const r = await baton(['run', 'wf.yaml', '--run-id', 'f1', '--json'], { cwd });
    expect(r.code, r.stderr).toBe(1);
    noStackTrace(r.stderr);
    expect(fs.readFileSync(path.join(cwd, 'seen'), 'utf8')).toBe('saw disk full\n');
    const summary = JSON.parse(r.stdout);
    expect(summary.tasks.t1).toMatchObject({ status: 'failed', exit_code: 3, output: { msg: 'disk full' } });
    expect(summary.outputs).toEqual({ msg: 'disk full', status: 'failed' });
    const state = readState(cwd, 'f1');
    expect(state.outputs).toEqual(summary.outputs);
    expect(state.tasks.t1.output).toEqual({ msg: 'disk full' });
  });
});

describe('rerun --from --reload of a task the edited blueprint dropped (11.3)', () => {
  it('exits 2 naming the task and the ones there are, and changes nothing', async () => {
    const cwd = writeFiles(tempDir(), { 'wf.yaml': 'name: rr\ntasks:\n  - { id: t1, run: "true" }\n  - { id: t2, run: "true" }\n' });
    expect((await baton(['run', 'wf.yaml', '--run-id', 'x1'], { cwd })).code).toBe(0);
    const runDir = path.join(cwd, '.baton/runs/x1');
    const before = fs.readFileSync(path.join(runDir, 'events.jsonl'), 'utf8');
    fs.writeFileSync(path.join(cwd, 'wf.yaml'), 'name: rr\ntasks:\n  - { id: t1, run: "true" }\n  - { id: t3, run: "true" }\n');
    const r = await baton(['rerun', 'x1', '--from', 't2', '--reload'], { cwd });
    expect(r.code).toBe(2);
    noStackTrace(r.stderr);
    expect(r.stderr).toMatch(/task "t2" is not in the blueprint file as it is now .*wf\.yaml\); tasks to rerun from: t1\b/);
    expect(fs.readFileSync(path.join(runDir, 'events.jsonl'), 'utf8')).toBe(before);
    expect(fs.readFileSync(path.join(runDir, 'blueprint.yaml'), 'utf8')).toMatch(/id: t2/);
  });
});

describe('baton cancel stops tasks gracefully (11.4)', () => {
  it('sends SIGTERM first, so a TERM trap cleans up', async () => {
    const cwd = writeFiles(tempDir(), {
      'wf.yaml': `
name: trap
tasks:
  - id: t1
    kill_grace: 3s
    run: |
      trap 'echo cleaned > f' TERM
      echo $$ > t1.pid
      sleep 30 &
      wait
`,
    });
    const driver = start(['run', 'wf.yaml', '--run-id', 'c1'], { cwd });
    await waitFor(() => hasPid(path.join(cwd, 't1.pid')), 15_000, 't1 to start');
    const cancel = await baton(['cancel', 'c1'], { cwd });
    expect(cancel.code, cancel.stderr).toBe(0);
    expect((await driver.done).code).toBe(1);
    expect(fs.readFileSync(path.join(cwd, 'f'), 'utf8')).toBe('cleaned\n');
    expect(isAlive(pidIn(path.join(cwd, 't1.pid')))).toBe(false);
    expect(readState(cwd, 'c1')).toMatchObject({ status: 'canceled', tasks: { t1: { status: 'canceled' } } });
  });
});

describe('processes that left their process group do not outlive the run (10.15)', () => {
  const escape = 'setsid sleep 300 > /dev/null 2>&1 & echo $! > escaped.pid';
  const gone = (pid: number) => {
    const stat = procStat(pid);
    return stat === null || stat[0] === 'Z' || stat[0] === 'X';
  };

  it('after the run completes, naming what was killed', async () => {
    const cwd = writeFiles(tempDir(), { 'wf.yaml': `name: esc\ntasks:\n  - { id: t1, run: '${escape}' }\n  - { id: t2, run: "true" }\n` });
    const r = await baton(['run', 'wf.yaml'], { cwd });
    expect(r.code, r.stderr).toBe(0);
    const pid = pidIn(path.join(cwd, 'escaped.pid'));
    expect(gone(pid)).toBe(true);
    expect(r.stderr).toContain(`killed 1 process left behind by t1: pid ${pid} (sleep 300)`);
  });

  it('when a timed-out attempt ends, before its retry starts', async () => {
    const cwd = writeFiles(tempDir(), {
      'wf.yaml': `
name: esc
tasks:
  - id: t1
    timeout: 1s
    kill_grace: 100ms
    retry: 1
    run: |
      if [ "$BATON_ATTEMPT" = 1 ]; then ${escape}; sleep 30; fi
      cut -d' ' -f3 /proc/$(cat escaped.pid)/stat > seen 2>/dev/null || echo gone > seen
`,
    });
    const r = await baton(['run', 'wf.yaml'], { cwd });
    expect(r.code, r.stderr).toBe(0);
    expect(fs.readFileSync(path.join(cwd, 'seen'), 'utf8').trim()).toMatch(/^(Z|X|gone)$/);
    expect(r.stderr).toMatch(/killed 1 process left behind by t1: pid \d+ \(sleep 300\)/);
  });

  it('after a cancel', async () => {
    const cwd = writeFiles(tempDir(), { 'wf.yaml': `name: esc\ntasks:\n  - { id: t1, kill_grace: 200ms, run: '${escape}; sleep 30' }\n` });
    const driver = start(['run', 'wf.yaml', '--run-id', 'e3'], { cwd });
    await waitFor(() => hasPid(path.join(cwd, 'escaped.pid')), 15_000, 't1 to start');
    expect((await baton(['cancel', 'e3'], { cwd })).code).toBe(0);
    const r = await driver.done;
    expect(r.code).toBe(1);
    expect(gone(pidIn(path.join(cwd, 'escaped.pid')))).toBe(true);
    expect(r.stderr).toMatch(/killed 1 process left behind by t1/);
  });
});
