// Creating a folder and its missing parents, one level at a time: Node's recursive mkdir spins forever under /proc.
import fs from 'node:fs';
import path from 'node:path';
import { BatonError, EXIT } from '../errors/exit.js';
import { hasErrno } from './errors.js';

/** A folder could not be made; `message` says which ancestor is at fault (a file where a folder should be: the user's to fix). */
export class EnsureDirError extends BatonError {
  readonly exitCode = EXIT.usage;

  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

/**
 * mkdir -p `dir`: finds the deepest existing ancestor, checks it is a folder, then creates each missing level once.
 * `fs.mkdirSync(dir, { recursive: true })` retries forever when mkdir answers ENOENT though the parent exists (/proc/x/y).
 */
export function ensureDir(dir: string): void {
  const missing: string[] = [];
  let current = path.resolve(dir);
  for (;;) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(current);
    } catch (err) {
      const parent = path.dirname(current);
      if (!(hasErrno(err, 'ENOENT') || hasErrno(err, 'ENOTDIR')) || parent === current) throw err; // ENOTDIR: a file above
      missing.push(current);
      current = parent;
      continue;
    }
    if (!stat.isDirectory()) throw new EnsureDirError(`${current} is not a folder`, 'ENOTDIR');
    break;
  }
  for (const level of missing.reverse()) {
    try {
      fs.mkdirSync(level);
    } catch (err) {
      if (hasErrno(err, 'EEXIST') && fs.statSync(level).isDirectory()) continue; // made meanwhile by another baton
      if (hasErrno(err, 'ENOENT')) throw new EnsureDirError(`${path.dirname(level)} does not accept new folders`, 'ENOENT');
      throw err;
    }
  }
}
