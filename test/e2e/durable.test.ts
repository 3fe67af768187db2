// Durable runs end to end: resume after kill -9, retry, rerun, cancel and signals from a second process, locks, bad state.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { baton, isAlive, readState, start, tempDir, waitFor, writeFiles } from '../helpers/cli.js';

const lines = (file: string) => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim().split('\n').filter(Boolean) : []);
/** The run's journal as far as it is written (a line being written is skipped). */
function events(cwd: string, id: string): any[] {
  const file = path.join(cwd, '.baton/runs', id, 'events.jsonl');
  if (!fs.existsSync(file)) return [];
  return fs.readFileSync(file, 'utf8').split('\n').flatMap((l) => {
    try {
      return [JSON.parse(l)];
    } catch {
      return [];
    }
  });
}

/** Starts a run and returns once `ready` holds; the caller kills or signals it. */
async function startUntil(cwd: string, args: string[], ready: () => boolean) {
  const driver = start(args, { cwd });
  await waitFor(ready, 15_000, 'the run to get going');
  return driver;
}

describe('resume', () => {
  it('after kill -9 re-runs only the task in flight, after ending its leftover process', async () => {
    const cwd = writeFiles(tempDir(), {
      'wf.yaml': `
name: chain
tasks:
  - { id: a, run: echo a >> ledger }
  - id: b
    run: |
      echo "b start $BATON_ATTEMPT" >> ledger
      echo $$ > b.pid
      sleep 30
      echo "b end" >> ledger
    timeout: 5s
  - { id: c, run: echo c >> ledger }
`,
    });
    const driver = await startUntil(cwd, ['run', 'wf.yaml', '--run-id', 'r1'], () => fs.existsSync(path.join(cwd, 'b.pid')));
    const firstPid = Number(fs.readFileSync(path.join(cwd, 'b.pid'), 'utf8'));
    driver.child.kill('SIGKILL');
    await driver.done;
    expect(isAlive(firstPid)).toBe(true); // the orphan outlived its driver
    expect((await baton(['status', 'r1', '--json'], { cwd })).stdout).toMatch(/"status": "interrupted"|^$/);

    fs.writeFileSync(path.join(cwd, 'wf.yaml'), fs.readFileSync(path.join(cwd, 'wf.yaml'), 'utf8').replace('sleep 30', 'sleep 0.1'));
    const resumed = await baton(['resume', 'r1', '--reload'], { cwd });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(isAlive(firstPid)).toBe(false);
    expect(resumed.stderr).toMatch(/ended \d+ process\(es\) left by the interrupted driver/);
    expect(resumed.stderr).toMatch(/took over the run from a driver that is gone/);
    expect(lines(path.join(cwd, 'ledger'))).toEqual(['a', 'b start 1', 'b start 2', 'b end', 'c']);
    const state = readState(cwd, 'r1');
    expect(state.tasks.b).toMatchObject({ status: 'completed', attempts: 2, budget_used: 1 });
    expect(state.tasks.b.history[0]).toMatchObject({ status: 'canceled', error: expect.stringMatching(/interrupted/) });
  });

  it('never touches the processes of a run with the same id in another state dir', async () => {
    const slow = 'name: s\ntasks:\n  - { id: t, run: "echo $$ > pid; sleep 30", kill_grace: 100ms }\n';
    const mine = writeFiles(tempDir(), { 'wf.yaml': slow });
    const theirs = writeFiles(tempDir(), { 'wf.yaml': slow });
    const other = await startUntil(theirs, ['run', 'wf.yaml', '--run-id', 'same'], () => fs.existsSync(path.join(theirs, 'pid')) && fs.readFileSync(path.join(theirs, 'pid'), 'utf8').endsWith('\n'));
    const crashed = await startUntil(mine, ['run', 'wf.yaml', '--run-id', 'same'], () => fs.existsSync(path.join(mine, 'pid')) && fs.readFileSync(path.join(mine, 'pid'), 'utf8').endsWith('\n'));
    crashed.child.kill('SIGKILL');
    await crashed.done;
    const orphan = Number(fs.readFileSync(path.join(mine, 'pid'), 'utf8'));
    const theirTask = Number(fs.readFileSync(path.join(theirs, 'pid'), 'utf8'));
    const resumed = start(['resume', 'same'], { cwd: mine });
    await waitFor(() => !isAlive(orphan), 10_000, 'the orphan of the crashed run to be ended');
    expect(isAlive(theirTask)).toBe(true);
    resumed.child.kill('SIGTERM');
    other.child.kill('SIGTERM');
    expect((await other.done).code).toBe(143);
    await resumed.done;
  });

  it('refuses a finished run (exit 2, with hints) and a run another driver holds', async () => {
    const cwd = writeFiles(tempDir(), { 'wf.yaml': 'name: x\ntasks:\n  - { id: a, run: "sleep 0.1" }\n', 'slow.yaml': 'name: s\ntasks:\n  - { id: a, run: "sleep 30", kill_grace: 100ms }\n' });
    expect((await baton(['run', 'wf.yaml', '--run-id', 'done1'], { cwd })).code).toBe(0);
    const finished = await baton(['resume', 'done1'], { cwd });
    expect(finished.code).toBe(2);
    expect(finished.stderr).toMatch(/already finished \(completed\)/);
    // A completed run has nothing to retry either: the hint is rerun.
    expect(finished.stderr).toMatch(/hint: run tasks of it again with: baton rerun done1 --from <task>/);
    expect(finished.stderr).not.toMatch(/baton retry/);

    const driver = await startUntil(cwd, ['run', 'slow.yaml', '--run-id', 'live1'], () => fs.existsSync(path.join(cwd, '.baton/runs/live1/driver.lock')));
    const second = await baton(['resume', 'live1'], { cwd });
    expect(second.code).toBe(2);
    expect(second.stderr).toMatch(new RegExp(`being driven right now by pid ${driver.child.pid}`));
    driver.child.kill('SIGTERM');
    expect((await driver.done).code).toBe(143);
  });

  it('keeps a wait deadline and a signal received while no driver ran', async () => {
    const cwd = writeFiles(tempDir(), {
      'wf.yaml': `
name: waits
tasks:
  - id: gate
    wait: { signal: go }
  - id: pause
    wait: 1s
  - id: done
    run: echo "\${{ tasks.gate.output.who }}" > who
`,
    });
    const driver = await startUntil(cwd, ['run', 'wf.yaml', '--run-id', 'w1'], () => events(cwd, 'w1').some((e) => e.type === 'run_status' && e.status === 'waiting'));
    driver.child.kill('SIGINT');
    expect((await driver.done).code).toBe(130);
    const sig = await baton(['signal', 'w1', 'go', '--data', '{"who": "ana"}'], { cwd });
    expect(sig.code, sig.stderr).toBe(0);
    expect(sig.stderr).toMatch(/signal recorded for gate/);
    const resumed = await baton(['resume', 'w1', '--json'], { cwd });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(JSON.parse(resumed.stdout).tasks.gate.output).toEqual({ who: 'ana' });
    expect(fs.readFileSync(path.join(cwd, 'who'), 'utf8')).toBe('ana\n');
  });

  it('recovers a journal whose last line was cut by a crash, and says so', async () => {
    const cwd = writeFiles(tempDir(), { 'wf.yaml': 'name: cut\ntasks:\n  - { id: a, run: "true" }\n  - { id: b, run: "sleep 30", kill_grace: 100ms }\n' });
    const driver = await startUntil(cwd, ['run', 'wf.yaml', '--run-id', 'j1'], () => events(cwd, 'j1').some((e) => e.type === 'attempt_spawned' && e.key === 'b'));
    driver.child.kill('SIGKILL');
    await driver.done;
    fs.appendFileSync(path.join(cwd, '.baton/runs/j1/events.jsonl'), '{"type":"attempt_ended","key":"b","att');
    fs.writeFileSync(path.join(cwd, 'wf.yaml'), 'name: cut\ntasks:\n  - { id: a, run: "true" }\n  - { id: b, run: "true" }\n');
    const resumed = await baton(['resume', 'j1', '--reload'], { cwd });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toMatch(/dropped a partial last line \(crash while writing\); recovered up to event \d+/);
    const all = events(cwd, 'j1');
    expect(all.map((e) => e.seq)).toEqual(all.map((_, i) => i + 1));
  });
});

