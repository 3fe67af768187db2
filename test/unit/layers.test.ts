// The pipeline's layering, read from the imports of every file in src/: no folder imports a folder above it, the
// engine core is pure (no node: module), and the driver reaches the store and the executor only through its ports.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = path.resolve(__dirname, '../../src');

/** Lowest first: a file may import its own layer or one below it. Siblings share a rank. */
const RANK: [prefix: string, rank: number][] = [
  ['errors/', 0], // exit codes every layer's errors carry
  ['proc/', 0],
  ['expr/', 1],
  ['blueprint/', 2],
  ['engine/core/', 3],
  ['executor/', 4],
  ['store/', 4],
  ['engine/', 5], // the driver and its ports
  ['report/', 6],
  ['app/', 7],
  ['ui/', 7], // the web UI: a sibling of app/, its actions call the same app-layer functions the CLI commands call
  ['cli/', 8],
];

/** What the driver may call in the executor without a port: pure masking, and the shell command line of a `run:`. */
const DRIVER_EXECUTOR_VALUES = new Set(['maskEntries', 'maskText', 'maskValue', 'resolveShell']);

interface Import {
  from: string;
  /** The module, resolved to a path under src/ (null for packages and node: modules). */
  target: string | null;
  spec: string;
  typeOnly: boolean;
  /** Names imported as values (not `type X`). */
  values: string[];
}

function layer(file: string): { name: string; rank: number } {
  const found = RANK.find(([prefix]) => file.startsWith(prefix));
  if (!found) throw new Error(`${file} is in no layer: add its folder to RANK`);
  return { name: found[0], rank: found[1] };
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(full);
    return e.name.endsWith('.ts') ? [path.relative(SRC, full).split(path.sep).join('/')] : [];
  });
}

export function importsOf(file: string, text: string): Import[] {
  const out: Import[] = [];
  const re = /(?:^|\n)\s*(import|export)\s+(type\s+)?([^'";]*?)\s*from\s*'([^']+)'|import\(\s*'([^']+)'\s*\)/g;
  for (const m of text.matchAll(re)) {
    const spec = (m[4] ?? m[5])!;
    const typeOnly = m[2] !== undefined;
    const clause = m[3] ?? '';
    const braces = /\{([^}]*)\}/.exec(clause);
    const values = typeOnly
      ? []
      : [
          ...(braces ? braces[1]!.split(',').map((n) => n.trim()).filter((n) => n && !n.startsWith('type ')).map((n) => n.split(/\s+as\s+/)[0]!) : []),
          ...(clause.replace(/\{[^}]*\}/, '').split(',').map((n) => n.trim()).filter((n) => n && n !== '*')),
        ];
    const target = spec.startsWith('.') ? path.posix.normalize(path.posix.join(path.posix.dirname(file), spec)).replace(/\.js$/, '.ts') : null;
    out.push({ from: file, target, spec, typeOnly, values });
  }
  return out;
}

const files = sourceFiles(SRC);
const imports = files.flatMap((f) => importsOf(f, fs.readFileSync(path.join(SRC, f), 'utf8')));

describe('layers of src/ (blueprint → engine → executor/store → report → app → cli)', () => {
  it('reads the imports it checks', () => {
    expect(files.length).toBeGreaterThan(50);
    expect(imports.filter((i) => i.from === 'engine/driver/driver.ts' && i.target === 'engine/ports.ts')).toHaveLength(1);
  });

  it('no file imports a folder above its own', () => {
    const upward = imports
      .filter((i) => i.target !== null && layer(i.target).rank > layer(i.from).rank)
      .map((i) => `${i.from} imports ${i.spec}`);
    expect(upward).toEqual([]);
  });

  it('the engine core imports no node: module (time, chance and files come through the driver)', () => {
    const impure = imports
      .filter((i) => i.from.startsWith('engine/core/') && (i.spec.startsWith('node:') || i.target?.startsWith('engine/driver/') || i.target === 'engine/ports.ts'))
      .map((i) => `${i.from} imports ${i.spec}`);
    expect(impure).toEqual([]);
  });

  it('the engine reaches the store and the executor only through its ports', () => {
    const around = imports
      .filter((i) => i.from.startsWith('engine/') && !i.from.startsWith('engine/core/') && i.target !== null)
      .filter((i) => (i.target!.startsWith('store/') && i.values.length > 0) || (i.target!.startsWith('executor/') && i.values.some((v) => !DRIVER_EXECUTOR_VALUES.has(v))))
      .map((i) => `${i.from} imports ${i.values.join(', ')} from ${i.spec}`);
    expect(around).toEqual([]);
  });

  it('sees an upward import and a side door when there is one', () => {
    const [up] = importsOf('engine/driver/x.ts', "import type { Reporter } from '../../report/reporter.js';\n");
    expect(layer(up!.target!).rank).toBeGreaterThan(layer(up!.from).rank);
    const [door] = importsOf('engine/driver/x.ts', "import { execute, type ExecOutcome } from '../../executor/index.js';\n");
    expect(door!.values).toEqual(['execute']);
  });
});
