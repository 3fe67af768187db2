// The global setup's freshness check: a source newer than its output, a missing output, an orphaned output.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { staleBuild } from '../helpers/fresh-build.js';

function project(files: Record<string, number>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-fresh-'));
  for (const [name, seconds] of Object.entries(files)) {
    const file = path.join(root, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, '');
    fs.utimesSync(file, seconds, seconds);
  }
  return root;
}

describe('staleBuild', () => {
  it.each<[string, Record<string, number>, string[]]>([
    ['fresh', { 'src/a/b.ts': 100, 'dist/a/b.js': 200, 'dist/a/b.js.map': 200, 'tsconfig.json': 50 }, []],
    ['a source edited after the build', { 'src/a/b.ts': 300, 'dist/a/b.js': 200 }, ['src/a/b.ts is newer than its output']],
    ['a new source never built', { 'src/a/b.ts': 100, 'src/c.ts': 100, 'dist/a/b.js': 200 }, ['dist/c.js is missing']],
    ['no dist at all', { 'src/c.ts': 100 }, ['dist/c.js is missing']],
    ['a deleted source whose output stayed', { 'src/c.ts': 100, 'dist/c.js': 200, 'dist/gone.js': 200 }, ['dist/gone.js has no source any more']],
    ['tsconfig.json changed after the build', { 'src/c.ts': 100, 'dist/c.js': 200, 'tsconfig.json': 300 }, ['tsconfig.json is newer than dist/c.js']],
  ])('%s', (_name, files, reasons) => {
    expect(staleBuild(project(files))).toEqual(reasons);
  });

  it('finds this checkout built from its sources (the global setup just made sure)', () => {
    expect(staleBuild(fileURLToPath(new URL('../..', import.meta.url)))).toEqual([]);
  });
});
