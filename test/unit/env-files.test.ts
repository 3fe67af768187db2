// env_file: dotenv parsing edge cases, validation with positions, and the precedence of a task's environment.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readEnvFile } from '../../src/blueprint/env-files.js';
import type { CommandTaskSpec } from '../../src/blueprint/model.js';
import { prepareAttempt } from '../../src/engine/driver/command.js';
import { loadFiles, summary, tempDir } from './blueprint-helpers.js';

function parsed(text: string): Record<string, string> {
  const file = path.join(tempDir(), '.env');
  fs.writeFileSync(file, text);
  const read = readEnvFile(file);
  if (!read.ok) throw new Error(read.message);
  return read.values;
}

describe('dotenv parsing (the dotenv package)', () => {
  it.each([
    ['plain', 'A=1\nB=two words\n', { A: '1', B: 'two words' }],
    ['export prefix', 'export A=1\n', { A: '1' }],
    ['comments and blank lines', '# note\n\nA=1 # trailing\n', { A: '1' }],
    ['# inside quotes is kept', 'A="x # y"\nB=\'p # q\'\n', { A: 'x # y', B: 'p # q' }],
    ['double quotes expand \\n', 'A="l1\\nl2"\n', { A: 'l1\nl2' }],
    ['single quotes are literal', "A='l1\\nl2'\n", { A: 'l1\\nl2' }],
    ['multi-line double-quoted value', 'A="first\nsecond"\nB=2\n', { A: 'first\nsecond', B: '2' }],
    ['no variable expansion, no expressions', 'A=${HOME}\nB=${{ inputs.x }}\n', { A: '${HOME}', B: '${{ inputs.x }}' }],
    ['empty value', 'A=\nB=""\n', { A: '', B: '' }],
    ['CRLF line ends', 'A=1\r\nB=2\r\n', { A: '1', B: '2' }],
    ['a later line wins', 'A=1\nA=2\n', { A: '2' }],
    ['spaces around =', 'A = 1\n', { A: '1' }],
  ])('%s', (_name, text, expected) => {
    expect(parsed(text)).toEqual(expected);
  });

  it('a missing file, a folder and a too large file are reported, not read', () => {
    const dir = tempDir();
    expect(readEnvFile(path.join(dir, 'nope.env'))).toMatchObject({ ok: false, missing: true });
    expect(readEnvFile(dir)).toMatchObject({ ok: false, missing: false, message: expect.stringContaining('a directory') });
  });
});

describe('env_file in a blueprint', () => {
  it('reads files relative to the blueprint, in list order, at blueprint and task level', () => {
    const r = loadFiles({
      'sub/flow.yaml': 'name: t\nenv_file: [a.env, {path: b.env}]\ntasks:\n  - id: x\n    env_file: c.env\n    run: "true"\n',
      'sub/a.env': 'A=1\nB=1\n',
      'sub/b.env': 'B=2\n',
      'sub/c.env': 'C=3\n',
    });
    expect(summary(r)).toEqual([]);
    expect(r.blueprint!.envFiles.map((f) => [f.path, f.values])).toEqual([['a.env', { A: '1', B: '1' }], ['b.env', { B: '2' }]]);
    const task = r.blueprint!.tasks[0] as CommandTaskSpec;
    expect(task.envFiles.map((f) => f.values)).toEqual([{ C: '3' }]);
  });

  it('a missing file is an error at its path; required: false allows it', () => {
    const r = loadFiles({ 'flow.yaml': 'name: t\nenv_file:\n  - .env\n  - {path: .env.local, required: false}\ntasks:\n  - id: x\n    env_file: task.env\n    run: "true"\n' });
    expect(summary(r)).toEqual([
      expect.stringMatching(/^error env-file flow\.yaml:3:5 env_file `\.env`: no such file: .*\.env \(paths are relative to the blueprint file/),
      expect.stringMatching(/^error env-file flow\.yaml:7:15 env_file `task\.env`: no such file/),
    ]);
  });

  it.each([
    ['a number', 'env_file: 3\n', /flow\.yaml:2:11 `env_file` must be a path, \{path, required\}, or a list of those, not the number 3/],
    ['an unknown key', 'env_file: {path: a.env, optional: true}\n', /unknown key `optional`/],
    ['env_file on a set task', 'tasks:\n  - id: s\n    env_file: a.env\n    set: {a: 1}\n', /env_file/],
  ])('%s is refused with a position', (_name, yaml, message) => {
    const text = yaml.startsWith('tasks:') ? `name: t\n${yaml}` : `name: t\n${yaml}tasks: []\n`;
    const r = loadFiles({ 'flow.yaml': text, 'a.env': 'A=1\n' });
    expect(r.blueprint).toBeNull();
    expect(summary(r).join('\n')).toMatch(message);
  });
});

describe("a task's environment: precedence", () => {
  const file = (values: Record<string, string>) => ({ path: 'x.env', required: true, range: { file: '', start: 0, end: 0 }, values });
  // base = baton's env, --env-file, the blueprint's env_file and env (the frame's); then the task's env_file, its env.
  it.each([
    ['base only', { V: 'base' }, [], {}, 'base'],
    ['task env_file over base', { V: 'base' }, [{ V: 'file' }], {}, 'file'],
    ['a later task env_file wins', {}, [{ V: 'one' }, { V: 'two' }], {}, 'two'],
    ['task env over task env_file', { V: 'base' }, [{ V: 'file' }], { V: 'env' }, 'env'],
    ["task env reads the file's value", {}, [{ W: 'w' }], { V: 'env-${{ env.W }}' }, 'env-w'],
    ['BATON_ variables over everything', {}, [{ BATON_ATTEMPT: 'x' }], {}, '1', 'BATON_ATTEMPT'],
  ])('%s', async (_name, base, files, env, expected, name = 'V') => {
    const spec = { kind: 'run', id: 't', script: 'true', envFiles: files.map(file), env, output: 'file', killGraceMs: 0, retry: { count: 0 } } as unknown as CommandTaskSpec;
    const ctx = { inputs: {}, env: base, vars: {}, tasks: {}, run: {} } as never;
    const req = await prepareAttempt(spec, ctx, { base, baton: { BATON_ATTEMPT: '1' } }, { stdoutPath: 'o', stderrPath: 'e', outputFile: 'f', scriptPath: 's' }, tempDir());
    expect(req.env[name]).toBe(expected);
  });
});
