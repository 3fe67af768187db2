// `baton test` in-process: the test-file format's positioned errors, checks against the blueprint, and case results.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTestFile } from '../../../src/blueprint/test-file.js';
import { batonInProcess } from '../../helpers/in-process.js';
import { tempDir, writeFiles } from '../../helpers/cli.js';

const BLUEPRINT = `name: b
inputs:
  n: { type: integer, default: 1 }
tasks:
  - id: build
    run: make
  - id: gate
    wait: { signal: go }
  - id: fan
    parallel:
      - - { id: left, run: l }
      - - { id: right, run: r }
  - id: note
    set: { done: "\${{ tasks.build.status }}" }
outputs:
  n: \${{ inputs.n }}
`;

function project(test: string): string {
  return writeFiles(tempDir('baton-bt-'), { 'b.yaml': BLUEPRINT, 'b.test.yaml': test });
}

const diag = (file: string) => loadTestFile(file, 'b.test.yaml').diagnostics.map((d) => `${d.range ? `${lineOf(d.range.file, d.range.start)}: ` : ''}${d.message}`);

function lineOf(file: string, offset: number): string {
  const before = fs.readFileSync(file, 'utf8').slice(0, offset).split('\n');
  return `${before.length}:${before.at(-1)!.length + 1}`;
}

describe('test file format', () => {
  it('reads mocks, attempts, signals and expectations, with durations in ms and the file mocks under each test', () => {
    const dir = project(`blueprint: b.yaml
mocks:
  build: { exit: 0, duration: 2m }
tests:
  - name: one
    mocks:
      left: { attempts: [{ exit: 1 }, { output: null, stdout: x }] }
    signals: [{ task: gate, after: 1h, data: { by: ana } }]
    expect: { status: completed, tasks: { build: completed, left: { attempts: 2 } } }
`);
    const t = loadTestFile(path.join(dir, 'b.test.yaml'), 'b.test.yaml');
    expect(t.diagnostics).toEqual([]);
    const c = t.testFile!.cases[0]!;
    expect(t.testFile!.blueprint).toBe(path.join(dir, 'b.yaml'));
    expect(c.mocks.get('build')).toMatchObject({ real: false, attempts: [{ exit: 0, durationMs: 120_000 }] });
    expect(c.mocks.get('left')!.attempts).toEqual([{ exit: 1 }, { output: null, stdout: 'x' }]);
    expect(c.signals).toMatchObject([{ task: 'gate', afterMs: 3_600_000, data: { by: 'ana' }, failed: false }]);
    expect(c.expect.tasks).toMatchObject([{ name: 'build', status: 'completed' }, { name: 'left', attempts: 2 }]);
  });

  it.each([
    ['a status that is not one', 'tests:\n  - name: x\n    expect: { status: done }\n', /^4:23: .*`completed`/],
    ['a misspelt key', 'tests:\n  - name: x\n    expct: {}\n', /^4:5: unknown key `expct`.*`expect`/],
    ['a bad duration', 'tests:\n  - name: x\n    mocks: { build: { duration: soon } }\n    expect: {}\n', /^4:33: invalid duration `soon`/],
    ['run: real with other keys', 'tests:\n  - name: x\n    mocks: { build: { run: real, exit: 1 } }\n    expect: {}\n', /^4:14: mock `build`: `run: real` .* no other key/],
    ['attempts beside one attempt\'s keys', 'tests:\n  - name: x\n    mocks: { build: { exit: 1, attempts: [{}] } }\n    expect: {}\n', /^4:14: mock `build`: give either `attempts`/],
    ['two tests of one name', 'tests:\n  - { name: x, expect: {} }\n  - { name: x, expect: {} }\n', /^4:13: two tests are named `x`/],
  ])('%s is an error at its line and column', (_what, body, message) => {
    const dir = project(`blueprint: b.yaml\n${body}`);
    const found = diag(path.join(dir, 'b.test.yaml'));
    expect(found.length).toBeGreaterThan(0);
    expect(found[0]).toMatch(message);
  });

  it('names what the blueprint lacks: unknown tasks (did you mean), mocks of tasks that are not commands, signals for tasks that do not wait, bad inputs', async () => {
    const dir = project(`blueprint: b.yaml
tests:
  - name: x
    inputs: { n: many }
    mocks: { biuld: {}, note: {} }
    signals: [{ task: build }]
    expect: { tasks: { rigth: completed } }
`);
    const r = await batonInProcess(['test'], dir);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('b.test.yaml:5:14: error: mock `biuld`: b.yaml has no task `biuld`; did you mean `build`?');
    expect(r.stderr).toContain('b.test.yaml:5:25: error: mock `note`: it is a `set` task');
    expect(r.stderr).toContain('b.test.yaml:6:15: error: signal for `build`: it is a `run` task; signals complete `wait` tasks');
    expect(r.stderr).toContain('b.test.yaml:7:24: error: expected task `rigth`');
    expect(r.stderr).toMatch(/b\.test\.yaml:3:11: error: test "x": .*n/);
  });
});

describe('running cases', () => {
  it('lists leaf tasks in the order they started, runs `run: real`, reports an unmocked task and a signal never taken, and passes what holds', async () => {
    const dir = project(`blueprint: b.yaml
mocks: { build: {}, left: { duration: 5s } }
tests:
  - name: signalled
    inputs: { n: 3 }
    mocks: { right: { duration: 1s } }
    signals: [{ task: gate, after: 10m }]
    expect:
      status: completed
      ran: [build, gate, left, right, note]
      outputs: { n: 3 }
      vars: { done: completed }
  - name: never signalled
    signals: [{ task: gate }]
    mocks: { build: { exit: 1 } }
    expect: { status: failed }
  - name: unmocked
    mocks: { left: { run: real } }
    signals: [{ task: gate }]
    expect: { tasks: { right: failed } }
`);
    fs.writeFileSync(path.join(dir, 'b.yaml'), BLUEPRINT.replace('run: l', 'run: "true"'));
    const r = await batonInProcess(['test', '--json'], dir);
    expect(r.code, r.stderr).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ passed: 1, failed: 2 });
    const [signalled, never, unmocked] = out.files[0].cases;
    expect(signalled).toMatchObject({ passed: true, virtualMs: 600_000 + 5000 });
    expect(never.failures).toEqual([expect.objectContaining({ what: 'signals', message: expect.stringContaining('was never taken') })]);
    expect(unmocked.failures).toEqual([expect.objectContaining({ what: 'mocks.right', message: expect.stringContaining('task right ran without a mock') })]);
  });
});
