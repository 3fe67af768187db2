// Durable runs end to end: resume after kill -9, and state that is not ours.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { baton, isAlive, readState, start, tempDir, waitFor, writeFiles } from '../helpers/cli.js';
import { events, lines, startUntil } from '../helpers/journal.js';

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
