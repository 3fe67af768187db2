// Log files of an attempt: create them, read back their 64 KiB tails and (capped) whole contents.
import { closeSync, constants, fstatSync, mkdirSync, openSync, readSync, statSync } from 'node:fs';
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

function openNoFollow(path: string): number {
  try {
    return openSync(path, WRITE_NO_FOLLOW, 0o666);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ELOOP') throw error;
    throw new Error(`refusing to write through a symbolic link: ${path}`);
  }
}

/** Create parent dirs and an empty (truncated) file. */
function createEmptyFile(path: string): void {
  closeSync(inParentDir(path, () => openNoFollow(path)));
}

/** Open a log for writing after creating its parent dirs; truncates. */
function openLog(path: string): number {
  return inParentDir(path, () => openNoFollow(path));
}

export type LogFds = [stdout: number, stderr: number];

/**
 * Creates an attempt's three files (truncated, folders made as needed): the $BATON_OUTPUT file is left empty and
 * closed; stdout and stderr come back open, to hand to the child or to write into. Nothing stays open on failure.
 */
export function openAttemptFiles(files: { outputFile: string; stdoutPath: string; stderrPath: string }): LogFds {
  createEmptyFile(files.outputFile);
  const stdoutFd = openLog(files.stdoutPath);
  try {
    return [stdoutFd, openLog(files.stderrPath)];
  } catch (error) {
    closeSync(stdoutFd);
    throw error;
  }
}

/**
 * Reads a file whole or its last `fromEnd` bytes, with one open; `limit`: a file over it is not read ('too big').
 * A missing or empty file costs one stat: most attempts write nothing, and every syscall counts in a fan-out.
 */
function readRange(path: string, fromEnd: number | null, limit = Infinity): { bytes: Buffer; size: number } | 'too big' | null {
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    return null; // missing, or its folder is not one: read as nothing, like a file that cannot be opened
  }
  if (size === 0) return { bytes: Buffer.alloc(0), size: 0 };
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return null;
  }
  try {
    size = fstatSync(fd).size;
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
