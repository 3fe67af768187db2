// Where the UI's files are: the front end's folder (src/ui/web, shipped as is) and the view libraries' ESM builds.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package root: this file is src/ui/paths.ts or dist/ui/paths.js, two folders down either way. */
const PACKAGE_ROOT = fileURLToPath(new URL('../..', import.meta.url));

export const WEB_DIR = path.join(PACKAGE_ROOT, 'src', 'ui', 'web');
export const BIN_FILE = path.join(PACKAGE_ROOT, 'bin', 'baton.js');

const require = createRequire(import.meta.url);

/** `/vendor/<name>` → the file served; resolved through node_modules so a hoisted install works too. */
export function vendorFiles(): Map<string, string> {
  const preactDir = path.dirname(require.resolve('preact/package.json'));
  const htmDir = path.dirname(require.resolve('htm'));
  return new Map([
    ['preact.mjs', path.join(preactDir, 'dist', 'preact.mjs')],
    ['preact-hooks.mjs', path.join(preactDir, 'hooks', 'dist', 'hooks.mjs')],
    ['htm.mjs', path.join(htmDir, 'htm.mjs')],
  ]);
}
