// Sub-workflows: loaded relative to the parent, validated with it, no recursion, inputs checked against the child.
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadFiles, summary } from './blueprint-helpers.js';

const CHILD = 'name: child\ninputs:\n  n: { type: integer, required: true }\n  tag: { default: x }\ntasks:\n  - id: c\n    run: echo\noutputs:\n  v: 1\n';
const parent = (task: string) => `name: parent\ntasks:\n  - id: sub\n${task}`;

describe('sub-workflows', () => {
  it('loads the child relative to the parent file and attaches its model', () => {
    const result = loadFiles({ 'flows/main.yaml': parent('    workflow: ../lib/child.yaml\n    inputs: { n: 3 }\n    retry: 2\n'), 'lib/child.yaml': CHILD });
    expect(result.diagnostics).toEqual([]);
    const task = result.blueprint?.tasks[0];
    expect(task).toMatchObject({ kind: 'workflow', path: '../lib/child.yaml', inputs: { n: 3 }, retry: { count: 2 } });
    expect(task?.kind === 'workflow' && task.child.name).toBe('child');
    expect(task?.kind === 'workflow' && task.child.file).toBe(path.join(result.dir, 'lib/child.yaml'));
    expect(result.sources.has(path.join(result.dir, 'lib/child.yaml'))).toBe(true);
  });

  it('reports a missing child at the `workflow:` value', () => {
    const result = loadFiles({ 'main.yaml': parent('    workflow: nope.yaml\n') });
    expect(summary(result)).toEqual([expect.stringMatching(/^error workflow-file-not-found main\.yaml:4:15 sub-workflow `nope\.yaml`: no such file: `.*nope\.yaml`$/)]);
  });

  it('includes the child’s own diagnostics, located in the child file', () => {
    const result = loadFiles({ 'main.yaml': parent('    workflow: child.yaml\n'), 'child.yaml': 'name: child\ntasks:\n  - id: c\n    run: x\n    timeout: soon\n' });
    expect(summary(result)).toEqual(['error invalid-value child.yaml:5:14 invalid duration `soon`: use 500ms, 30s, 5m, 2h or seconds']);
    expect(result.blueprint).toBeNull();
  });

  it('reports recursion A → B → A and A → A at the `workflow:` value naming the cycle', () => {
    const ab = loadFiles({ 'a.yaml': 'name: a\ntasks:\n  - id: x\n    workflow: b.yaml\n', 'b.yaml': 'name: b\ntasks:\n  - id: y\n    workflow: ./a.yaml\n' });
    expect(summary(ab)).toEqual([expect.stringMatching(/^error recursive-workflow b\.yaml:4:15 recursive sub-workflow: .*a\.yaml → .*b\.yaml → .*a\.yaml$/)]);
    const self = loadFiles({ 'a.yaml': 'name: a\ntasks:\n  - id: x\n    workflow: a.yaml\n' });
    expect(summary(self)).toEqual([expect.stringMatching(/^error recursive-workflow a\.yaml:4:15 recursive sub-workflow: .*a\.yaml → .*a\.yaml$/)]);
  });

  it('loads a child used twice once, and reports its problems once', () => {
    const result = loadFiles({
      'main.yaml': 'name: m\ntasks:\n  - id: one\n    workflow: c.yaml\n  - id: two\n    workflow: c.yaml\n',
      'c.yaml': 'name: c\nversion: 0\ntasks:\n  - id: x\n    run: x\n',
    });
    expect(summary(result)).toEqual(['error invalid-value c.yaml:2:10 `version` must be an integer ≥ 1, not 0']);
  });

  it('does not let the parent read the child’s tasks', () => {
    const result = loadFiles({ 'main.yaml': parent('    workflow: child.yaml\n    inputs: { n: 1 }\n  - id: after\n    run: echo "${{ tasks.c.output }}"\n'), 'child.yaml': CHILD });
    expect(result.diagnostics.map((d) => d.message)).toEqual(['no task has the id `c`']);
  });

  it.each([
    ['an unknown input', '{ n: 1, nn: 2 }', ['error unknown-input main.yaml:5:21 sub-workflow `child.yaml` has no input `nn`; did you mean `n`?']],
    ['a missing required input', '{ tag: y }', ['error missing-input main.yaml:5:5 sub-workflow `child.yaml` requires the input `n`: add it under `inputs:`']],
    ['a literal of the wrong type', '{ n: "3" }', ['error invalid-input main.yaml:5:18 input `n` of sub-workflow `child.yaml` must be an integer, not the string `"3"`']],
  ])('reports %s', (_, inputs, expected) => {
    const result = loadFiles({ 'main.yaml': parent(`    workflow: child.yaml\n    inputs: ${inputs}\n`), 'child.yaml': CHILD });
    expect(summary(result)).toEqual(expected);
  });

  it('does not type-check templated input values', () => {
    const result = loadFiles({ 'main.yaml': parent('    workflow: child.yaml\n    inputs: { n: "${{ 1 + 1 }}" }\n'), 'child.yaml': CHILD });
    expect(result.diagnostics).toEqual([]);
  });

  it('reports a missing required input when `inputs` is absent, at the `workflow:` value', () => {
    const result = loadFiles({ 'main.yaml': parent('    workflow: child.yaml\n'), 'child.yaml': CHILD });
    expect(summary(result)).toEqual(['error missing-input main.yaml:4:15 sub-workflow `child.yaml` requires the input `n`: add it under `inputs:`']);
  });
});
