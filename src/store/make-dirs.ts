// `mkdir -p` that reports why it failed: Node's recursive mkdir says ENOENT when a missing parent cannot be created.
import fs from 'node:fs';
import path from 'node:path';
import { hasErrno } from './errors.js';

/**
 * Creates `dir` and its missing parents one level at a time, so the error thrown is the real one (EROFS on a
 * read-only file system, EACCES in a folder we may not write) and names the level that could not be made.
 */
export function makeDirs(dir: string): void {
  const missing: string[] = [];
  let level = path.resolve(dir);
  while (!fs.existsSync(level)) {
    missing.unshift(level);
    const parent = path.dirname(level);
    if (parent === level) break;
    level = parent;
  }
  for (const each of missing) {
    try {
      fs.mkdirSync(each);
    } catch (err) {
      if (!hasErrno(err, 'EEXIST')) throw err; // another process made it meanwhile
    }
  }
}
