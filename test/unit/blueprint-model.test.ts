// Converting blueprints to the model: defaults filled in, kinds and their fields, kind rules and duplicate ids.
import { describe, expect, it } from 'vitest';
import { DEFAULT_KILL_GRACE_MS, NO_RETRY, type TaskSpec } from '../../src/blueprint/model.js';
import { loadText, marked, summary, withTasks } from './blueprint-helpers.js';

function model(text: string) {
  const result = loadText(text);
  expect(summary(result)).toEqual([]);
  if (!result.blueprint) throw new Error('no model');
  return result.blueprint;
}

function task(text: string, index = 0): TaskSpec {
  return model(text).tasks[index] as TaskSpec;
}

describe('model defaults', () => {
  it('fills blueprint and command defaults', () => {
    const bp = model('name: n\ninputs:\n  who: {}\ntasks:\n  - id: a\n    run: echo\n');
    expect(bp).toMatchObject({ name: 'n', version: 1, env: {}, secrets: [], outputs: {}, onFailure: [], finally: [] });
    expect(bp.inputs.who).toMatchObject({ name: 'who', type: 'string', required: false });
    expect(bp.concurrency).toBeUndefined();
    expect(bp.tasks[0]).toMatchObject({ kind: 'run', script: 'echo', optional: false, output: 'file', killGraceMs: DEFAULT_KILL_GRACE_MS, retry: NO_RETRY, env: {} });
    expect(bp.tasks[0]?.timeoutMs).toBeUndefined();
  });

  it('inherits `defaults` in command tasks; a task’s own key replaces the default', () => {
    const bp = model(
      'name: n\ndefaults:\n  timeout: 2m\n  retry: { count: 2, delay: 1s, backoff: exponential }\n  kill_grace: 10s\n  cwd: build\n  shell: bash -eu\n  output: json\n' +
        'tasks:\n  - id: a\n    run: echo\n  - id: b\n    command: [ls]\n    timeout: 5\n    retry: 1\n    output: text\n    cwd: other\n  - id: c\n    wait: 1s\n',
    );
    expect(bp.tasks[0]).toMatchObject({ timeoutMs: 120_000, killGraceMs: 10_000, cwd: 'build', shell: 'bash -eu', output: 'json', retry: { count: 2, delayMs: 1000, backoff: 'exponential', factor: 2, jitter: false } });
    expect(bp.tasks[1]).toMatchObject({ timeoutMs: 5000, retry: { ...NO_RETRY, count: 1 }, output: 'text', cwd: 'other' });
    expect(bp.tasks[2]?.timeoutMs).toBeUndefined(); // defaults are for command tasks only
  });

  it('converts every retry field', () => {
    const t = task(withTasks('  - id: a\n    run: x\n    retry: { count: 3, delay: 500ms, backoff: linear, factor: 1.5, max_delay: 1m, jitter: true, exit_codes: [1, 75] }\n'));
    expect(t).toMatchObject({ retry: { count: 3, delayMs: 500, backoff: 'linear', factor: 1.5, maxDelayMs: 60_000, jitter: true, exitCodes: [1, 75] } });
  });

  it('reads top-level settings', () => {
    const bp = model('name: n.x-1\nversion: 3\ndescription: d\nenv: { A: 1, B: true, C: "${{ inputs.x }}" }\nsecrets: [TOKEN]\nconcurrency: 2\ntimeout: 1h\ninputs:\n  x: { type: integer, default: 3, enum: [1, 3], required: true, description: an x }\ntasks:\n  - id: a\n    run: x\noutputs:\n  o: ${{ tasks.a.output }}\n');
    expect(bp).toMatchObject({ name: 'n.x-1', version: 3, description: 'd', env: { A: '1', B: 'true', C: '${{ inputs.x }}' }, secrets: ['TOKEN'], concurrency: 2, timeoutMs: 3_600_000 });
    expect(bp.inputs.x).toMatchObject({ type: 'integer', default: 3, enum: [1, 3], required: true, description: 'an x' });
    expect(bp.outputs).toEqual({ o: '${{ tasks.a.output }}' });
  });

  it('keeps source ranges of tasks and kind values', () => {
    const result = loadText(withTasks('  - id: a\n    command: [ls, -l]\n'));
    const t = result.blueprint?.tasks[0];
    expect(result.blueprint?.source.slice(t?.kindRange.start, t?.kindRange.end)).toBe('[ls, -l]');
    expect(result.blueprint?.source.slice(t?.range.start, t?.range.end)).toContain('id: a');
  });
});

