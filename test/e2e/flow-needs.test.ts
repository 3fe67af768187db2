// `needs:` graphs and `matrix:` end to end: overlap proven with gate files, rerun --from, logs by matrix key, validation.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { baton, readState, runYaml, taskStatuses, tempDir, writeFiles } from '../helpers/cli.js';
import { lines, startUntil } from '../helpers/journal.js';

// Each waits for the other's mark, so the run only completes when b and c run at the same time.
const DIAMOND = `
name: diamond
concurrency: 4
tasks:
  - id: d
    needs: [b, c]
    run: echo d >> ran.log; echo "got=\${{ needs.b.output.side }}+\${{ tasks.c.output.side }}" >> "$BATON_OUTPUT"
  - id: a
    run: echo a >> ran.log
  - id: b
    needs: a
    run: echo b >> ran.log; touch b.mark; for i in $(seq 200); do test -e c.mark && break; sleep 0.05; done; test -e c.mark; echo side=b >> "$BATON_OUTPUT"
  - id: c
    needs: [a]
    run: echo c >> ran.log; touch c.mark; for i in $(seq 200); do test -e b.mark && break; sleep 0.05; done; test -e b.mark; echo side=c >> "$BATON_OUTPUT"
outputs:
  d: \${{ tasks.d.output.got }}
`;

