// `baton test` through bin/baton.js: the shipped example tests pass, a failing case shows a diff (exit 1), a bad test
// file is a positioned error (exit 2), --json is one document, --junit a valid report, and `run: real` runs a real command.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import { baton, ROOT, tempDir, writeFiles } from '../helpers/cli.js';
import { xmllintValid } from '../helpers/junit.js';

const BLUEPRINT = `
name: ship
tasks:
  - id: build
    run: exit 9
    output: json
  - id: greet
    run: echo "hi \${{ tasks.build.output.v }}"
    output: text
outputs:
  said: \${{ tasks.greet.output }}
`;

describe('baton test', () => {
  it('the tests of the examples in workflows/ pass', async () => {
    const r = await baton(['test', path.join(ROOT, 'workflows')], { cwd: tempDir() });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/✓ greets everyone and sums up/);
    expect(r.stdout).toMatch(/^\d+ passed, 0 failed \(\d+ tests in [4-9] files/m);
  });

  it('runs what says `run: real` and mocks the rest; a failing case shows expected and actual, exit 1', async () => {
    const cwd = writeFiles(tempDir(), {
      'ship.yaml': BLUEPRINT,
      'tests/ship.test.yaml': `
blueprint: ../ship.yaml
mocks:
  build: { stdout: '{"v": 2}' }
  greet: { run: real }
tests:
  - name: greets with the built version
    expect: { status: completed, outputs: { said: hi 2 } }
  - name: expects the wrong greeting
    expect: { outputs: { said: hello 2 } }
`,
    });
    const r = await baton(['test'], { cwd });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toContain('✓ greets with the built version');
    expect(r.stdout).toContain('✗ expects the wrong greeting');
    expect(r.stdout).toContain('outputs.said\n        - expected: "hello 2"\n        + actual:   "hi 2"');
    expect(r.stdout).toMatch(/^1 passed, 1 failed/m);
    const json = await baton(['test', 'tests/ship.test.yaml', '--json', '--junit', 'report.xml'], { cwd });
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({
      passed: 1, failed: 1,
      files: [{ file: 'tests/ship.test.yaml', cases: [{ passed: true }, { passed: false, failures: [{ what: 'outputs.said', expected: 'hello 2', actual: 'hi 2' }] }] }],
    });
    const xml = fs.readFileSync(path.join(cwd, 'report.xml'), 'utf8');
    xmllintValid(xml);
    expect(xml).toMatch(/<testsuite name="tests\/ship.test.yaml" tests="2" failures="1"/);
    expect(xml).toContain('<failure message="outputs.said differs" type="failed">');
  });

  it('a test file naming an unknown task is an error at its line and column, exit 2, nothing run', async () => {
    const cwd = writeFiles(tempDir(), {
      'ship.yaml': BLUEPRINT,
      'ship.test.yaml': 'blueprint: ship.yaml\ntests:\n  - name: typo\n    mocks:\n      biuld: {}\n    expect: { status: completed }\n',
      'bad.test.yaml': 'blueprint: ship.yaml\ntests:\n  - name: x\n    expect: { status: done }\n',
    });
    const r = await baton(['test', '.'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('ship.test.yaml:5:7: error: mock `biuld`: ship.yaml has no task `biuld`; did you mean `build`?');
    expect(r.stderr).toMatch(/bad\.test\.yaml:4:23: error: .*`completed`/);
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
  });
});