describe('task kinds', () => {
  it('converts control-flow kinds, unwrapping one-expression fields', () => {
    const bp = model(
      withTasks(
        '  - id: p\n    fail_fast: false\n    parallel:\n      - - id: p1\n          run: a\n      - - id: p2\n          run: b\n' +
          '  - id: f\n    for_each: tasks.p.output\n    concurrency: 2\n    do:\n      - id: f1\n        command: [echo, "${{ item }}"]\n' +
          '  - id: s\n    switch: ${{ inputs.mode }}\n    cases:\n      true:\n        - id: s1\n          run: a\n      3: []\n    default:\n      - id: s2\n        run: b\n' +
          '  - id: l\n    if: ${{ true }}\n    loop:\n      while: iteration < 3\n      do:\n        - id: l1\n          run: x\n' +
          '  - id: w\n    wait: { signal: approve }\n  - id: v\n    set: { x: 1, y: "${{ vars.x }}" }\n  - id: t\n    terminate: { status: failed, reason: no, output: { a: 1 } }\n',
        'name: k\ninputs:\n  mode: {}\n',
      ),
    );
    const [p, f, s, l, w, v, t] = bp.tasks;
    expect(p).toMatchObject({ kind: 'parallel', failFast: false, branches: [[{ id: 'p1' }], [{ id: 'p2' }]] });
    expect(f).toMatchObject({ kind: 'for_each', items: '${{ tasks.p.output }}', concurrency: 2, failFast: true, body: [{ id: 'f1', argv: ['echo', '${{ item }}'] }] });
    expect(s).toMatchObject({ kind: 'switch', value: 'inputs.mode', cases: [{ value: 'true', tasks: [{ id: 's1' }] }, { value: '3', tasks: [] }], default: [{ id: 's2' }] });
    expect(l).toMatchObject({ kind: 'loop', if: 'true', while: 'iteration < 3', maxIterations: 100, body: [{ id: 'l1' }] });
    expect(w).toMatchObject({ kind: 'wait', signal: 'approve' });
    expect(v).toMatchObject({ kind: 'set', values: { x: 1, y: '${{ vars.x }}' } });
    expect(t).toMatchObject({ kind: 'terminate', status: 'failed', reason: 'no', output: { a: 1 } });
  });

  it('keeps literal for_each items and wait durations', () => {
    expect(task(withTasks('  - id: f\n    for_each: [a, 2]\n    do:\n      - id: b\n        run: x\n'))).toMatchObject({ items: ['a', 2] });
    expect(task(withTasks('  - id: w\n    wait: 1.5\n'))).toMatchObject({ durationMs: 1500 });
    expect(task(withTasks('  - id: o\n    optional: true\n    if: false\n    name: N\n    description: D\n    timeout: 1m\n    run: x\n'))).toMatchObject({ optional: true, if: false, name: 'N', description: 'D', timeoutMs: 60_000 });
  });

  it.each([
    ['no kind', '  - id: a\n    name: x\n', 'error no-kind flow.yaml:3:5 task `a` has no kind: add one of run, command, parallel, for_each, matrix, switch, loop, workflow, wait, set, terminate'],
    ['no kind with a hint', '  - id: a\n    cases: {}\n', 'error no-kind flow.yaml:3:5 task `a` has no kind: add one of run, command, parallel, for_each, matrix, switch, loop, workflow, wait, set, terminate (`cases` needs `switch`)'],
    ['a kind key one edit off: only the did-you-mean', '  - id: a\n    rn: echo hi\n', 'error unknown-key flow.yaml:4:5 unknown key `rn` in a task; did you mean `run`?'],
    ['a kind key in the wrong case', '  - id: a\n    Wait: 1s\n', 'error unknown-key flow.yaml:4:5 unknown key `Wait` in a task; did you mean `wait`?'],
    ['an unknown key far from any kind', '  - id: a\n    cmd: x\n', ['error no-kind flow.yaml:3:5 task `a` has no kind: add one of run, command, parallel, for_each, matrix, switch, loop, workflow, wait, set, terminate', 'error unknown-key flow.yaml:4:5 unknown key `cmd` in a task; did you mean `cwd`?']],
    ['several kinds', '  - id: a\n    run: x\n    wait: 1s\n', 'error several-kinds flow.yaml:5:5 task `a` has several kinds (`run` and `wait`): keep exactly one'],
    ['cases without switch', '  - id: a\n    run: x\n    cases: {}\n', 'error wrong-kind-key flow.yaml:5:5 `cases` does not apply to a `run` task: it belongs to `switch` tasks'],
    ['do without for_each', '  - id: a\n    wait: 1s\n    do: [{ id: z, run: x }]\n', 'error wrong-kind-key flow.yaml:5:5 `do` does not apply to a `wait` task: it belongs to `for_each` or `matrix` tasks'],
    ['output on parallel', '  - id: a\n    output: json\n    parallel:\n      - - id: b\n          run: x\n', 'error wrong-kind-key flow.yaml:4:5 `output` does not apply to a `parallel` task: it belongs to `run` or `command` tasks'],
    ['retry on set', '  - id: a\n    set: {x: 1}\n    retry: 2\n', 'error wrong-kind-key flow.yaml:5:5 `retry` does not apply to a `set` task: it belongs to `run`, `command` or `workflow` tasks'],
    ['for_each without do', '  - id: a\n    for_each: [1]\n', 'error missing-key flow.yaml:4:5 for_each task `a` needs `do:` (the tasks run for each item)'],
    ['switch without cases', '  - id: a\n    switch: x\n', 'error missing-key flow.yaml:4:5 switch task `a` needs `cases:` (the tasks of each value)'],
  ])('%s', (_, tasks, expected) => {
    const result = loadText(withTasks(tasks));
    expect(summary(result)).toEqual(Array.isArray(expected) ? expected : [expected]);
    expect(result.blueprint).toBeNull();
  });

  it('reports duplicate ids anywhere, handlers included, at the repeat with a note at the first', () => {
    const result = loadText(withTasks('  - id: a\n    parallel:\n      - - id: b\n          run: x\n  - id: b\n    run: y\nfinally:\n  - id: a\n    run: z\n'));
    expect(summary(result)).toEqual([
      'error duplicate-id flow.yaml:7:9 duplicate task id `b`: ids must be unique in the whole blueprint',
      'error duplicate-id flow.yaml:10:9 duplicate task id `a`: ids must be unique in the whole blueprint',
    ]);
    expect(marked(result, 0)).toBe('b');
    expect(result.diagnostics[0]?.related?.[0]?.range.start).toBe(result.sources.get(result.diagnostics[0]!.range!.file)!.indexOf('b\n'));
  });

  it.each([
    ['wrong type', '{ type: integer, default: "3" }', 'default of input `n` must be an integer, not the string `"3"`'],
    ['float for integer', '{ type: integer, default: 1.5 }', 'default of input `n` must be an integer, not the number `1.5`'],
    ['not in enum', '{ enum: [a, b], default: c }', 'default of input `n` must be one of `"a"`, `"b"`, not the string `"c"`'],
  ])('checks input defaults: %s', (_, spec, message) => {
    const result = loadText(`name: t\ninputs:\n  n: ${spec}\ntasks:\n  - id: a\n    run: x\n`);
    expect(result.diagnostics.map((d) => d.message)).toEqual([message]);
  });
});
