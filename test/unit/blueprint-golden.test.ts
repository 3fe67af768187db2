// Golden tests: each fixture blueprint's formatted diagnostics must match its *.expected.txt exactly.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../src/blueprint/format.js';
import { loadBlueprint } from '../../src/blueprint/load.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/blueprints/', import.meta.url));
/** Every `<name>.expected.txt` checks `<name>.yaml` (which may be missing or a directory on purpose). */
const CASES = fs.readdirSync(FIXTURES).filter((f) => f.endsWith('.expected.txt')).map((f) => f.slice(0, -'.expected.txt'.length)).sort();

function render(name: string): string {
  const result = loadBlueprint(path.join(FIXTURES, `${name}.yaml`));
  const lines = result.diagnostics.map((d) => formatDiagnostic(d, result.sources, { cwd: FIXTURES }));
  const verdict = result.blueprint ? 'valid' : 'invalid';
  return `${[...lines, `-- ${verdict}`].join('\n')}\n`;
}

describe('golden blueprint diagnostics', () => {
  // Messages name files relative to the working directory: run from the fixtures so the output is stable.
  const cwd = process.cwd();
  beforeAll(() => process.chdir(FIXTURES));
  afterAll(() => process.chdir(cwd));

  // Named one by one: a fixture lost in a merge or a rename must fail here, not quietly shrink the suite.
  it('has every case', () =>
    expect(CASES).toEqual([
      'binary', 'comments-only', 'directory', 'empty', 'good', 'latin1', 'many-errors', 'missing', 'multi-doc',
      'subworkflow-errors', 'syntax-error', 'tabs', 'top-list', 'top-scalar',
    ]));

  it.each(CASES)('%s', (name) => {
    const expectedFile = path.join(FIXTURES, `${name}.expected.txt`);
    const actual = render(name);
    if (process.env.BATON_UPDATE_GOLDEN === '1') fs.writeFileSync(expectedFile, actual);
    expect(actual, `regenerate with BATON_UPDATE_GOLDEN=1 if the change is intended`).toBe(fs.readFileSync(expectedFile, 'utf8'));
  });
});
