// Validation of `needs:` and `matrix:` as tables: each misuse is a positioned error; good ones give the model.
import { describe, expect, it } from 'vitest';
import { loadText, summary } from './blueprint-helpers.js';

const withTasks = (tasks: string) => `name: t\ntasks:\n${tasks}`;

describe('needs validation', () => {
  it.each<[string, string, string[]]>([
    ['reading a task of the graph that is not needed', '  - id: a\n    run: x\n  - id: b\n    needs: c\n    run: echo "${{ tasks.a.output }}"\n  - id: c\n    run: x\n',
      ['error reference-out-of-scope flow.yaml:7:26 `a` may not have run yet at this point: `b` does not need `a` (add it to `needs`)']],
    ['needs in finally', 'finally:\n  - id: f\n    run: x\n    needs: g\n  - id: g\n    run: x\n',
      ['error needs-in-finally flow.yaml:6:12 `needs` does not apply in `finally`: every `finally` task runs, in order']],
    ['needs that is not an id', '  - id: a\n    run: x\n    needs: [1x]\n',
      ['error invalid-value flow.yaml:5:13 invalid task id `1x` in `needs`']],
    ['needs outside a task that has it', '  - id: a\n    run: echo "${{ needs.b.status }}"\n',
      ['error name-out-of-scope flow.yaml:4:20 `needs` is only defined in a task that has `needs:` (it reads the tasks named there)']],
    ['an include key a typo away from an axis', '  - id: m\n    matrix:\n      os: [l]\n      include: [{oss: m}]\n    do:\n      - id: t\n        run: x\n',
      ['error matrix-unknown-axis flow.yaml:6:18 matrix `include` names `oss`, which is not an axis; did you mean `os`?']],
  ])('%s', (_name, tasks, expected) => {
    const text = tasks.startsWith('finally') ? `name: t\ntasks: []\n${tasks}` : withTasks(tasks);
    const result = loadText(text);
    expect(summary(result)).toEqual(expected);
    expect(result.blueprint).toBeNull();
  });

  it('reads a task needed through another, and builds needs and matrix into the model', () => {
    const result = loadText(withTasks('  - id: a\n    run: x\n  - id: b\n    needs: a\n    run: x\n  - id: c\n    needs: [b]\n    run: echo "${{ tasks.a.output }}"\n  - id: m\n    needs: c\n    matrix: { os: [l, m], include: [{ os: m, arm: true }] }\n    do:\n      - id: t\n        run: echo "${{ matrix.os }}"\n'));
    expect(summary(result)).toEqual([]);
    expect(result.blueprint?.tasks.map((t) => t.needs)).toEqual([undefined, ['a'], ['b'], ['c']]);
    expect(result.blueprint?.tasks[3]).toMatchObject({ kind: 'for_each', matrix: true, items: [{ os: 'l' }, { os: 'm', arm: true }] });
  });
});
