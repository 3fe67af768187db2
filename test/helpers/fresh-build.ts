// The e2e tests run bin/baton.js, which loads dist/: before any test, dist/ is rebuilt if a source is newer than it.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

function filesUnder(dir: string, ending: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith(ending)).sort();
}

const mtime = (file: string): number => fs.statSync(file).mtimeMs;

/** Why `<root>/dist` does not match `<root>/src` (a missing or older output, one whose source is gone); [] when fresh. */
export function staleBuild(root: string): string[] {
  const src = path.join(root, 'src');
  const dist = path.join(root, 'dist');
  const config = path.join(root, 'tsconfig.json');
  const reasons: string[] = [];
  const sources = filesUnder(src, '.ts').filter((f) => !f.endsWith('.d.ts'));
  for (const file of sources) {
    const output = path.join(dist, file.replace(/\.ts$/, '.js'));
    if (!fs.existsSync(output)) reasons.push(`dist/${file.replace(/\.ts$/, '.js')} is missing`);
    else if (mtime(output) < mtime(path.join(src, file))) reasons.push(`src/${file} is newer than its output`);
    else if (fs.existsSync(config) && mtime(output) < mtime(config)) reasons.push(`tsconfig.json is newer than dist/${file.replace(/\.ts$/, '.js')}`);
  }
  const known = new Set(sources.map((f) => f.replace(/\.ts$/, '.js')));
  for (const file of filesUnder(dist, '.js')) if (!known.has(file)) reasons.push(`dist/${file} has no source any more`);
  return reasons;
}

/** Rebuilds dist/ when it is stale (outputs of deleted sources are removed first); throws when the build fails. */
export function ensureFreshBuild(root: string, log: (line: string) => void = () => {}): void {
  const reasons = staleBuild(root);
  if (reasons.length === 0) return;
  log(`baton tests: dist/ is stale (${reasons[0]}${reasons.length > 1 ? `, and ${reasons.length - 1} more` : ''}); building`);
  for (const reason of reasons) {
    const orphan = /^dist\/(.+\.js) has no source any more$/.exec(reason)?.[1];
    if (orphan) for (const f of [orphan, `${orphan}.map`]) fs.rmSync(path.join(root, 'dist', f), { force: true });
  }
  const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  execFileSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.json')], { cwd: root, stdio: 'inherit' });
  const still = staleBuild(root);
  if (still.length > 0) throw new Error(`dist/ is still stale after tsc: ${still.join('; ')}`);
}
