// Run inputs (-i, --input-file, defaults and type checks), durations, and diagnostic formatting.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../src/blueprint/duration.js';
import { diagnosticToJson, formatDiagnostic } from '../../src/blueprint/format.js';
import { parseInputArgs, resolveInputs } from '../../src/blueprint/inputs.js';
import type { Blueprint } from '../../src/blueprint/model.js';
import { loadText, tempDir } from './blueprint-helpers.js';

const BLUEPRINT = 'name: t\ninputs:\n  dir: { required: true }\n  n: { type: integer, default: 2 }\n  ratio: { type: number }\n  tags: { type: array }\n  on: { type: boolean }\n  opts: { type: object }\n  mode: { enum: [fast, slow], default: fast }\ntasks:\n  - id: a\n    run: x\n';

function blueprint(): Blueprint {
  const result = loadText(BLUEPRINT);
  if (!result.blueprint) throw new Error(JSON.stringify(result.diagnostics));
  return result.blueprint;
}

describe('parseDuration', () => {
  it.each([
    ['500ms', 500], ['30s', 30_000], ['5m', 300_000], ['2h', 7_200_000], ['7d', 604_800_000], [30, 30_000], [1.5, 1500], ['1.5s', 1500], ['10', 10_000], [0, 0],
  ])('%s → %s ms', (input, ms) => expect(parseDuration(input)).toBe(ms));

  it.each([['2x'], [''], ['-1s'], [-1], ['1 h 2m'], [null], [true], [[1]], [Number.NaN]])('%s is not a duration', (input) => {
    expect(parseDuration(input)).toBeNull();
  });
});

describe('parseInputArgs', () => {
  it('keeps strings verbatim and parses other declared types as YAML', () => {
    const { values, diagnostics } = parseInputArgs(blueprint(), ['dir=007', 'n=3', 'ratio=0.5', 'tags=[a, b]', 'on=true', 'opts={k: 1}', 'mode=a=b']);
    expect(diagnostics).toEqual([]);
    expect(values).toEqual({ dir: '007', n: 3, ratio: 0.5, tags: ['a', 'b'], on: true, opts: { k: 1 }, mode: 'a=b' });
  });

  it('reads an input file (YAML or JSON); -i overrides it', () => {
    const dir = tempDir();
    const file = path.join(dir, 'in.json');
    fs.writeFileSync(file, JSON.stringify({ dir: '/x', n: 5 }));
    expect(parseInputArgs(blueprint(), ['n=6'], file).values).toEqual({ dir: '/x', n: 6 });
    fs.writeFileSync(path.join(dir, 'in.yaml'), 'dir: /y\ntags: [1]\n');
    expect(parseInputArgs(blueprint(), [], path.join(dir, 'in.yaml')).values).toEqual({ dir: '/y', tags: [1] });
  });

  it.each([
    ['a pair without =', ['dir'], undefined, 'invalid input `-i dir`: use -i key=value'],
    ['a missing input file', [], '/nonexistent/in.json', 'cannot read input file `/nonexistent/in.json`: no such file'],
    ['an integer YAML would round', ['n=9007199254740993'], undefined, 'input `n`: `9007199254740993` is beyond the integers held exactly (-9007199254740991 to 9007199254740991)'],
    ['a number too large to hold', ['ratio=1e400'], undefined, 'input `ratio`: `1e400` is too large for a number'],
    ['an integer too large to hold', ['n=-1e400'], undefined, 'input `n`: `-1e400` is too large for a number'],
    ['unclosed YAML, without a dangling colon', ['tags=[1'], undefined, 'input `tags`: cannot read `[1` as array: Flow sequence must end with a ] at line 1, column 3'],
  ])('reports %s', (_, pairs, file, message) => {
    expect(parseInputArgs(blueprint(), pairs, file).diagnostics.map((d) => d.message)).toEqual([message]);
  });

  it('reports an input file that is not an object', () => {
    const file = path.join(tempDir(), 'in.yaml');
    fs.writeFileSync(file, '- a\n');
    expect(parseInputArgs(blueprint(), [], file).diagnostics[0]?.message).toMatch(/must hold an object of input names to values, not the array/);
  });
});

