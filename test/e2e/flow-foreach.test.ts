// `for_each` end to end: instance keys, item/index, output order, concurrency, empty and non-array items, fail_fast.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { baton, isAlive, readState, runYaml, taskStatuses, tempDir, waitFor, writeFiles } from '../helpers/cli.js';

const runFlow = runYaml;

const statuses = taskStatuses;

/**
 * Items 1 and 2 wait (4 s at most) until both have started, so an overlap the cap allows happens however slowly the
 * machine forks, instead of depending on two sleeps overlapping.
 */
const PAIR = `if [ \${{ item }} -le 2 ]; then for i in $(seq 80); do [ "$(grep -c '^start [12]$' log.txt)" -ge 2 ] && break; sleep 0.05; done; fi`;

/** Most `start`s without their `end` at any point of a log of `start X` / `end X` lines. */
function mostAtOnce(log: string): number {
  let now = 0;
  let most = 0;
  for (const line of log.trim().split('\n')) {
    now += line.startsWith('start ') ? 1 : -1;
    most = Math.max(most, now);
  }
  return most;
}

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

  it('concurrency caps the items in progress', async () => {
    const r = await runFlow(`
name: cap
concurrency: 8
tasks:
  - id: fe
    for_each: \${{ [1, 2, 3, 4, 5, 6] }}
    concurrency: 2
    do:
      - id: work
        run: echo "start \${{ item }}" >> log.txt; ${PAIR}; echo "end \${{ item }}" >> log.txt
      - id: more
        run: echo "start \${{ item }}b" >> log.txt; echo "end \${{ item }}b" >> log.txt
`);
    expect(r.code).toBe(0);
    const log = fs.readFileSync(path.join(r.cwd, 'log.txt'), 'utf8');
    expect(log.match(/^start/gm)).toHaveLength(12);
    expect(mostAtOnce(log)).toBe(2);
  });

  it('concurrency may come from an input, on the for_each and on the run; the run keeps the numbers', async () => {
    const blueprint = `
name: sized
inputs:
  jobs: { type: integer, default: 8 }
  run_jobs: { type: string, default: "8" }
concurrency: \${{ run_jobs }}
tasks:
  - id: fe
    for_each: [1, 2, 3, 4]
    concurrency: \${{ inputs.jobs }}
    do:
      - id: work
        run: echo "start \${{ item }}" >> log.txt; ${PAIR}; echo "end \${{ item }}" >> log.txt
`.replace('${{ run_jobs }}', '${{ inputs.run_jobs }}');
    const capped = await runFlow(blueprint, ['-i', 'jobs=2']);
    expect(capped.code, capped.stderr).toBe(0);
    expect(mostAtOnce(fs.readFileSync(path.join(capped.cwd, 'log.txt'), 'utf8'))).toBe(2);
    expect(readState(capped.cwd)).toMatchObject({ options: { concurrency: 8 }, tasks: { fe: { limit: 2 } } });
    // A digit string (an env var, a string input) counts; the run's cap holds across the for_each's.
    const one = await runFlow(blueprint, ['-i', 'run_jobs=1']);
    expect(one.code, one.stderr).toBe(0);
    expect(mostAtOnce(fs.readFileSync(path.join(one.cwd, 'log.txt'), 'utf8'))).toBe(1);
    expect(readState(one.cwd).options.concurrency).toBe(1);
  });

  it('a for_each concurrency expression that is not a positive integer fails the task', async () => {
    const r = await runFlow(`
name: badcap
tasks:
  - id: fe
    for_each: [1]
    concurrency: \${{ 1 - 1 }}
    do:
      - id: never
        run: "true"
`);
    expect(r.code).toBe(1);
    expect(r.summary.tasks.fe).toMatchObject({ status: 'failed', error: 'concurrency: expected an integer ≥ 1, got 0' });
    expect(r.summary.tasks['fe[0].never']).toBeUndefined();
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

  it.each([
    ['fail_fast: false', ['fail_fast: false'], []],
    ['--keep-going', [], ['--keep-going']],
  ])('%s runs every item, then fails', async (_name, extra, args) => {
    const r = await runFlow(`
name: nff
concurrency: 8
tasks:
  - id: fe
    for_each: \${{ [0, 1, 2, 3] }}
    concurrency: 2
    ${extra.join('\n    ')}
    do:
      - id: step
        run: test \${{ index }} != 1
      - id: tail
        run: echo "\${{ index }}"
        output: text
`, args);
    expect(r.code).toBe(1);
    expect(statuses(r.summary)).toMatchObject({
      fe: 'failed', 'fe[0].tail': 'completed', 'fe[1].step': 'failed', 'fe[2].tail': 'completed', 'fe[3].tail': 'completed',
    });
    expect(r.summary.tasks['fe[1].tail']).toBeUndefined();
    expect(r.summary.error).toEqual({ task: 'fe[1].step', message: 'exit code 1' });
  });
});
