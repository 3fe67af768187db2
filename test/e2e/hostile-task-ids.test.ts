// Task ids that are names of Object.prototype (`constructor`, `toString`, `__proto__`) are ordinary ids.
import { describe, expect, it } from 'vitest';
import { baton, readState, tempDir, writeFiles } from '../helpers/cli.js';

const blueprint = `
name: protos
tasks:
  - { id: constructor, run: echo c }
  - { id: toString, run: echo t }
  - id: p
    parallel:
      - - { id: __proto__, run: echo p }
      - - { id: hasOwnProperty, run: echo h }
  - id: wf
    workflow: child.yaml
`;
const child = `
name: child
tasks:
  - { id: valueOf, run: echo v }
`;

describe('task ids named like Object.prototype members', () => {
  it('run, state.json, status and status --json treat them as tasks', async () => {
    const cwd = writeFiles(tempDir(), { 'wf.yaml': blueprint, 'child.yaml': child });
    const run = await baton(['run', 'wf.yaml', '--run-id', 'r1'], { cwd });
    expect(run.code, run.stderr).toBe(0);
    const state = readState(cwd, 'r1');
    const keys = ['constructor', 'toString', 'p', '__proto__', 'hasOwnProperty', 'wf', 'wf/valueOf'];
    for (const key of keys) expect(Object.hasOwn(state.tasks, key) && state.tasks[key].status, key).toBe('completed');
    expect(Object.hasOwn(state.tasks.p.output, '__proto__')).toBe(true);

    const status = await baton(['status', 'r1'], { cwd });
    expect(status.code, status.stderr).toBe(0);
    for (const key of keys) expect(status.stdout).toContain(key.replace('wf/', ''));
    const json = await baton(['status', 'r1', '--json'], { cwd });
    expect(json.code, json.stderr).toBe(0);
    expect(Object.keys(JSON.parse(json.stdout).tasks)).toEqual(keys);
  });
});
