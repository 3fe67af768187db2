// Control flow nested end to end: deep nesting, run-wide concurrency, handlers, `if`, timeouts and scoping.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { baton, isAlive, readState, runJson, taskStatuses, tempDir, waitFor, writeFiles } from '../helpers/cli.js';

const runFiles = (files: Record<string, string>, args: string[] = []) => runJson(writeFiles(tempDir('baton-flow-'), files), 'wf.yaml', args);

const statuses = taskStatuses;

describe('nesting', () => {
  it('runs a loop inside a for_each inside a parallel branch, with keys, bindings and outputs per level', async () => {
    const r = await runFiles({
      'wf.yaml': `
name: deep
concurrency: 4
tasks:
  - id: par
    parallel:
      - - id: fan
          for_each: \${{ ["a", "b"] }}
          do:
            - id: retry_loop
              loop:
                do:
                  - id: step
                    run: echo "\${{ item }}\${{ index }}\${{ iteration }}"
                    output: text
                while: \${{ iteration < 1 }}
            - id: tail
              run: echo "\${{ tasks.retry_loop.output }}/\${{ index }}"
              output: text
      - - id: side
          run: echo side
          output: text
outputs:
  par: \${{ tasks.par.output }}
`,
    });
    expect(r.code).toBe(0);
    expect(r.summary.outputs.par).toEqual({ fan: ['a01/0', 'b11/1'], side: 'side' });
    expect(statuses(r.summary)).toMatchObject({
      'fan[0].retry_loop[0].step': 'completed', 'fan[0].retry_loop[1].step': 'completed', 'fan[1].retry_loop[1].step': 'completed', 'fan[1].tail': 'completed',
    });
    expect(r.summary.tasks['fan[1].retry_loop[0].step'].output).toBe('b10');
    expect(r.summary.tasks['fan[1].retry_loop'].output).toBe('b11');
  });

  it('the run-wide concurrency caps command tasks across nesting levels and sub-runs without deadlock', async () => {
    const leaf = 'run: echo "start $BATON_TASK_ID" >> "$BATON_INVOCATION_DIR/log.txt"; sleep 0.05; echo "end $BATON_TASK_ID" >> "$BATON_INVOCATION_DIR/log.txt"';
    const r = await runFiles({
      'wf.yaml': `
name: capped
concurrency: 1
tasks:
  - id: outer
    for_each: \${{ [1, 2, 3] }}
    do:
      - id: inner
        for_each: \${{ [1, 2] }}
        do:
          - id: leaf
            ${leaf}
      - id: sub
        workflow: child.yaml
  - id: par
    parallel:
      - - id: left
          ${leaf}
      - - id: right
          ${leaf}
`,
      'child.yaml': `
name: child
tasks:
  - id: fan
    for_each: \${{ [1, 2] }}
    do:
      - id: cleaf
        ${leaf}
`,
    });
    expect(r.code).toBe(0);
    const lines = fs.readFileSync(path.join(r.cwd, 'log.txt'), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(2 * (3 * 2 + 3 * 2 + 2));
    // One at a time: every start is followed by its own end.
    for (let i = 0; i < lines.length; i += 2) {
      expect(lines[i]).toMatch(/^start /);
      expect(lines[i + 1]).toBe(lines[i]!.replace('start', 'end'));
    }
    expect(lines).toContain('start outer[2].sub/fan[1].cleaf');
    expect(lines).toContain('start outer[0].inner[1].leaf');
  });

  it('on_failure and finally run after a control-flow failure, and see the error', async () => {
    const r = await runFiles({
      'wf.yaml': `
name: handled
concurrency: 4
tasks:
  - id: fan
    for_each: \${{ [0, 1] }}
    do:
      - id: check
        switch: \${{ item }}
        cases:
          "1":
            - id: boom
              run: echo "bad item" >&2; exit 7
        default:
          - id: fine
            run: "true"
  - id: never
    run: "true"
on_failure:
  - id: report
    run: |
      echo "\${{ run.status }}: \${{ run.error.task }}: \${{ run.error.message }}"
    output: text
finally:
  - id: tidy
    run: echo tidy
    output: text
`,
    });
    expect(r.code).toBe(1);
    expect(r.summary.status).toBe('failed');
    expect(r.summary.tasks['fan[1].boom'].status).toBe('failed');
    expect(r.summary.tasks.never).toBeUndefined();
    expect(r.summary.tasks.report.output).toBe('failed: fan[1].boom: exit code 7');
    expect(r.summary.tasks.tidy.output).toBe('tidy');
  });

  it('a false `if` on a control-flow task skips it and everything inside; `if` runs per instance in a body', async () => {
    const r = await runFiles({
      'wf.yaml': `
name: guarded
tasks:
  - id: par
    if: \${{ false }}
    parallel:
      - - id: a
          run: exit 1
      - - id: pick
          switch: x
          cases:
            x: [ { id: b, run: exit 1 } ]
  - id: fan
    if: "false"
    for_each: \${{ [1] }}
    do:
      - id: c
        run: exit 1
  - id: sub
    if: \${{ false }}
    workflow: child.yaml
  - id: odd
    for_each: \${{ [1, 2, 3] }}
    do:
      - id: only_odd
        if: \${{ item % 2 = 1 }}
        run: echo "\${{ item }}"
        output: text
`,
      'child.yaml': 'name: child\ntasks:\n  - id: c1\n    run: exit 1\n',
    });
    expect(r.code).toBe(0);
    expect(statuses(r.summary)).toMatchObject({ par: 'skipped', a: 'skipped', pick: 'skipped', b: 'skipped', fan: 'skipped', sub: 'skipped', 'odd[1].only_odd': 'skipped' });
    expect(r.summary.tasks['fan[0].c']).toBeUndefined();
    expect(r.summary.tasks['sub/c1']).toBeUndefined();
    expect(r.summary.tasks.odd.output).toEqual(['1', null, '3']);
  });

  it('a control-flow `timeout` cancels its descendants (processes gone) and ends timed_out', async () => {
    const r = await runFiles({
      'wf.yaml': `
name: slowpoke
concurrency: 4
tasks:
  - id: par
    timeout: 700ms
    parallel:
      - - id: hang
          run: sleep 60 & echo $! > hang.pid; wait
      - - id: fan
          for_each: \${{ [1] }}
          do:
            - id: deep
              loop:
                do:
                  - id: spin
                    run: sleep 60
                while: \${{ true }}
      - - id: nap
          wait: 60s
`,
    });
    expect(r.code).toBe(1);
    expect(statuses(r.summary)).toEqual({
      par: 'timed_out', hang: 'canceled', fan: 'canceled', 'fan[0].deep': 'canceled', 'fan[0].deep[0].spin': 'canceled', nap: 'canceled',
    });
    expect(r.summary.error).toEqual({ task: 'par', message: 'timed out after 700ms' });
    const pid = Number(fs.readFileSync(path.join(r.cwd, 'hang.pid'), 'utf8'));
    await waitFor(() => !isAlive(pid), 10_000, `sleep ${pid} to be gone`);
  });

  it('inside a body `tasks.<id>` is the current instance; after it, the control-flow output; a sub-run sees only its own tasks', async () => {
    const r = await runFiles({
      'wf.yaml': `
name: scoped
tasks:
  - id: step
    run: echo outer
    output: text
  - id: fan
    for_each: \${{ ["x", "y"] }}
    do:
      - id: mine
        run: echo "\${{ item }}"
        output: text
      - id: read
        run: echo "\${{ tasks.mine.output }}-\${{ tasks.step.output }}"
        output: text
  - id: sub
    workflow: child.yaml
  - id: after
    run: echo "\${{ $join(tasks.fan.output, ',') }} \${{ tasks.sub.output.seen }}"
    output: text
`,
      'child.yaml': `
name: child
tasks:
  - id: step
    run: echo inner
    output: text
outputs:
  seen: \${{ tasks.step.output }}
`,
    });
    expect(r.code).toBe(0);
    expect(r.summary.tasks['fan[0].read'].output).toBe('x-outer');
    expect(r.summary.tasks['fan[1].read'].output).toBe('y-outer');
    expect(r.summary.tasks.after.output).toBe('x-outer,y-outer inner');
    expect(readState(r.cwd).tasks['sub/step'].output).toBe('inner');
  });
});
