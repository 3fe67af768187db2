// Log files of an attempt: cleared before it starts, created on their first byte, read back (tails, capped wholes).
import { closeSync, constants, fstatSync, lstatSync, mkdirSync, openSync, readSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { CapturedTail } from './types.js';
import { maskText } from './masking.js';

const TAIL_BYTES = 64 * 1024;
export const OUTPUT_CAP_BYTES = 16 * 1024 * 1024;

/** Does `action` on a file, creating its parent dirs only if they are missing: mkdir on every attempt costs syscalls. */
function inParentDir<T>(path: string, action: () => T): T {
  try {
    return action();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    mkdirSync(dirname(path), { recursive: true });
    return action();
  }
}

/** `w`, but never through a symbolic link: a planted `logs/x.1.stdout -> ~/.bashrc` must not be truncated. */
const WRITE_NO_FOLLOW = constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW;
/** The same, continuing a log an attempt taken up again already wrote. */
const APPEND_NO_FOLLOW = constants.O_WRONLY | constants.O_CREAT | constants.O_APPEND | constants.O_NOFOLLOW;
/** `r`, never through a symbolic link (a planted one must not show another file as a task's log or output), nor blocking on a FIFO. */
const READ_NO_FOLLOW = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;

function refuseLink(path: string): Error {
  return new Error(`refusing to write through a symbolic link: ${path}`);
}

function openNoFollow(path: string, append = false): number {
  try {
    return openSync(path, append ? APPEND_NO_FOLLOW : WRITE_NO_FOLLOW, 0o666);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ELOOP') throw error;
    throw refuseLink(path);
  }
}

/**
 * Before an attempt starts, nothing may wait at its three paths: a symbolic link is refused (the task would write
 * its $BATON_OUTPUT through it), anything else is removed (a file is created only when the attempt writes). Its
 * $BATON_OUTPUT folder is made if missing, for the task to create the file in. Creates no file: a few lookups.
 */
export function clearAttemptFiles(files: { outputFile: string; stdoutPath: string; stderrPath: string }): void {
  const folder = dirname(files.outputFile);
  if (statSync(folder, { throwIfNoEntry: false }) === undefined) mkdirSync(folder, { recursive: true });
  for (const path of [files.outputFile, files.stdoutPath, files.stderrPath]) {
    const found = lstatSync(path, { throwIfNoEntry: false });
    if (found === undefined) continue;
    if (found.isSymbolicLink()) throw refuseLink(path);
    unlinkSync(path);
  }
}

/** A log file opened (folders made, truncated, never through a link) when its first byte comes: no output, no file. */
export class LazyLog {
  private fd: number | null = null;
  private failed = false;

  /** `append`: continue the file (an attempt taken up again) instead of starting it anew. */
  constructor(readonly path: string, private readonly append = false) {}

  /** Appends; a log that cannot be written (a full disk, a link planted meanwhile) costs its lines, not the attempt. */
  write(data: string | Buffer): void {
    if (data.length === 0 || this.failed) return;
    try {
      this.fd ??= inParentDir(this.path, () => openNoFollow(this.path, this.append));
      const bytes = typeof data === 'string' ? Buffer.from(data) : data;
      for (let done = 0; done < bytes.length; ) done += writeSync(this.fd, bytes, done);
    } catch {
      this.failed = this.fd === null;
    }
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}

/**
 * Reads a regular file whole or its last `fromEnd` bytes, with one open; `limit`: a file over it is not read
 * ('too big'). A missing file, a symbolic link or anything but a regular file reads as nothing.
 */
function readRange(path: string, fromEnd: number | null, limit = Infinity): { bytes: Buffer; size: number } | 'too big' | null {
  let fd: number;
  try {
    fd = openSync(path, READ_NO_FOLLOW);
  } catch {
    return null; // missing (the attempt wrote nothing), a link, or its folder is not one
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) return null;
    const size = stat.size;
    if (size > limit) return 'too big';
    const start = fromEnd === null ? 0 : Math.max(0, size - fromEnd);
    const bytes = Buffer.alloc(size - start);
    let done = 0;
    while (done < bytes.length) {
      const n = readSync(fd, bytes, done, bytes.length - done, start + done);
      if (n === 0) break;
      done += n;
    }
    return { bytes: bytes.subarray(0, done), size };
  } finally {
    closeSync(fd);
  }
}

/** A log file whole, as text: a missing file, a symbolic link or anything but a regular file reads as ''. */
export function readLogFile(path: string): string {
  const read = readRange(path, null);
  return read === null || read === 'too big' ? '' : read.bytes.toString('utf8');
}

/** Last 64 KiB of a log, masked; a UTF-8 character cut at the start is dropped rather than garbled. */
export function readTail(path: string, secrets: string[]): CapturedTail {
  const read = readRange(path, TAIL_BYTES);
  if (read === null || read === 'too big') return { text: '', truncated: false };
  let bytes = read.bytes;
  const truncated = read.size > TAIL_BYTES;
  if (truncated) {
    let skip = 0;
    while (skip < bytes.length && skip < 4 && ((bytes[skip] as number) & 0xc0) === 0x80) skip++;
    bytes = bytes.subarray(skip);
  }
  return { text: maskText(bytes.toString('utf8'), secrets), truncated };
}

/** Whole file as text, or 'too big' past the 16 MiB cap; a missing file reads as empty. */
export function readCapped(path: string): { text: string } | 'too big' {
  const read = readRange(path, null, OUTPUT_CAP_BYTES);
  if (read === 'too big') return read;
  return { text: read === null ? '' : read.bytes.toString('utf8') };
}