describe('state that is not ours', () => {
  it.each([
    ['a future schema version', (s: any) => JSON.stringify({ ...s, schema_version: 99 }), /schema.*version|newer|99/i],
    ['a foreign file', () => JSON.stringify({ hello: 'world' }), /not baton|foreign|not a baton/i],
    ['a corrupt file', () => '{"schema": "baton/run", ', /corrupt|parse|JSON/i],
  ] as const)('%s is reported (exit 2) and never overwritten', async (_name, mangle, message) => {
    const cwd = writeFiles(tempDir(), { 'wf.yaml': 'name: x\ntasks:\n  - { id: a, run: "true" }\n' });
    await baton(['run', 'wf.yaml', '--run-id', 's1'], { cwd });
    const file = path.join(cwd, '.baton/runs/s1/state.json');
    const text = mangle(JSON.parse(fs.readFileSync(file, 'utf8')));
    fs.writeFileSync(file, text);
    for (const args of [['resume', 's1'], ['retry', 's1'], ['rerun', 's1', '--from', 'a'], ['cancel', 's1']]) {
      const r = await baton(args, { cwd });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).toContain('state.json');
      expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
    }
    expect(fs.readFileSync(file, 'utf8')).toBe(text);
  });
});

describe('retry', () => {
  it('re-runs what failed in a parallel branch and keeps what completed', async () => {
    const cwd = writeFiles(tempDir(), {
      'wf.yaml': `
name: par
tasks:
  - { id: a, run: echo a >> ledger }
  - id: p
    parallel:
      - [{ id: ok, run: echo ok >> ledger }]
      - [{ id: flaky, run: 'echo flaky >> ledger; test -f fixed', retry: 1 }]
  - { id: after, run: echo after >> ledger }
`,
    });
    const first = await baton(['run', 'wf.yaml', '--run-id', 'p1'], { cwd });
    expect(first.code).toBe(1);
    // Branches run at once: compare what ran, not the order they wrote in.
    const ranFirst = lines(path.join(cwd, 'ledger'));
    expect(ranFirst[0]).toBe('a');
    expect(ranFirst.slice(1).sort()).toEqual(['flaky', 'flaky', 'ok']);
    const completed = await baton(['retry', 'p1'], { cwd });
    expect(completed.code).toBe(1); // still broken: fresh budget, two more attempts
    fs.writeFileSync(path.join(cwd, 'fixed'), '');
    const retried = await baton(['retry', 'p1', '--json'], { cwd });
    expect(retried.code, retried.stderr).toBe(0);
    const ran = lines(path.join(cwd, 'ledger'));
    expect(ran.slice(0, 4)).toEqual(ranFirst);
    expect(ran.slice(4)).toEqual(['flaky', 'flaky', 'flaky', 'after']);
    const summary = JSON.parse(retried.stdout);
    expect(summary.tasks.flaky).toMatchObject({ status: 'completed', attempts: 5 });
    expect(summary.tasks.ok.attempts).toBe(1);
    expect(fs.readdirSync(path.join(cwd, '.baton/runs/p1/logs')).filter((f) => f.startsWith('flaky.') && f.endsWith('.stdout'))).toHaveLength(5);
  });

  it('retries a failed sub-workflow inside the child, not relaunching it', async () => {
    const cwd = writeFiles(tempDir(), {
      'parent.yaml': 'name: parent\ntasks:\n  - id: sub\n    workflow: lib/child.yaml\n    inputs: { who: x }\n',
      'lib/child.yaml': `
name: child
inputs: { who: { type: string } }
tasks:
  - { id: one, run: echo one >> ledger }
  - { id: two, run: 'echo two >> ledger; test -f fixed' }
outputs:
  who: \${{ inputs.who }}
`,
    });
    expect((await baton(['run', 'parent.yaml', '--run-id', 'sw1'], { cwd })).code).toBe(1);
    fs.writeFileSync(path.join(cwd, 'fixed'), '');
    const r = await baton(['retry', 'sw1', '--json'], { cwd });
    expect(r.code, r.stderr).toBe(0);
    expect(lines(path.join(cwd, 'ledger'))).toEqual(['one', 'two', 'two']);
    expect(JSON.parse(r.stdout).tasks).toMatchObject({ sub: { status: 'completed', output: { who: 'x' } }, 'sub/one': { attempts: 1 }, 'sub/two': { attempts: 2 } });
  });

  it('is refused for completed and interrupted runs, with the right hint', async () => {
    const cwd = writeFiles(tempDir(), { 'wf.yaml': 'name: x\ntasks:\n  - { id: a, run: "true" }\n' });
    await baton(['run', 'wf.yaml', '--run-id', 'ok1'], { cwd });
    const r = await baton(['retry', 'ok1'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/nothing to retry.*\n.*baton rerun ok1 --from/);
  });
});

describe('rerun --from', () => {
  it('resets the task and what follows, keeps earlier results and sibling branches, recomputes vars', async () => {
    const cwd = writeFiles(tempDir(), {
      'wf.yaml': `
name: re
tasks:
  - { id: first, run: echo first >> ledger }
  - { id: v1, set: { n: 1 } }
  - id: p
    parallel:
      - [{ id: left, run: echo left >> ledger }]
      - - { id: right, run: echo right >> ledger }
        - { id: v2, set: { n: 2 } }
  - { id: last, run: 'echo "last \${{ vars.n }}" >> ledger' }
`,
    });
    expect((await baton(['run', 'wf.yaml', '--run-id', 'q1'], { cwd })).code).toBe(0);
    const r = await baton(['rerun', 'q1', '--from', 'right', '--json'], { cwd });
    expect(r.code, r.stderr).toBe(0);
    const ran = lines(path.join(cwd, 'ledger'));
    expect(ran[0]).toBe('first');
    expect(ran.slice(1, 3).sort()).toEqual(['left', 'right']); // branches run at once
    expect(ran.slice(3)).toEqual(['last 2', 'right', 'last 2']);
    const tasks = JSON.parse(r.stdout).tasks;
    expect(tasks.left.attempts).toBe(1);
    expect(tasks.right.attempts).toBe(2);
    expect(tasks.first.attempts).toBe(1);
  });

  it('drops later loop iterations', async () => {
    const cwd = writeFiles(tempDir(), {
      'wf.yaml': `
name: lp
tasks:
  - id: l
    loop:
      do:
        - { id: step, run: 'echo "step $BATON_TASK_ID" >> ledger' }
      while: iteration < 2
`,
    });
    expect((await baton(['run', 'wf.yaml', '--run-id', 'l1'], { cwd })).code).toBe(0);
    const r = await baton(['rerun', 'l1', '--from', 'l[1].step', '--json'], { cwd });
    expect(r.code, r.stderr).toBe(0);
    expect(lines(path.join(cwd, 'ledger'))).toEqual(['step l[0].step', 'step l[1].step', 'step l[2].step', 'step l[1].step', 'step l[2].step']);
  });

  it('a bare id with several instances is an error listing them', async () => {
    const cwd = writeFiles(tempDir(), { 'wf.yaml': 'name: fe\ntasks:\n  - id: fe\n    for_each: ${{ [1, 2] }}\n    do:\n      - { id: x, run: "true" }\n' });
    expect((await baton(['run', 'wf.yaml', '--run-id', 'fe1'], { cwd })).code).toBe(0);
    const r = await baton(['rerun', 'fe1', '--from', 'x'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/fe\[0\]\.x, fe\[1\]\.x/);
  });
});

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

describe('idempotent start and changed blueprints', () => {
  it('run --run-id with --resume-existing picks the same run up; a different blueprint is refused', async () => {
    const cwd = writeFiles(tempDir(), { 'wf.yaml': 'name: x\ntasks:\n  - { id: a, run: echo a >> ledger }\n' });
    expect((await baton(['run', 'wf.yaml', '--run-id', 'ci-1'], { cwd })).code).toBe(0);
    const again = await baton(['run', 'wf.yaml', '--run-id', 'ci-1', '--resume-existing', '--json'], { cwd });
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout).status).toBe('completed');
    expect(lines(path.join(cwd, 'ledger'))).toEqual(['a']);
    fs.writeFileSync(path.join(cwd, 'wf.yaml'), 'name: x\ntasks:\n  - { id: b, run: "true" }\n');
    const changed = await baton(['run', 'wf.yaml', '--run-id', 'ci-1', '--resume-existing'], { cwd });
    expect(changed.code).toBe(2);
    expect(changed.stderr).toMatch(/different blueprint/);
  });

  it('says when the blueprint file changed and keeps the run\'s copy unless --reload', async () => {
    const cwd = writeFiles(tempDir(), { 'wf.yaml': 'name: x\ntasks:\n  - { id: a, run: "exit 1" }\n' });
    expect((await baton(['run', 'wf.yaml', '--run-id', 'b1'], { cwd })).code).toBe(1);
    fs.writeFileSync(path.join(cwd, 'wf.yaml'), 'name: x\ntasks:\n  - { id: a, run: "exit 0" }\n');
    const kept = await baton(['retry', 'b1'], { cwd });
    expect(kept.code).toBe(1);
    expect(kept.stderr).toMatch(/has changed since the run started.*--reload/);
    const reloaded = await baton(['retry', 'b1', '--reload'], { cwd });
    expect(reloaded.code, reloaded.stderr).toBe(0);
  });
});

describe('a full disk', () => {
  it('stops the run cleanly with a clear error; what was recorded stays readable', async (ctx) => {
    const mnt = tempDir('baton-full-');
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=160k', 'tmpfs', mnt], { stdio: 'ignore' });
    } catch {
      ctx.skip('cannot mount a small tmpfs here (needs root)');
    }
    try {
      const cwd = writeFiles(tempDir(), {
        'wf.yaml': `
name: full
tasks:
  - id: fill
    for_each: \${{ [1..400] }}
    concurrency: 1
    do:
      - { id: t, command: ["true"] }
`,
      });
      const r = await baton(['run', 'wf.yaml', '--run-id', 'full1', '--state-dir', mnt], { cwd });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/disk full|no space/i);
      expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
      const journal = fs.readFileSync(path.join(mnt, 'runs/full1/events.jsonl'), 'utf8');
      const whole = journal.slice(0, journal.lastIndexOf('\n') + 1).trim().split('\n');
      expect(whole.length).toBeGreaterThan(10);
      for (const line of whole) JSON.parse(line);
    } finally {
      execFileSync('umount', [mnt], { stdio: 'ignore' });
    }
  });
});