describe('resolveInputs', () => {
  it('applies defaults and keeps given values', () => {
    const { inputs, diagnostics } = resolveInputs(blueprint(), { dir: 'd', n: 4 });
    expect(diagnostics).toEqual([]);
    expect(inputs).toEqual({ dir: 'd', n: 4, mode: 'fast' });
  });

  it.each([
    [{}, 'missing required input `dir`: pass it with -i dir=…'],
    [{ dir: 'd', n: 1.5 }, 'input `n` must be an integer, not the number `1.5`'],
    [{ dir: 'd', ratio: 'x' }, 'input `ratio` must be a number, not the string `"x"`'],
    [{ dir: 'd', mode: 'medium' }, 'input `mode` must be one of `"fast"`, `"slow"`, not the string `"medium"`'],
    [{ dir: 'd', tags: 'a' }, 'input `tags` must be an array, not the string `"a"`'],
    [{ dir: 'd', opts: [1] }, 'input `opts` must be an object, not the array `[1]`'],
    [{ dir: 3 }, 'input `dir` must be a string, not the number `3`'],
    [{ dir: 'd', dri: 'x' }, 'unknown input `dri`: `t` does not declare it; did you mean `dir`?'],
    [{ dir: 'd', n: 2 ** 53 }, 'input `n` must be an integer, not the number `9007199254740992`: it is beyond the integers held exactly (-9007199254740991 to 9007199254740991)'],
    [{ dir: 'd', ratio: Number.POSITIVE_INFINITY }, 'input `ratio` must be a number, not the number `Infinity`'],
    [{ dir: null }, 'missing required input `dir`: pass it with -i dir=…'],
  ])('%j → %s', (given, message) => {
    const { diagnostics } = resolveInputs(blueprint(), given);
    expect(diagnostics.map((d) => d.message)).toEqual([message]);
  });

  it('takes an explicit null as not given: the default applies', () => {
    expect(resolveInputs(blueprint(), { dir: 'd', n: null, mode: null })).toEqual({ inputs: { dir: 'd', n: 2, mode: 'fast' }, diagnostics: [] });
  });

  it('accepts integers for number inputs', () => {
    expect(resolveInputs(blueprint(), { dir: 'd', ratio: 2 }).diagnostics).toEqual([]);
  });
});

describe('formatDiagnostic and diagnosticToJson', () => {
  it('prints location relative to cwd, the line, a marker and notes', () => {
    const result = loadText('name: t\ntasks:\n  - id: a\n    run: x\n  - id: a\n    run: y\n');
    const text = formatDiagnostic(result.diagnostics[0]!, result.sources, { cwd: result.dir });
    expect(text).toBe(['flow.yaml:5:9: error: duplicate task id `a`: ids must be unique in the whole blueprint', '    - id: a', '          ^', 'flow.yaml:3:9: note: `a` is first used here', '    - id: a', '          ^'].join('\n'));
  });

  it('styles parts and keeps tabs in the marker padding', () => {
    const d = { severity: 'warning' as const, code: 'x', message: 'm', range: { file: '/w/f.yaml', start: 6, end: 9 } };
    const style = { error: (s: string) => `E(${s})`, warning: (s: string) => `W(${s})`, marker: (s: string) => `M(${s})`, location: (s: string) => `L(${s})` };
    expect(formatDiagnostic(d, new Map([['/w/f.yaml', 'a:\n\tb: xyz\n']]), { cwd: '/w', style })).toBe('L(f.yaml:2:4:) W(warning): m\n  \tb: xyz\n  \t  M(^~~)');
  });

  it('prints file-level diagnostics without a frame', () => {
    expect(formatDiagnostic({ severity: 'error', code: 'file-not-found', message: 'no such file', file: '/w/a.yaml' }, new Map(), { cwd: '/w' })).toBe('a.yaml: error: no such file');
  });

  it('gives JSON with 1-based positions', () => {
    const result = loadText('name: t\nversion: 0\ntasks:\n  - id: a\n    run: x\n');
    expect(diagnosticToJson(result.diagnostics[0]!, result.sources)).toEqual({
      severity: 'error', code: 'invalid-value', message: '`version` must be an integer ≥ 1, not 0', file: path.join(result.dir, 'flow.yaml'), line: 2, column: 10, end_line: 2, end_column: 11,
    });
    expect(diagnosticToJson({ severity: 'error', code: 'c', message: 'm', file: 'f' }, new Map())).toMatchObject({ file: 'f', line: null, end_column: null });
  });
});
