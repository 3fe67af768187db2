// Bad input gets a clear error naming the file and position or the value at fault, exit 2, no stack trace, nothing recorded.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { baton, tempDir, writeFiles } from '../helpers/cli.js';

const GOOD = `name: good
inputs:
  n: { type: integer, required: true }
  tags: { type: array, default: [] }
  label: { type: string, default: x }
tasks:
  - id: a
    run: echo \${{ inputs.n }}
`;

function expectCleanFailure(r: { code: number | null; stderr: string }, cwd: string, message: RegExp): void {
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(message);
  expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/); // no stack trace
  expect(fs.existsSync(path.join(cwd, '.baton'))).toBe(false);
}

describe('bad blueprint files', () => {
  const cases: [string, Record<string, string | Buffer>, string, RegExp][] = [
    ['a missing file', {}, 'nope.yaml', /nope\.yaml.*(not found|does not exist|no such file)/i],
    ['a directory', { 'dir/x': '' }, 'dir', /dir.*directory/i],
    ['an empty file', { 'e.yaml': '' }, 'e.yaml', /e\.yaml.*empty/i],
    ['a YAML syntax error', { 's.yaml': 'name: x\ntasks: [\n  - id: a\n' }, 's.yaml', /s\.yaml:\d+:\d+: error/],
    ['a top-level list', { 'l.yaml': '- a\n- b\n' }, 'l.yaml', /l\.yaml:1:1: error: .*mapping/i],
    ['a top-level scalar', { 'c.yaml': 'hello\n' }, 'c.yaml', /c\.yaml:1:1: error: .*mapping/i],
    ['a binary file', { 'b.yaml': Buffer.from([0x6e, 0x61, 0x00, 0x01, 0xff]) }, 'b.yaml', /b\.yaml.*(binary|UTF-8)/i],
    ['a non-UTF-8 file', { 'u.yaml': Buffer.from('name: caf\xe9\ntasks: []\n', 'latin1') }, 'u.yaml', /u\.yaml:1:\d+: error: .*UTF-8/i],
    ['tabs for indentation', { 't.yaml': 'name: x\ntasks:\n\t- id: a\n' }, 't.yaml', /t\.yaml:3:\d+: error: .*tab/i],
    ['several documents', { 'm.yaml': 'name: a\ntasks: [{id: a, run: "true"}]\n---\nname: b\n' }, 'm.yaml', /m\.yaml:\d+:\d+: error: .*document/i],
  ];
  it.each(cases)('%s', async (_name, files, arg, message) => {
    const cwd = tempDir();
    for (const [name, content] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(cwd, name)), { recursive: true });
      fs.writeFileSync(path.join(cwd, name), content);
    }
    expectCleanFailure(await baton(['run', arg], { cwd }), cwd, message);
    expectCleanFailure(await baton(['validate', arg], { cwd }), cwd, message);
  });

  it('reports every error at once with a code frame', async () => {
    const cwd = writeFiles(tempDir(), {
      'bad.yaml': `name: bad
tasks:
  - id: a
    rn: echo hi
  - id: a
    run: echo \${{ tasks.nope.output }}
    timeout: soon
`,
    });
    const r = await baton(['validate', 'bad.yaml'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad\.yaml:4:5: error: .*rn.*did you mean .*run/);
    expect(r.stderr).toMatch(/bad\.yaml:5:\d+: error: .*duplicate/i);
    expect(r.stderr).toMatch(/bad\.yaml:6:\d+: error: .*nope/);
    expect(r.stderr).toMatch(/bad\.yaml:7:\d+: error: .*duration/i);
    expect(r.stderr).toMatch(/\n\s*\|?\s*\^/); // a marker under the offending text
  });

  it('--json on a run that cannot start prints {error, diagnostics}', async () => {
    const cwd = writeFiles(tempDir(), { 'bad.yaml': 'name: bad\ntasks:\n  - id: a\n' });
    const r = await baton(['run', 'bad.yaml', '--json'], { cwd });
    expect(r.code).toBe(2);
    const doc = JSON.parse(r.stdout);
    expect(doc.error).toBeTruthy();
    expect(doc.diagnostics[0]).toMatchObject({ severity: 'error', file: expect.stringContaining('bad.yaml'), line: 3 });
  });
});

describe('bad inputs', () => {
  const cases: [string, string[], RegExp][] = [
    ['an unknown -i key', ['-i', 'n=1', '-i', 'bogus=1'], /bogus/],
    ['-i without =', ['-i', 'n'], /-i.*n.*key=value|key=value/],
    ['a value of the wrong type', ['-i', 'n=abc'], /n.*integer.*abc|abc.*integer/],
    ['a missing required input', [], /n.*required/],
    ['an unreadable --input-file', ['--input-file', 'missing.json'], /missing\.json/],
    ['an --input-file that is not an object', ['--input-file', 'list.json'], /list\.json/],
    ['an integer YAML would round', ['-i', 'n=9007199254740993'], /input `n`: `9007199254740993` is beyond the integers held exactly/],
    ['a number too large to hold', ['-i', 'n=1e400'], /input `n`: `1e400` is too large for a number/],
    ['unclosed YAML', ['-i', 'n=1', '-i', 'tags=[1'], /cannot read `\[1` as array: .* at line 1, column 3\n/],
    ['--run-id last', ['-i', 'n=1', '--run-id', 'last'], /invalid --run-id "last": it is reserved for the most recently started run/],
    ['a concurrency expression that is not a positive integer', ['-i', 'n=1', '--input-file', 'zero.json'], /`concurrency: \$\{\{ inputs.jobs \}\}`: expected an integer ≥ 1, got 0/],
  ];
  it.each(cases)('%s', async (_name, args, message) => {
    const blueprint = args.includes('zero.json') ? GOOD.replace('inputs:\n', 'concurrency: ${{ inputs.jobs }}\ninputs:\n  jobs: { type: integer, default: 2 }\n') : GOOD;
    const cwd = writeFiles(tempDir(), { 'good.yaml': blueprint, 'list.json': '[1, 2]', 'zero.json': '{"jobs": 0}' });
    expectCleanFailure(await baton(['run', 'good.yaml', ...args], { cwd }), cwd, message);
  });

  it('-i parses YAML for non-string inputs, keeps strings verbatim, and overrides --input-file', async () => {
    const cwd = writeFiles(tempDir(), {
      'good.yaml': GOOD.replace('echo ${{ inputs.n }}', 'echo ok').concat('outputs:\n  all: ${{ inputs }}\n'),
      'in.yaml': 'n: 1\nlabel: from-file\n',
    });
    const r = await baton(['run', 'good.yaml', '--json', '--input-file', 'in.yaml', '-i', 'n=3', '-i', 'tags=[a, b]', '-i', 'label=007'], { cwd });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).outputs.all).toEqual({ n: 3, tags: ['a', 'b'], label: '007' });
  });
});
