// Durable runs end to end: retry and rerun --from on a recorded run.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { baton, tempDir, writeFiles } from '../helpers/cli.js';
import { lines } from '../helpers/journal.js';

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
      - [{ id: flaky, run: 'echo flaky >> ledger; echo "attempt $BATON_ATTEMPT"; test -f fixed', retry: 1 }]
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
    // Each attempt keeps its own log (a log file exists once its attempt printed something).
    const logs = fs.readdirSync(path.join(cwd, '.baton/runs/p1/logs')).filter((f) => f.startsWith('flaky.') && f.endsWith('.stdout'));
    expect(logs.sort()).toEqual([1, 2, 3, 4, 5].map((n) => `flaky.${n}.stdout`));
    expect(fs.readFileSync(path.join(cwd, '.baton/runs/p1/logs/flaky.5.stdout'), 'utf8')).toBe('attempt 5\n');
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
