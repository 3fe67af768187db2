// Safe reads inside a run folder for URLs: run ids must name a real run folder (no link), files must stay inside it.
import fs from 'node:fs';
import path from 'node:path';
import { isValidRunId } from '../store/index.js';
import { HttpError } from './http.js';

/** Instance keys as the engine writes them: ids, `[n]` body indexes, `.` and `/` separators. */
const KEY = /^[A-Za-z_][A-Za-z0-9_-]*(?:\[\d+\])?(?:[./][A-Za-z_][A-Za-z0-9_-]*(?:\[\d+\])?)*$/;

export function checkKey(key: string): void {
  if (key.length > 2000 || !KEY.test(key)) throw new HttpError(400, `not an instance key: ${JSON.stringify(key.slice(0, 100))}`);
}

/** The folder of run `id`: a valid id, a real folder (not a symbolic link) right under runs/, with a state.json. */
export function runFolder(stateDir: string, id: string): string {
  if (!isValidRunId(id)) throw new HttpError(400, `not a run id: ${JSON.stringify(id.slice(0, 100))}`);
  const dir = path.join(stateDir, 'runs', id);
  try {
    if (!fs.lstatSync(dir).isDirectory() || !fs.lstatSync(path.join(dir, 'state.json')).isFile()) throw new Error('not a run');
  } catch {
    throw new HttpError(404, `no run ${id}`);
  }
  return dir;
}

const READ_NO_FOLLOW = fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW;

/** A descriptor of a regular file recorded relative to the run folder; null for a path leading out of it, or a link. */
function openInside(runDir: string, relative: string): number | null {
  const file = path.resolve(runDir, relative);
  if (!file.startsWith(runDir + path.sep)) return null;
  let fd: number;
  try {
    // The folders on the way must not lead out of the run folder either.
    if (!fs.realpathSync(path.dirname(file)).startsWith(fs.realpathSync(runDir) + path.sep) && path.dirname(file) !== runDir) return null;
    fd = fs.openSync(file, READ_NO_FOLLOW);
  } catch {
    return null;
  }
  if (fs.fstatSync(fd).isFile()) return fd;
  fs.closeSync(fd);
  return null;
}

/**
 * The last `maxBytes` of a file recorded relative to the run folder (or, with `from`, what lies past that offset); a
 * path leading out of it, or a link, reads as empty.
 */
export function readRunFile(runDir: string, relative: string, maxBytes: number, from?: number): { text: string; bytes: number; truncated: boolean } {
  const fd = openInside(runDir, relative);
  if (fd === null) return { text: '', bytes: 0, truncated: false };
  try {
    const size = fs.fstatSync(fd).size;
    const length = from !== undefined ? Math.max(0, size - from) : Math.min(size, maxBytes);
    const buffer = Buffer.allocUnsafe(length);
    const read = fs.readSync(fd, buffer, 0, length, from ?? size - length);
    if (from !== undefined) return { text: buffer.subarray(0, read).toString('utf8'), bytes: size, truncated: false };
    let text = buffer.subarray(0, read).toString('utf8');
    // A character cut at the start of a tail is dropped rather than garbled.
    if (size > length) text = text.replace(/^\uFFFD+/, '');
    return { text, bytes: size, truncated: size > length };
  } finally {
    fs.closeSync(fd);
  }
}

/** The first `length` bytes of a file in the run folder (fewer if it is shorter), under the same rules as readRunFile. */
export function readRunBytes(runDir: string, relative: string, length: number): Buffer {
  const fd = openInside(runDir, relative);
  if (fd === null) return Buffer.alloc(0);
  try {
    const buffer = Buffer.allocUnsafe(Math.min(length, fs.fstatSync(fd).size));
    return buffer.subarray(0, fs.readSync(fd, buffer, 0, buffer.length, 0));
  } finally {
    fs.closeSync(fd);
  }
}
