// `switch` and `loop` decided by the real driver: string comparison, {selected}, skipped cases, do-while, max_iterations.
import { describe, expect, it } from 'vitest';
import { runBlueprint, statuses } from './harness.js';

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
outputs:
  seen: \${{ tasks.pick.output.selected & " " & tasks.deploy_prod.status & " " & tasks.deploy_dev.status }}
`;

describe('switch', () => {
  it('takes the case equal to the value as a string and skips the tasks of the others', async () => {
    const run = await runBlueprint(SWITCH, { inputs: { env: 'prod' } });
    expect(run.status).toBe('completed');
    expect(run.state.tasks.pick?.output).toEqual({ selected: 'prod' });
    expect(run.state.tasks.numeric?.output).toEqual({ selected: '3' });
    expect(run.state.tasks.boolean?.output).toEqual({ selected: 'true' });
    expect(statuses(run)).toMatchObject({
      deploy_prod: 'completed', prod_check: 'completed', prod_nested: 'completed', three: 'skipped', deploy_dev: 'skipped',
      is_three: 'completed', is_three_float: 'skipped', yes: 'completed', no: 'skipped',
    });
    expect(run.state.outputs).toEqual({ seen: 'prod completed skipped' });
  });

  it('falls back to default, outputs {selected: "default"}, and skips nested tasks of unchosen cases', async () => {
    const run = await runBlueprint(SWITCH, { inputs: { env: 'staging' } });
    expect(run.state.tasks.pick?.output).toEqual({ selected: 'default' });
    expect(run.state.tasks.boolean?.output).toEqual({ selected: 'false' });
    expect(statuses(run)).toMatchObject({ deploy_prod: 'skipped', prod_check: 'skipped', prod_nested: 'skipped', three: 'skipped', deploy_dev: 'completed', no: 'completed', yes: 'skipped' });
    expect(run.state.outputs).toEqual({ seen: 'default skipped completed' });
  });

  it('without a default and no match, completes with nothing run', async () => {
    const run = await runBlueprint('name: nomatch\ntasks:\n  - id: pick\n    switch: nothing-matches\n    cases:\n      a: [ { id: ta, run: exit 1 } ]\n');
    expect(run.status).toBe('completed');
    expect(run.state.tasks.pick).toMatchObject({ status: 'completed', output: { selected: 'default' } });
    expect(run.state.tasks.ta?.status).toBe('skipped');
    expect(run.calls).toEqual([]);
  });
});

describe('loop', () => {
  it('is a do-while: `while` sees iteration and the body of the iteration that just ran; output is the last iteration’s', async () => {
    const run = await runBlueprint(`
name: poll
tasks:
  - id: poll
    loop:
      do:
        - id: probe
          run: probe
          output: json
        - id: seen
          run: echo "\${{ tasks.probe.output.n }}/\${{ iteration }}"
          output: text
      while: \${{ $not(tasks.probe.output.ready) and iteration < 10 }}
  - id: once
    loop:
      do:
        - id: body
          run: "true"
      while: \${{ false }}
outputs:
  poll: \${{ tasks.poll.output }}
`, {
      mocks: {
        'poll[0].probe': { stdout: '{"n": 0, "ready": false}' },
        'poll[1].probe': { stdout: '{"n": 1, "ready": false}' },
        'poll[2].probe': { stdout: '{"n": 2, "ready": true}' },
        'poll[2].seen': { stdout: '2/2' },
      },
    });
    expect(run.status).toBe('completed');
    expect(run.order).toEqual(['poll[0].probe', 'poll[0].seen', 'poll[1].probe', 'poll[1].seen', 'poll[2].probe', 'poll[2].seen', 'once[0].body']);
    expect(run.calls.find((c) => c.key === 'poll[1].seen')!.request.env).toMatchObject({ BATON_EXPR_0: '1', BATON_EXPR_1: '1' });
    expect(run.state.outputs).toEqual({ poll: '2/2' });
    expect(run.state.tasks.poll).toMatchObject({ kind: 'loop', iteration: 2 });
  });

  it('fails when `while` is still true after max_iterations', async () => {
    const run = await runBlueprint('name: forever\ntasks:\n  - id: spin\n    loop:\n      max_iterations: 3\n      do:\n        - { id: tick, run: "true" }\n      while: ${{ true }}\n');
    expect(run.status).toBe('failed');
    expect(run.state.error).toEqual({ task: 'spin', message: 'loop: `while` is still true after max_iterations (3)' });
    expect(run.calls).toHaveLength(3);
  });

  it('a failing body fails the loop at that iteration', async () => {
    const run = await runBlueprint('name: bodyfail\ntasks:\n  - id: spin\n    loop:\n      do:\n        - { id: step, run: "true" }\n        - { id: tail, run: "true" }\n      while: ${{ true }}\n', { mocks: { 'spin[1].step': { exit: 1 } } });
    expect(statuses(run)).toEqual({ spin: 'failed', 'spin[0].step': 'completed', 'spin[0].tail': 'completed', 'spin[1].step': 'failed' });
    expect(run.state.error).toEqual({ task: 'spin[1].step', message: 'exit code 1' });
  });
});
