// Loading blueprint files: bad input of every sort gets one clear diagnostic; good input gets a model.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBlueprint } from '../../src/blueprint/load.js';
import { loadFiles, loadText, marked, summary, tempDir } from './blueprint-helpers.js';

const VALID = 'name: ok\ntasks:\n  - id: a\n    run: echo hi\n';

describe('loadBlueprint: bad files', () => {
  it('reports a missing file by name, without a position', () => {
    const dir = tempDir();
    const result = loadBlueprint(path.join(dir, 'nope.yaml'));
    expect(result.blueprint).toBeNull();
    expect(result.diagnostics).toHaveLength(1);
    expect(result.diagnostics[0]).toMatchObject({ code: 'file-not-found', file: path.join(dir, 'nope.yaml') });
    expect(result.diagnostics[0]?.message).toContain('nope.yaml');
  });

  it('reports a directory', () => {
    const dir = tempDir();
    const result = loadBlueprint(dir);
    expect(summary(result)).toEqual([expect.stringMatching(/^error not-a-file .* is a directory, not a blueprint file$/)]);
  });

  it('reports an unreadable file', () => {
    const dir = tempDir();
    const file = path.join(dir, 'secret.yaml');
    fs.writeFileSync(file, VALID);
    fs.chmodSync(file, 0o000);
    const canRead = (() => {
      try {
        fs.readFileSync(file);
        return true;
      } catch {
        return false;
      }
    })();
    const result = loadBlueprint(file);
    if (canRead) {
      // root ignores permissions: the file loads, which is also what the user would see
      expect(result.blueprint).not.toBeNull();
    } else {
      expect(result.diagnostics.map((d) => d.code)).toEqual(['unreadable-file']);
      expect(result.diagnostics[0]?.message).toContain('permission denied');
    }
  });

  it.runIf(fs.existsSync('/proc/self/mem'))('reports a file whose read fails (EIO)', () => {
    const result = loadBlueprint('/proc/self/mem');
    expect(result.diagnostics.map((d) => d.code)).toEqual(['unreadable-file']);
    expect(result.diagnostics[0]?.message).toMatch(/^cannot read `\/proc\/self\/mem`: EIO/);
  });

  it.each([
    ['an empty file', ''],
    ['only whitespace', '\n  \n'],
    ['only comments', '# nothing here\n# at all\n'],
  ])('reports %s as empty', (_, text) => {
    const result = loadText(text);
    expect(result.blueprint).toBeNull();
    expect(summary(result)).toEqual([expect.stringMatching(/^error empty-file .*flow\.yaml` is empty/)]);
  });

  it('reports a binary file with the line and column of the NUL byte', () => {
    const result = loadFiles({ 'flow.yaml': Buffer.from('name: x\nab\u0000cd\n') });
    expect(summary(result)).toEqual([expect.stringMatching(/^error binary-file flow\.yaml:2:3 .*binary file.*line 2, column 3/)]);
  });

  it('reports invalid UTF-8 at the first bad byte', () => {
    const bytes = Buffer.concat([Buffer.from('name: café\ntasks: x\ndesc: ab'), Buffer.from([0xff, 0x41]), Buffer.from('\n')]);
    const result = loadFiles({ 'flow.yaml': bytes });
    expect(summary(result)).toEqual([expect.stringMatching(/^error invalid-utf8 flow\.yaml:3:9 .*not valid UTF-8.*0xff at line 3, column 9/)]);
  });

  it('reports a truncated multi-byte sequence and an overlong encoding', () => {
    expect(summary(loadFiles({ 'flow.yaml': Buffer.from([0x61, 0x3a, 0x20, 0xe2, 0x82]) }))[0]).toMatch(/invalid-utf8 flow\.yaml:1:4/);
    expect(summary(loadFiles({ 'flow.yaml': Buffer.from([0x61, 0x0a, 0xc0, 0xaf]) }))[0]).toMatch(/invalid-utf8 flow\.yaml:2:1/);
  });

  it('accepts a UTF-8 byte order mark', () => {
    expect(loadFiles({ 'flow.yaml': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(VALID)]) }).blueprint).not.toBeNull();
  });

  it('reports tab indentation clearly, once per line', () => {
    const result = loadText('name: x\ntasks:\n\t- id: a\n\t  run: echo\n');
    expect(summary(result)).toEqual([
      'error tab-indent flow.yaml:3:1 tab character used for indentation: YAML indents with spaces only',
      'error tab-indent flow.yaml:4:1 tab character used for indentation: YAML indents with spaces only',
    ]);
  });

  it('reports several YAML documents at the separator', () => {
    const result = loadText(`${VALID}---\n${VALID}`);
    expect(summary(result)).toEqual([expect.stringMatching(/^error multiple-documents flow\.yaml:5:1 .*several YAML documents/)]);
    expect(marked(result)).toBe('---');
  });

  it('accepts a leading document marker', () => {
    expect(loadText(`---\n${VALID}`).blueprint).not.toBeNull();
  });

  it.each([
    ['a list', '- id: a\n  run: echo\n', 'holds a list'],
    ['a scalar', 'just text\n', 'holds a single value'],
  ])('reports a top-level %s', (_, text, words) => {
    const result = loadText(text);
    expect(summary(result)).toEqual([expect.stringMatching(new RegExp(`^error not-a-mapping flow\\.yaml:1:1 a blueprint must be a mapping .*${words}`))]);
  });

  it('reports every YAML syntax error at its position', () => {
    const result = loadText('name: x\ntasks:\n  - id: a\n    command: [ls, -l\n  - id: b\n    env: { A: ${{ 2 }} }\n');
    const lines = summary(result);
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(lines.every((l) => l.startsWith('error yaml-syntax flow.yaml:'))).toBe(true);
    expect(lines.some((l) => l.includes('flow.yaml:5:'))).toBe(true);
    expect(lines.some((l) => l.includes('flow.yaml:6:'))).toBe(true);
  });

  it('shows one syntax error per line and counts the cascade after five lines', () => {
    const result = loadText("name: outputs\ntasks:\n  - id: j\n    run: echo '{\"a\": [1, 2]}'\n    output: json\n  - id: l\n    run: printf 'x\\n\\ny\\n'\n    output: lines\n  - id: f\n    run: echo '{\"n\": 3}' > \"$BATON_OUTPUT\"\n  - id: none\n    run: \"true\"\noutputs:\n  sum: ${{ $sum(tasks.j.output.a) + tasks.f.output.n }}\n  lines: ${{ tasks.l.output }}\n  none: ${{ tasks.none.output }}\n");
    const lines = summary(result);
    expect(lines).toHaveLength(5);
    expect(new Set(lines.map((l) => l.split(' ')[2]?.split(':')[1])).size).toBe(5);
    expect(lines[4]).toMatch(/and syntax errors on \d+ more lines/);
  });

  it('reports duplicate keys with a note at the first one, in any mapping', () => {
    const result = loadText('name: x\nname: y\ntasks:\n  - id: a\n    run: echo\n    run: again\n');
    expect(summary(result)).toEqual(['error duplicate-key flow.yaml:2:1 duplicate key `name`', 'error duplicate-key flow.yaml:6:5 duplicate key `run`']);
    expect(result.diagnostics[0]?.related?.[0]?.message).toBe('`name` first appears here');
  });
});

describe('loadBlueprint: good files', () => {
  it('returns the model, the sources and no diagnostics', () => {
    const result = loadText(VALID);
    expect(result.diagnostics).toEqual([]);
    expect(result.blueprint?.name).toBe('ok');
    expect(result.blueprint?.file).toBe(path.join(result.dir, 'flow.yaml'));
    expect(result.blueprint?.source).toBe(VALID);
    expect(result.sources.get(path.join(result.dir, 'flow.yaml'))).toBe(VALID);
  });

  it('uses the given source instead of the file (run snapshots)', () => {
    const dir = tempDir();
    const file = path.join(dir, 'gone.yaml');
    const result = loadBlueprint(file, { source: VALID.replace('name: ok', 'name: snap') });
    expect(result.blueprint?.name).toBe('snap');
    expect(result.blueprint?.file).toBe(file);
  });

  it('keeps warnings without failing', () => {
    const result = loadText("name: w\ntasks:\n  - id: a\n    run: echo '${{ 1 }}'\n");
    expect(result.blueprint).not.toBeNull();
    expect(result.diagnostics.map((d) => d.severity)).toEqual(['warning']);
  });

  it('resolves aliases like their targets', () => {
    const result = loadText('name: a\ntasks:\n  - id: one\n    run: echo\n    retry: &r { count: 3 }\n  - id: two\n    run: echo\n    retry: *r\n');
    expect(result.diagnostics).toEqual([]);
    expect(result.blueprint?.tasks[1]).toMatchObject({ retry: { count: 3 } });
  });
});
