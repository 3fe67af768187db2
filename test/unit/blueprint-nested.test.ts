// Validation inside nested control-flow kinds: every problem reported, each at the right file:line:column.
import { describe, expect, it } from 'vitest';
import { loadFiles, loadText, marked, summary } from './blueprint-helpers.js';

const DEEP = `name: t
tasks:
  - id: par
    parallel:
      - - id: a
          rn: echo hi
      - - id: fe
          for_each: \${{ [1,2] }}
          do:
            - id: lp
              loop:
                do:
                  - id: step
                    run: echo "\${{ tasks.nope.output }}"
                    timeout: soon
                while: \${{ iteration == 2 }}
            - id: sw
              switch: \${{ item }}
              cases:
                "1":
                  - id: one
                    run: echo "\${{ tasks.step.output }}"
                    retry: { count: x }
              default:
                - id: a
                  run: "true"
  - id: after
    run: echo "\${{ tasks.one.output }} \${{ tasks.lp.output }}"
  - id: w
    wait: forever
`;

describe('validation inside nested kinds', () => {
  it('reports every problem of a parallel > for_each > loop / switch tree at its own position', () => {
    const result = loadText(DEEP);
    expect(result.blueprint).toBeNull();
    expect(summary(result)).toEqual([
      'error unknown-key flow.yaml:6:11 unknown key `rn` in a task; did you mean `run`?',
      'error unknown-task flow.yaml:14:42 no task has the id `nope`',
      'error invalid-value flow.yaml:15:30 invalid duration `soon`: use 500ms, 30s, 5m, 2h or seconds',
      'error expression-syntax flow.yaml:16:38 `==` is not an expression operator: did you mean `=`?',
      'error reference-out-of-scope flow.yaml:22:42 `step` is inside the body of `lp` and visible only there: read `tasks.lp.output` instead',
      'error wrong-type flow.yaml:23:37 `retry.count` must be an integer ≥ 0, not the string `x`',
      'error duplicate-id flow.yaml:25:23 duplicate task id `a`: ids must be unique in the whole blueprint',
      'error reference-out-of-scope flow.yaml:28:26 `one` is inside the body of `fe` and visible only there: read `tasks.fe.output` instead',
      'error reference-out-of-scope flow.yaml:28:50 `lp` is inside the body of `fe` and visible only there: read `tasks.fe.output` instead',
      'error invalid-value flow.yaml:30:11 invalid duration `forever`: use 500ms, 30s, 5m, 2h or seconds',
    ]);
  });

  it('marks the offending text, not the whole task', () => {
    const result = loadText(DEEP);
    const texts = result.diagnostics.map((_, i) => marked(result, i));
    expect(texts).toEqual(['rn', 'nope', 'soon', '==', 'step', 'x', 'a', 'one', 'lp', 'forever']);
  });

  it('rejects reads across parallel branches and switch cases, and a for_each reading itself', () => {
    const result = loadText(`name: t
tasks:
  - id: par
    parallel:
      - - id: a
          run: echo "\${{ tasks.b.output }}"
      - - id: b
          run: "true"
  - id: sw
    switch: x
    cases:
      x:
        - id: in_x
          run: "true"
      y:
        - id: in_y
          run: echo "\${{ tasks.in_x.output }}"
  - id: fe
    for_each: \${{ tasks.fe.output }}
    do:
      - id: body
        run: echo "\${{ tasks.in_x.output }} \${{ tasks.a.output }}"
`);
    expect(summary(result).filter((s) => s.startsWith('error'))).toEqual([
      'error reference-out-of-scope flow.yaml:6:32 `b` is in another branch of parallel `par`, which runs at the same time',
      'error reference-out-of-scope flow.yaml:17:32 `in_x` is in another case of switch `sw`: only one case runs',
      'error reference-out-of-scope flow.yaml:19:25 `fe` has not run yet at this point: it is this task itself',
    ]);
  });

  it('checks the shape of each kind’s keys where they are written', () => {
    const result = loadText(`name: t
tasks:
  - id: fe
    for_each: \${{ [1] }}
    concurrency: 0
    fail_fast: maybe
  - id: lp
    loop:
      do:
        - id: x
          run: "true"
      whilst: true
      max_iterations: 0
  - id: sw
    switch: a
    cases: [a]
  - id: par
    parallel:
      - id: notalist
        run: "true"
  - id: both
    run: x
    parallel: []
`);
    expect(summary(result)).toEqual([
      'error missing-key flow.yaml:4:5 for_each task `fe` needs `do:` (the tasks run for each item)',
      'error invalid-value flow.yaml:5:18 `concurrency` must be an integer ≥ 1, not 0',
      'error wrong-type flow.yaml:6:16 `fail_fast` must be true or false, not the string `maybe`',
      'error missing-key flow.yaml:9:7 `loop` is missing the required key `while`',
      'error unknown-key flow.yaml:12:7 unknown key `whilst` in `loop`; did you mean `while`?',
      'error invalid-value flow.yaml:13:23 `loop.max_iterations` must be an integer ≥ 1, not 0',
      'error wrong-type flow.yaml:16:12 `cases` must be a mapping, not a list',
      'error wrong-type flow.yaml:19:9 `parallel[0]` must be a list, not a mapping',
      'error several-kinds flow.yaml:23:5 task `both` has several kinds (`run` and `parallel`): keep exactly one',
      'error empty-list flow.yaml:23:15 `parallel` must not be empty',
    ]);
  });

  it('reports a sub-workflow inside a for_each at the parent’s inputs, and the child’s own nested errors in the child file', () => {
    const result = loadFiles({
      'flow.yaml': `name: t
tasks:
  - id: fe
    for_each: [1]
    do:
      - id: sub
        workflow: child.yaml
        inputs: { n: "\${{ item }}", m: 1 }
`,
      'child.yaml': 'name: child\ninputs:\n  n: { type: integer }\ntasks:\n  - id: deep\n    parallel:\n      - - id: q\n          run: echo "${{ tasks.zz.output }}"\n',
    });
    expect(summary(result)).toEqual([
      'error unknown-input flow.yaml:8:37 sub-workflow `child.yaml` has no input `m`; did you mean `n`?',
      'error unknown-task child.yaml:8:32 no task has the id `zz`',
    ]);
  });

  it('accepts reads of finished parallel / switch tasks, body reads of the current instance, and `iteration` in `while`', () => {
    const result = loadText(`name: t
tasks:
  - id: par
    parallel:
      - - id: a
          run: "true"
  - id: sw
    switch: x
    cases:
      x: [ { id: in_x, run: "true" } ]
  - id: fe
    for_each: \${{ [1] }}
    do:
      - id: first
        run: echo "\${{ item }} \${{ index }} \${{ tasks.a.output }} \${{ tasks.in_x.output }}"
      - id: lp
        loop:
          do:
            - id: inner
              run: echo "\${{ tasks.first.output }} \${{ iteration }}"
          while: \${{ tasks.inner.exit_code != 0 and iteration < 3 }}
  - id: after
    run: echo "\${{ tasks.fe.output }} \${{ tasks.in_x.status }}"
`);
    expect(summary(result)).toEqual([]);
    expect(result.blueprint?.tasks.map((t) => t.kind)).toEqual(['parallel', 'switch', 'for_each', 'run']);
  });
});
