// `for_each` end to end: instance keys, item/index, output order, empty and non-array items, fail_fast killing real processes (caps and fail_fast: false: test/unit/engine/driver).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { baton, isAlive, readState, runYaml, taskStatuses, waitFor } from '../helpers/cli.js';

const runFlow = runYaml;

const statuses = taskStatuses;

describe('for_each', () => {
  it('runs the body per item as id[n].child with item and index; output is in item order', async () => {
    // Later items finish first, so completion order differs from item order.
    const r = await runFlow(`
name: fe
concurrency: 8
inputs:
  names: { type: array, default: [ann, bo, cy] }
tasks:
  - id: each
    for_each: \${{ inputs.names }}
    do:
      - id: hello
        run: |
          sleep "0.$(( 6 - 2 * \${{ index }} ))"
          echo "who=\${{ item }}" >> "$BATON_OUTPUT"
          echo "key=$BATON_TASK_ID" >> "$BATON_OUTPUT"
      - id: shout
        run: echo "\${{ $uppercase(tasks.hello.output.who) }}-\${{ index }}"
        output: text
  - id: literal
    for_each: [x, { k: 1 }, "\${{ $count(inputs.names) }}"]
    do:
      - id: show
        command: [echo, "\${{ item }}"]
        output: text
outputs:
  each: \${{ tasks.each.output }}
  literal: \${{ tasks.literal.output }}
`);
    expect(r.code).toBe(0);
    expect(r.summary.outputs).toEqual({ each: ['ANN-0', 'BO-1', 'CY-2'], literal: ['x', '{"k":1}', '3'] });
    expect(r.summary.tasks['each[2].hello'].output).toEqual({ who: 'cy', key: 'each[2].hello' });
    const keys = Object.keys(r.summary.tasks);
    expect(keys).toEqual(expect.arrayContaining(['each', 'each[0].hello', 'each[0].shout', 'each[1].hello', 'each[2].shout', 'literal[1].show']));
    expect(keys).not.toContain('hello');
    const state = readState(r.cwd);
    expect(state.tasks.each).toMatchObject({ kind: 'for_each', status: 'completed', items: ['ann', 'bo', 'cy'] });
    expect(state.tasks['each[1].shout']).toMatchObject({ id: 'shout', key: 'each[1].shout', status: 'completed', output: 'BO-1' });
    expect(fs.existsSync(path.join(r.cwd, '.baton', 'runs', state.id, state.tasks['each[1].shout'].history[0].stdout_log))).toBe(true);
    const status = await baton(['status', 'last', '--json'], { cwd: r.cwd });
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout).tasks['each[1].shout']).toMatchObject({ status: 'completed', output: 'BO-1' });
  });

  it('an empty array completes at once with []', async () => {
    const r = await runFlow(`
name: empty
tasks:
  - id: fe
    for_each: \${{ [] }}
    do:
      - id: never
        run: exit 1
  - id: after
    run: echo "\${{ $count(tasks.fe.output) }}"
    output: text
`);
    expect(r.code).toBe(0);
    expect(r.summary.tasks.fe).toMatchObject({ status: 'completed', output: [] });
    expect(r.summary.tasks.after.output).toBe('0');
    expect(Object.keys(r.summary.tasks)).toEqual(['fe', 'after']);
  });

  it.each([
    ['an object', '{"a":1}', 'an object {"a":1}'],
    ['a string', '"hello"', 'string "hello"'],
    ['null', 'null', 'null'],
  ])('items that are %s fail the task with a clear message naming it', async (_what, json, described) => {
    const r = await runFlow(`
name: notarray
tasks:
  - id: make
    run: echo '${json}'
    output: json
  - id: spread
    for_each: \${{ tasks.make.output }}
    do:
      - id: body
        run: "true"
`);
    expect(r.code).toBe(1);
    expect(r.summary.error).toEqual({ task: 'spread', message: `for_each: expected an array of items, got ${described}` });
    expect(r.summary.tasks.spread.status).toBe('failed');
    expect(r.stderr).toContain('spread');
    expect(r.stderr).toContain('expected an array of items');
  });

  it('fail_fast (default): a failed item cancels running items, starts no more, and fails the task', async () => {
    const r = await runFlow(`
name: ff
concurrency: 8
tasks:
  - id: fe
    for_each: \${{ [0, 1, 2, 3] }}
    concurrency: 2
    do:
      - id: step
        run: |
          if [ \${{ index }} = 1 ]; then until test -s slow.pid; do sleep 0.05; done; exit 3; fi
          sleep 60 & echo $! > slow.pid; wait
`);
    expect(r.code).toBe(1);
    expect(statuses(r.summary)).toEqual({ fe: 'failed', 'fe[0].step': 'canceled', 'fe[1].step': 'failed' });
    // run.error names the task that failed, not the for_each around it; the for_each's own error says which.
    expect(r.summary.error).toEqual({ task: 'fe[1].step', message: 'exit code 3' });
    expect(r.summary.tasks.fe.error).toBe('task fe[1].step failed: exit code 3');
    const pid = Number(fs.readFileSync(path.join(r.cwd, 'slow.pid'), 'utf8'));
    await waitFor(() => !isAlive(pid), 10_000, `sleep ${pid} to be gone`);
  });
});
