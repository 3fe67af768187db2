// Durable runs end to end: cancel and signals from a second process, and signals to the driver.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { baton, isAlive, readState, tempDir, writeFiles } from '../helpers/cli.js';
import { events, lines, startUntil } from '../helpers/journal.js';

describe('cancel and signals from a second process', () => {
  it('cancel kills the running tasks, runs finally, and the run ends canceled (driver exits 1)', async () => {
    const cwd = writeFiles(tempDir(), {
      'wf.yaml': `
name: cx
tasks:
  - { id: slow, run: 'echo $$ > slow.pid; sleep 30', kill_grace: 200ms }
  - { id: never, run: echo never >> ledger }
finally:
  - { id: cleanup, run: 'echo "cleanup \${{ run.status }}" >> ledger' }
`,
    });
    const driver = await startUntil(cwd, ['run', 'wf.yaml', '--run-id', 'c1'], () => fs.existsSync(path.join(cwd, 'slow.pid')));
    const pid = Number(fs.readFileSync(path.join(cwd, 'slow.pid'), 'utf8'));
    const cancel = await baton(['cancel', 'c1'], { cwd });
    expect(cancel.code, cancel.stderr).toBe(0);
    expect((await driver.done).code).toBe(1);
    expect(isAlive(pid)).toBe(false);
    expect(lines(path.join(cwd, 'ledger'))).toEqual(['cleanup canceled']);
    const state = readState(cwd, 'c1');
    expect(state).toMatchObject({ status: 'canceled', error: { message: expect.stringMatching(/canceled by baton cancel/) } });
    expect(state.tasks.slow.status).toBe('canceled');
  });

  it('cancel of an interrupted run runs its finally and ends it canceled', async () => {
    const cwd = writeFiles(tempDir(), { 'wf.yaml': 'name: ci\ntasks:\n  - { id: slow, run: "sleep 30", kill_grace: 100ms }\nfinally:\n  - { id: f, run: echo f >> ledger }\n' });
    const driver = await startUntil(cwd, ['run', 'wf.yaml', '--run-id', 'c2'], () => events(cwd, 'c2').some((e) => e.type === 'attempt_spawned'));
    driver.child.kill('SIGKILL');
    await driver.done;
    const r = await baton(['cancel', 'c2'], { cwd });
    expect(r.code, r.stderr).toBe(0);
    expect(readState(cwd, 'c2').status).toBe('canceled');
    expect(lines(path.join(cwd, 'ledger'))).toEqual(['f']);
  });

  it('signal completes a waiting task with data, --fail fails it, and nothing waiting is exit 2', async () => {
    const cwd = writeFiles(tempDir(), {
      'wf.yaml': `
name: gate
tasks:
  - id: approve
    wait: { signal: approve }
  - { id: deploy, run: 'echo "by \${{ tasks.approve.output.by }}" >> ledger' }
`,
    });
    const waitingNow = (id: string) => () => events(cwd, id).some((e) => e.type === 'run_status' && e.status === 'waiting');
    const one = await startUntil(cwd, ['run', 'wf.yaml', '--run-id', 'g1'], waitingNow('g1'));
    const nothing = await baton(['signal', 'g1', 'nope'], { cwd });
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toMatch(/nothing in run g1 is waiting for "nope"; waiting now: approve/);
    const badData = await baton(['signal', 'g1', 'approve', '--data', '{oops'], { cwd });
    expect(badData.code).toBe(2);
    expect((await baton(['signal', 'g1', 'approve', '--data', '{"by": "ana"}'], { cwd })).code).toBe(0);
    expect((await one.done).code).toBe(0);
    expect(lines(path.join(cwd, 'ledger'))).toEqual(['by ana']);

    const two = await startUntil(cwd, ['run', 'wf.yaml', '--run-id', 'g2'], waitingNow('g2'));
    expect((await baton(['signal', 'g2', 'approve', '--fail', '--reason', 'not on a Friday'], { cwd })).code).toBe(0);
    expect((await two.done).code).toBe(1);
    expect(readState(cwd, 'g2')).toMatchObject({ status: 'failed', error: { task: 'approve', message: 'not on a Friday' } });
    expect(lines(path.join(cwd, 'ledger'))).toEqual(['by ana']);
  });
});

describe('signals to the driver', () => {
  it.each([
    ['SIGINT', 130],
    ['SIGHUP', 129],
  ] as const)('%s ends the running tasks and leaves the run interrupted (exit %i)', async (signal, code) => {
    const cwd = writeFiles(tempDir(), { 'wf.yaml': 'name: s\ntasks:\n  - { id: slow, run: "echo $$ > pid; sleep 30", kill_grace: 300ms }\n' });
    const driver = await startUntil(cwd, ['run', 'wf.yaml', '--run-id', 'i1'], () => fs.existsSync(path.join(cwd, 'pid')) && fs.readFileSync(path.join(cwd, 'pid'), 'utf8').endsWith('\n'));
    driver.child.kill(signal);
    expect((await driver.done).code).toBe(code);
    expect(isAlive(Number(fs.readFileSync(path.join(cwd, 'pid'), 'utf8')))).toBe(false);
    expect(readState(cwd, 'i1').status).toBe('interrupted');
  });

  it('a second Ctrl-C kills at once, without waiting out kill_grace', async () => {
    const cwd = writeFiles(tempDir(), { 'wf.yaml': "name: s\ntasks:\n  - { id: stubborn, run: \"trap '' TERM; echo $$ > pid; sleep 30\", kill_grace: 60s }\n" });
    const driver = await startUntil(cwd, ['run', 'wf.yaml', '--run-id', 'i2'], () => fs.existsSync(path.join(cwd, 'pid')) && fs.readFileSync(path.join(cwd, 'pid'), 'utf8').endsWith('\n'));
    driver.child.kill('SIGINT');
    await new Promise((r) => setTimeout(r, 300));
    driver.child.kill('SIGINT');
    const r = await driver.done;
    expect(r.code).toBe(130);
    expect(isAlive(Number(fs.readFileSync(path.join(cwd, 'pid'), 'utf8')))).toBe(false);
  });
});
