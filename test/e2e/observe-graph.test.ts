// `baton graph` end to end: a blueprint file or a run, mermaid or dot, and the errors a user can make.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { baton, ROOT, tempDir, writeFiles } from '../helpers/cli.js';

describe('baton graph', () => {
  it('draws a blueprint file as mermaid by default and as dot on request', async () => {
    const cwd = tempDir();
    const file = path.join(ROOT, 'workflows', 'hello.yaml');
    const mermaid = await baton(['graph', file], { cwd });
    expect(mermaid.code).toBe(0);
    expect(mermaid.stdout).toContain('flowchart TD');
    for (const id of ['list', 'greet', 'remember', 'report']) expect(mermaid.stdout).toContain(`["${id}`.replace('["remember', '[/"remember'));
    expect(mermaid.stdout).not.toContain('classDef');
    const dot = await baton(['graph', file, '--format', 'dot'], { cwd });
    expect(dot.code).toBe(0);
    expect(dot.stdout).toMatch(/^digraph "hello" \{/);
    expect(dot.stdout).toMatch(/n1 -> n2;/);
  });

  it('shows a task name with ${{ }} as written for a blueprint, evaluated with the inputs for a run', async () => {
    const cwd = writeFiles(tempDir(), {
      'wf.yaml': 'name: named\ninputs:\n  target: { default: prod }\ntasks:\n  - id: a\n    name: "deploy to ${{ inputs.target }}"\n    run: "true"\n  - id: f\n    for_each: [1]\n    do:\n      - id: b\n        name: "item ${{ item }}"\n        run: "true"\n',
    });
    const drawn = await baton(['graph', 'wf.yaml'], { cwd });
    expect(drawn.stdout).toContain('n1["a<br/>deploy to ${{ inputs.target }}"]');
    expect((await baton(['run', 'wf.yaml', '-i', 'target=staging'], { cwd })).code).toBe(0);
    const run = await baton(['graph', 'last'], { cwd });
    expect(run.stdout).toContain('n1["a<br/>deploy to staging"]');
    // One node stands for every item: a name that reads the item stays as written.
    expect(run.stdout).toContain('n3["b<br/>item ${{ item }}"]');
  });

  it('colours a run by status, found by id, part of an id or last', async () => {
    const cwd = writeFiles(tempDir(), {
      'wf.yaml': 'name: coloured\ntasks:\n  - id: good\n    run: "true"\n  - id: broken\n    run: exit 2\n  - id: unreached\n    run: "true"\n',
    });
    expect((await baton(['run', 'wf.yaml', '--run-id', 'paint-me'], { cwd })).code).toBe(1);
    const mermaid = await baton(['graph', 'paint'], { cwd });
    expect(mermaid.code).toBe(0);
    expect(mermaid.stdout).toMatch(/class n1 completed/);
    expect(mermaid.stdout).toMatch(/class n2 failed/);
    expect(mermaid.stdout).not.toMatch(/class n3 /);
    const dot = await baton(['graph', 'last', '--format', 'dot'], { cwd });
    expect(dot.stdout).toMatch(/n2 \[label="broken", shape=box, style="filled", fillcolor="#ffcdd2"/);
  });

  it('treats a missing file as a run reference and reports bad input with exit 2', async () => {
    const cwd = writeFiles(tempDir(), { 'bad.yaml': 'name: bad\ntasks:\n  - id: a\n    rn: echo\n' });
    const missing = await baton(['graph', 'nothing.yaml'], { cwd });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no run');
    const invalid = await baton(['graph', 'bad.yaml'], { cwd });
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toContain('bad.yaml:4:5: error:');
    expect(invalid.stdout).toBe('');
    expect((await baton(['graph', 'bad.yaml', '--format', 'svg'], { cwd })).code).toBe(2);
  });
});
