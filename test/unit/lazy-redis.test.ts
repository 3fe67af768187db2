// Without --executor bullmq nothing of Redis is loaded: no module statically reachable from the CLI's entry imports
// bullmq or ioredis (they come in by dynamic import only, with --executor bullmq or `baton worker`).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';

const SRC = path.join(ROOT, 'src');
// Static value imports and re-exports (not `import type`, not `import()`), over several lines too.
const STATIC_IMPORT = /^(?:import|export)\s+(?!type\s)(?:[\s\S]*?\s+from\s+)?'([^']+)'/gm;

function staticallyReached(entry: string): { files: Set<string>; packages: Map<string, string> } {
  const files = new Set<string>();
  const packages = new Map<string, string>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (files.has(file)) continue;
    files.add(file);
    for (const [, spec] of fs.readFileSync(file, 'utf8').matchAll(STATIC_IMPORT)) {
      if (spec!.startsWith('.')) queue.push(path.resolve(path.dirname(file), spec!.replace(/\.js$/, '.ts')));
      else packages.set(spec!, path.relative(SRC, file));
    }
  }
  return { files, packages };
}

describe('the CLI entry', () => {
  it('does not load bullmq or ioredis unless asked to', () => {
    const { files, packages } = staticallyReached(path.join(SRC, 'cli', 'main.ts'));
    expect(files.size).toBeGreaterThan(20); // the walk follows the imports
    expect(packages.has('commander')).toBe(true);
    expect([...packages].filter(([name]) => /^(bullmq|ioredis)/.test(name))).toEqual([]);
    expect([...files].filter((f) => f.includes(`${path.sep}remote${path.sep}`))).toEqual([]);
  });
});