describe('needs', () => {
  it('runs a diamond as a graph: b and c at once, d after both; rerun --from b re-runs b and d only', async () => {
    const r = await runYaml(DIAMOND, ['--run-id', 'g1']);
    expect(r.code).toBe(0);
    expect(r.summary.outputs).toEqual({ d: 'b+c' });
    const log = () => fs.readFileSync(path.join(r.cwd, 'ran.log'), 'utf8').trim().split('\n');
    expect(log()[0]).toBe('a');
    expect(log()[3]).toBe('d');

    const status = await baton(['status', 'g1'], { cwd: r.cwd });
    expect(status.stdout.match(/^. [abcd] /gm)?.map((l) => l[2])).toEqual(['a', 'b', 'c', 'd']);

    fs.rmSync(path.join(r.cwd, 'ran.log'));
    const again = await baton(['rerun', 'g1', '--from', 'b', '--json'], { cwd: r.cwd });
    expect(again.code).toBe(0);
    // c is not re-run, so b finds c's mark from the first run and does not wait.
    expect(log().sort()).toEqual(['b', 'd']);
    const state = readState(r.cwd, 'g1');
    expect([state.tasks.a.attempts, state.tasks.b.attempts, state.tasks.c.attempts, state.tasks.d.attempts]).toEqual([1, 2, 1, 2]);
  });

  it('resumes a graph after kill -9: what completed stays, the task in flight runs again, then what needs it', async () => {
    const cwd = writeFiles(tempDir(), {
      'wf.yaml': `
name: g
tasks:
  - { id: a, run: echo a >> ledger }
  - { id: fast, needs: a, run: echo fast >> ledger }
  - id: slow
    needs: a
    run: |
      echo "slow $BATON_ATTEMPT" >> ledger
      test -e go || { touch started; sleep 30; }
  - { id: last, needs: [fast, slow], run: echo last >> ledger }
`,
    });
    // `fast` printing is not `fast` completing: kill only once its end is in the journal, or resume rightly runs it again.
    const fastEnded = (): boolean =>
      lines(path.join(cwd, '.baton/runs/r1/events.jsonl')).some((l) => {
        if (!l.endsWith('}')) return false; // a line still being written
        const e = JSON.parse(l) as { type: string; key?: string; status?: string };
        return e.type === 'attempt_ended' && e.key === 'fast' && e.status === 'completed';
      });
    const driver = await startUntil(cwd, ['run', 'wf.yaml', '--run-id', 'r1'], () => fs.existsSync(path.join(cwd, 'started')) && fastEnded());
    driver.child.kill('SIGKILL');
    await driver.done;
    fs.writeFileSync(path.join(cwd, 'go'), '');
    const resumed = await baton(['resume', 'r1'], { cwd });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(lines(path.join(cwd, 'ledger'))).toEqual(['a', ...lines(path.join(cwd, 'ledger')).slice(1, 3), 'slow 2', 'last']);
    expect(lines(path.join(cwd, 'ledger')).slice(1, 3).sort()).toEqual(['fast', 'slow 1']);
    expect(taskStatuses(readState(cwd, 'r1'))).toEqual({ a: 'completed', fast: 'completed', slow: 'completed', last: 'completed' });
  });

  it('--keep-going: what needs a failed task is skipped with the reason, the rest goes on', async () => {
    const r = await runYaml(`
name: kg
tasks:
  - id: a
    run: exit 3
  - id: b
    needs: a
    run: "true"
  - id: x
    run: "true"
  - id: report
    needs: a
    if: \${{ needs.a.status = 'failed' }}
    run: "true"
`, ['--keep-going']);
    expect(r.code).toBe(1);
    expect(taskStatuses(r.summary)).toEqual({ a: 'failed', b: 'skipped', x: 'completed', report: 'completed' });
    expect(r.summary.tasks.b.error).toBe('needs `a`, which failed');
  });

  it('validate: unknown, outside the list, self and cyclic needs, with positions and did-you-mean; exit 2', async () => {
    const cwd = writeFiles(tempDir(), {
      'bad.yaml': `name: bad
tasks:
  - id: build
    run: "true"
    needs: [tset]
  - id: test
    run: "true"
    needs: [lint, test]
  - id: lint
    run: "true"
    needs: test
  - id: p
    parallel:
      - - id: inner
          run: "true"
          needs: build
`,
    });
    const r = await baton(['validate', 'bad.yaml'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('bad.yaml:5:13: error: `needs`: no task has the id `tset`; did you mean `test`?');
    expect(r.stderr).toContain('bad.yaml:8:19: error: task `test` needs itself');
    expect(r.stderr).toMatch(/bad\.yaml:\d+:\d+: error: `needs` form a cycle: `test` → `lint` → `test`/);
    expect(r.stderr).toContain('bad.yaml:16:18: error: `needs`: `build` is not in the same list as `inner`');
    expect(fs.existsSync(path.join(cwd, '.baton'))).toBe(false);
  });
});

describe('matrix', () => {
  it('runs each combination with readable keys that logs, status and rerun --from accept', async () => {
    const r = await runYaml(`
name: mx
tasks:
  - id: test
    matrix:
      os: [linux, mac]
      node: [18, 20]
      exclude: [{os: mac, node: 18}]
      include: [{os: mac, arm: true}]
    concurrency: 2
    do:
      - id: t
        run: echo "on \${{ matrix.os }} node \${{ matrix.node }} arm=\${{ matrix.arm }}"; echo "v=\${{ matrix.os }}-\${{ matrix.node }}" >> "$BATON_OUTPUT"
outputs:
  all: \${{ tasks.test.output.v }}
`, ['--run-id', 'm1']);
    expect(r.code).toBe(0);
    expect(r.summary.outputs.all).toEqual(['linux-18', 'linux-20', 'mac-20']);
    expect(Object.keys(r.summary.tasks)).toEqual(expect.arrayContaining(['test[os=linux,node=18].t', 'test[os=linux,node=20].t', 'test[os=mac,node=20,arm=true].t']));

    const logs = await baton(['logs', 'm1', 'test[os=mac,node=20,arm=true].t'], { cwd: r.cwd });
    expect(logs.stdout).toContain('on mac node 20 arm=true');
    const status = await baton(['status', 'm1'], { cwd: r.cwd });
    expect(status.stdout).toContain('test[os=linux,node=20].t');

    const again = await baton(['rerun', 'm1', '--from', 'test[os=linux,node=20].t', '--json'], { cwd: r.cwd });
    expect(again.code).toBe(0);
    const tasks = readState(r.cwd, 'm1').tasks;
    expect([tasks['test[os=linux,node=18].t'].attempts, tasks['test[os=linux,node=20].t'].attempts]).toEqual([1, 2]);
  });

  it('validate: empty axes, values that are not scalars, exclude naming no axis; exit 2', async () => {
    const cwd = writeFiles(tempDir(), {
      'bad.yaml': `name: bad
tasks:
  - id: m
    matrix:
      os: []
      node: [18, {v: 20}]
      exclude: [{nod: 18}]
    do:
      - id: t
        run: echo "\${{ matrix.node }}"
  - id: after
    run: echo "\${{ matrix.os }}"
`,
    });
    const r = await baton(['validate', 'bad.yaml'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('bad.yaml:5:11: error: matrix axis `os` has no values');
    expect(r.stderr).toContain('bad.yaml:6:18: error: matrix axis `node`: each value must be a string, number or boolean');
    expect(r.stderr).toContain('bad.yaml:7:18: error: matrix `exclude` names `nod`, which is not an axis; did you mean `node`?');
    expect(r.stderr).toContain('bad.yaml:12:20: error: `matrix` is only defined inside the body of a `matrix:` task');
  });
});
