// Hostile blueprints stay cheap: alias bombs and cycles refused at the alias, anchor reuse linear, absurd values refused.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Alias } from 'yaml';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MAX_FILE_BYTES, readBoundedFile } from '../../src/blueprint/bounded-read.js';
import { parseInputArgs } from '../../src/blueprint/inputs.js';
import { loadBlueprint } from '../../src/blueprint/load.js';
import { MAX_ALIAS_EXPANSION } from '../../src/blueprint/yaml-aliases.js';
import { loadFiles, loadText, marked, summary, tempDir } from './blueprint-helpers.js';

/** `levels` anchors, each a list of `width` aliases to the one before: width^levels scalars once expanded. */
function aliasBomb(levels: number, width: number, where = 'env:\n      X: *a' + String(levels - 1)): string {
  const lines = ['name: bomb', 'x:', `  a0: &a0 [${Array(width).fill('lol').join(', ')}]`];
  for (let i = 1; i < levels; i++) lines.push(`  a${i}: &a${i} [${Array(width).fill(`*a${i - 1}`).join(', ')}]`);
  lines.push('tasks:', '  - id: t', '    run: echo hi', `    ${where}`);
  return `${lines.join('\n')}\n`;
}

describe('YAML aliases', () => {
  afterEach(() => vi.restoreAllMocks());

  it('refuses an alias bomb at the alias that expands most, before any other check', () => {
    const result = loadText(aliasBomb(9, 9));
    expect(result.blueprint).toBeNull();
    expect(summary(result)).toEqual([expect.stringMatching(/^error alias-expansion flow\.yaml:16:10 aliases expand this blueprint to [\d,]+ YAML nodes \(`\*a8` alone stands for [\d,]+\): aliases may add at most 1,000,000 nodes/)]);
    expect(marked(result)).toBe('*a8');
  });

  it('refuses a bomb hidden in a value of any shape (set:)', () => {
    const result = loadText(aliasBomb(9, 9, 'set: { v: *a8 }').replace('    run: echo hi\n', ''));
    expect(result.diagnostics.map((d) => d.code)).toEqual(['alias-expansion']);
  });

  it('accepts a moderate expansion (9^4 scalars)', () => {
    const result = loadText(aliasBomb(4, 9));
    expect(result.diagnostics.map((d) => d.code)).not.toContain('alias-expansion');
    expect(MAX_ALIAS_EXPANSION).toBeGreaterThan(9 ** 4);
  });

  it('refuses an alias that refers to a node containing it', () => {
    const result = loadText('name: c\ntasks: &x\n  - id: t\n    run: echo\n  - *x\n');
    expect(summary(result)).toEqual(['error alias-cycle flow.yaml:5:5 alias `*x` refers to a node that contains it: a blueprint cannot hold a cycle']);
  });

  it('resolves each alias to the last anchor of that name before it', () => {
    const result = loadText('name: a\ntasks:\n  - id: one\n    run: echo\n    env: &e { A: "1" }\n  - id: two\n    run: echo\n    env: &e { A: "2" }\n  - id: three\n    run: echo\n    env: *e\n');
    expect(result.diagnostics).toEqual([]);
    expect(result.blueprint?.tasks[2]).toMatchObject({ env: { A: '2' } });
  });

  it('expands aliases nested inside values (set:, input defaults)', () => {
    const result = loadText('name: a\ninputs:\n  list: { type: array, default: [&v 1, *v, { k: *v }] }\ntasks:\n  - id: s\n    set: { a: *v, b: [*v] }\n');
    expect(result.diagnostics).toEqual([]);
    expect(result.blueprint?.inputs['list']?.default).toEqual([1, 1, { k: 1 }]);
    expect(result.blueprint?.tasks[0]).toMatchObject({ values: { a: 1, b: [1] } });
  });

  it('never lets yaml walk the whole document per alias (that made 5,000 reuses take minutes)', () => {
    const resolve = vi.spyOn(Alias.prototype, 'resolve');
    const tasks = Array.from({ length: 200 }, (_, i) => `  - id: t${i}\n    run: echo\n    env: ${i === 0 ? '&e { A: "1" }' : '*e'}\n`).join('');
    const result = loadText(`name: many\ntasks:\n${tasks}`);
    expect(result.diagnostics).toEqual([]);
    expect(result.blueprint?.tasks[199]).toMatchObject({ env: { A: '1' } });
    expect(resolve).not.toHaveBeenCalled();
  });
});

