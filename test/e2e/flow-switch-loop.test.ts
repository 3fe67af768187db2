// `switch`, `loop` and `wait: <duration>` end to end: string comparison, {selected}, skipped cases, do-while, max_iterations.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { baton, readState, runYaml, taskStatuses, tempDir, writeFiles } from '../helpers/cli.js';

const runFlow = runYaml;

const statuses = taskStatuses;

const SWITCH = `
name: sw
inputs:
  env: { type: string, default: dev }
tasks:
  - id: pick
    switch: \${{ inputs.env }}
    cases:
      prod:
        - id: deploy_prod
          run: echo prod
        - id: prod_check
          parallel:
            - - id: prod_nested
                run: "true"
      "3":
        - id: three
          run: echo three
    default:
      - id: deploy_dev
        run: echo dev
  - id: numeric
    switch: \${{ 1 + 2 }}
    cases:
      "3": [ { id: is_three, run: "true" } ]
      "3.0": [ { id: is_three_float, run: "true" } ]
  - id: boolean
    switch: \${{ inputs.env = "prod" }}
    cases:
      "true": [ { id: yes, run: "true" } ]
      "false": [ { id: no, run: "true" } ]
  - id: after
    run: echo "\${{ tasks.pick.output.selected }} \${{ tasks.deploy_prod.status }} \${{ tasks.deploy_dev.status }}"
    output: text
`;

describe('switch', () => {
  it('takes the case equal to the value as a string and skips the tasks of the others', async () => {
    const r = await runFlow(SWITCH, ['-i', 'env=prod']);
    expect(r.code).toBe(0);
    expect(r.summary.tasks.pick.output).toEqual({ selected: 'prod' });
    expect(r.summary.tasks.numeric.output).toEqual({ selected: '3' });
    expect(r.summary.tasks.boolean.output).toEqual({ selected: 'true' });
    expect(statuses(r.summary)).toMatchObject({
      deploy_prod: 'completed', prod_check: 'completed', prod_nested: 'completed', three: 'skipped', deploy_dev: 'skipped',
      is_three: 'completed', is_three_float: 'skipped', yes: 'completed', no: 'skipped',
    });
    expect(r.summary.tasks.after.output).toBe('prod completed skipped');
  });

  it('falls back to default, outputs {selected: "default"}, and skips nested tasks of unchosen cases', async () => {
    const r = await runFlow(SWITCH, ['-i', 'env=staging']);
    expect(r.code).toBe(0);
    expect(r.summary.tasks.pick.output).toEqual({ selected: 'default' });
    expect(r.summary.tasks.boolean.output).toEqual({ selected: 'false' });
    expect(statuses(r.summary)).toMatchObject({ deploy_prod: 'skipped', prod_check: 'skipped', prod_nested: 'skipped', three: 'skipped', deploy_dev: 'completed', no: 'completed', yes: 'skipped' });
    expect(r.summary.tasks.after.output).toBe('default skipped completed');
  });

  it('without a default and no match, completes with nothing run', async () => {
    const r = await runFlow(`
name: nomatch
tasks:
  - id: pick
    switch: nothing-matches
    cases:
      a: [ { id: ta, run: exit 1 } ]
`);
    expect(r.code).toBe(0);
    expect(r.summary.tasks.pick).toMatchObject({ status: 'completed', output: { selected: 'default' } });
    expect(r.summary.tasks.ta.status).toBe('skipped');
  });
});

describe('loop', () => {
  it('is a do-while: `while` sees iteration and the body of the iteration that just ran; output is the last iteration’s', async () => {
    const r = await runFlow(`
name: poll
tasks:
  - id: poll
    loop:
      do:
        - id: probe
          run: |
            echo "probe \${{ iteration }}" >> log.txt
            echo "{\\"n\\": \${{ iteration }}, \\"ready\\": $([ \${{ iteration }} -ge 2 ] && echo true || echo false)}" > "$BATON_OUTPUT"
        - id: seen
          run: echo "\${{ tasks.probe.output.n }}/\${{ iteration }}"
          output: text
      while: \${{ $not(tasks.probe.output.ready) and iteration < 10 }}
  - id: once
    loop:
      do:
        - id: body
          run: echo ran >> once.txt
      while: \${{ false }}
outputs:
  poll: \${{ tasks.poll.output }}
`);
    expect(r.code).toBe(0);
    expect(fs.readFileSync(path.join(r.cwd, 'log.txt'), 'utf8')).toBe('probe 0\nprobe 1\nprobe 2\n');
    expect(r.summary.outputs.poll).toBe('2/2');
    expect(statuses(r.summary)).toMatchObject({ 'poll[0].probe': 'completed', 'poll[1].seen': 'completed', 'poll[2].seen': 'completed', 'once[0].body': 'completed' });
    expect(r.summary.tasks['poll[3].probe']).toBeUndefined();
    expect(fs.readFileSync(path.join(r.cwd, 'once.txt'), 'utf8')).toBe('ran\n');
    expect(readState(r.cwd).tasks.poll).toMatchObject({ kind: 'loop', iteration: 2 });
  });

  it('fails when `while` is still true after max_iterations', async () => {
    const r = await runFlow(`
name: forever
tasks:
  - id: spin
    loop:
      max_iterations: 3
      do:
        - id: tick
          run: echo tick >> ticks.txt
      while: \${{ true }}
`);
    expect(r.code).toBe(1);
    expect(r.summary.error).toEqual({ task: 'spin', message: 'loop: `while` is still true after max_iterations (3)' });
    expect(fs.readFileSync(path.join(r.cwd, 'ticks.txt'), 'utf8')).toBe('tick\ntick\ntick\n');
  });

  it('a failing body fails the loop at that iteration', async () => {
    const r = await runFlow(`
name: bodyfail
tasks:
  - id: spin
    loop:
      do:
        - id: step
          run: test \${{ iteration }} -lt 1
        - id: tail
          run: "true"
      while: \${{ true }}
`);
    expect(r.code).toBe(1);
    expect(statuses(r.summary)).toEqual({ spin: 'failed', 'spin[0].step': 'completed', 'spin[0].tail': 'completed', 'spin[1].step': 'failed' });
    expect(r.summary.error).toEqual({ task: 'spin[1].step', message: 'exit code 1' });
  });
});

describe('wait: <duration>', () => {
  it('sleeps, then completes with a null output', async () => {
    const r = await runFlow(`
name: nap
tasks:
  - id: nap
    wait: 300ms
  - id: after
    run: "true"
`);
    expect(r.code).toBe(0);
    expect(r.summary.tasks.nap).toMatchObject({ status: 'completed', output: null });
    const state = readState(r.cwd);
    expect(Date.parse(state.tasks.nap.ended_at) - Date.parse(state.tasks.nap.started_at)).toBeGreaterThanOrEqual(300);
    expect(Date.parse(state.tasks.after.started_at)).toBeGreaterThanOrEqual(Date.parse(state.tasks.nap.ended_at));
    expect(state.tasks.nap.deadline).toEqual(expect.any(String));
  });
});