describe('files that are not regular or too big', () => {
  const good = () => loadText('name: ok\ninputs:\n  a: { type: string, default: x }\ntasks:\n  - id: a\n    run: echo hi\n');

  it('refuses a device as a blueprint without reading it', () => {
    const result = loadBlueprint('/dev/zero');
    expect(summary(result)).toEqual(['error not-a-file `/dev/zero` is a character device, not a regular file: a blueprint must be a file']);
  });

  it('refuses a named pipe without opening it (opening would block until a writer comes)', () => {
    const dir = tempDir();
    const fifo = path.join(dir, 'pipe.yaml');
    execFileSync('mkfifo', [fifo]);
    expect(loadBlueprint(fifo).diagnostics.map((d) => d.message)).toEqual([expect.stringContaining('is a named pipe, not a regular file')]);
  });

  it('refuses a device as a sub-workflow, at the `workflow:` value', () => {
    const result = loadText('name: w\ntasks:\n  - id: c\n    workflow: /dev/zero\n');
    expect(summary(result)).toEqual(['error workflow-not-a-file flow.yaml:4:15 sub-workflow `/dev/zero`: `/dev/zero` is a character device, not a regular file: a blueprint must be a file']);
  });

  it('refuses a blueprint over 10 MiB by its size', () => {
    const result = loadFiles({ 'big.yaml': `name: big\n#${'x'.repeat(MAX_FILE_BYTES)}\n` });
    expect(summary(result)).toEqual([expect.stringMatching(/^error file-too-large `.*big\.yaml` is 10,485,772 bytes: a blueprint may be at most 10 MiB$/)]);
  });

  it('refuses a device or an oversized file as --input-file', () => {
    const { blueprint, dir } = good();
    expect(parseInputArgs(blueprint!, [], '/dev/zero').diagnostics.map((d) => d.message)).toEqual(['cannot read input file `/dev/zero`: it is a character device, not a regular file']);
    const big = path.join(dir, 'in.yaml');
    fs.writeFileSync(big, `a: ${'x'.repeat(MAX_FILE_BYTES)}\n`);
    expect(parseInputArgs(blueprint!, [], big).diagnostics.map((d) => d.message)).toEqual([`cannot read input file \`${big}\`: it is 10,485,764 bytes, more than the 10 MiB allowed`]);
  });

  it('reads no more than one byte past the limit', () => {
    const file = path.join(tempDir(), 'f');
    fs.writeFileSync(file, '0123456789');
    expect(readBoundedFile(file, 10)).toMatchObject({ ok: true });
    expect(readBoundedFile(file, 9)).toEqual({ ok: false, problem: 'too-large', size: 10 });
  });
});

describe('absurd durations and names', () => {
  it('accepts durations up to 365 days, which run in chunks', () => {
    const result = loadText('name: d\ntimeout: 365d\ntasks:\n  - id: a\n    run: echo\n    timeout: 30d\n    retry: { count: 1, delay: 30d, max_delay: 8760h }\n  - id: w\n    wait: 25d\n');
    expect(result.diagnostics).toEqual([]);
    expect(result.blueprint?.tasks[1]).toMatchObject({ kind: 'wait', durationMs: 25 * 86_400_000 });
  });

  it('refuses durations over 365 days at the value, numbers as written', () => {
    const result = loadText('name: d\ntimeout: 400d\ntasks:\n  - id: a\n    run: echo\n    retry: { count: 1, delay: "9999999999999 d" }\n    kill_grace: 366d\n  - id: w\n    wait: 99999999999999999\n');
    expect(summary(result)).toEqual([
      'error invalid-value flow.yaml:2:10 duration `400d` is too long: durations may be at most 365d',
      'error invalid-value flow.yaml:6:31 duration `9999999999999 d` is too long: durations may be at most 365d',
      'error invalid-value flow.yaml:7:17 duration `366d` is too long: durations may be at most 365d',
      'error invalid-value flow.yaml:9:11 duration `99999999999999999` is too long: durations may be at most 365d',
    ]);
  });

  it('refuses a task id over 64 characters (it becomes a file name)', () => {
    const id = 'a'.repeat(65);
    const result = loadText(`name: i\ntasks:\n  - id: ${id}\n    run: echo\n  - id: ${'b'.repeat(64)}\n    run: echo\n`);
    expect(summary(result)).toEqual([`error too-long flow.yaml:3:9 \`id\` is too long (65 characters, at most 64): \`${'a'.repeat(39)}…\``]);
  });
});

describe('mistakes inside a reused anchor', () => {
  it('are reported once, not once per alias', () => {
    const tasks = Array.from({ length: 50 }, (_, i) => `  - id: t${i}\n    run: echo\n    env: ${i === 0 ? '&e { A: [1] }' : '*e'}\n`).join('');
    const result = loadText(`name: d\ntasks:\n${tasks}`);
    expect(summary(result)).toEqual(['error wrong-type flow.yaml:5:18 `env.A` must be a string, number or boolean, not a list']);
  });
});
