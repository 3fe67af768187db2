// Reading a user's file safely: only regular files (never /dev/zero or a pipe), and at most a fixed number of bytes.
import * as fs from 'node:fs';

/** Blueprints and input files may be at most this big; bigger ones are refused, not read. */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;

export type BoundedRead = { ok: true; bytes: Buffer } | { ok: false; problem: 'not-regular'; kind: string } | { ok: false; problem: 'too-large'; size: number };

/** Read `file` if it is a regular file of at most `maxBytes`; errno failures (ENOENT, EACCES, …) are thrown. */
export function readBoundedFile(file: string, maxBytes = MAX_FILE_BYTES): BoundedRead {
  const before = fs.statSync(file);
  if (!before.isFile()) return { ok: false, problem: 'not-regular', kind: fileKind(before) };
  if (before.size > maxBytes) return { ok: false, problem: 'too-large', size: before.size };
  // O_NONBLOCK: should the path have been swapped for a FIFO since the stat, opening it must not hang.
  const fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) return { ok: false, problem: 'not-regular', kind: fileKind(stat) };
    // Read up to one byte past the limit: a file that grew since the stat is caught without reading all of it.
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(1 << 20, maxBytes + 1 - total));
      const n = fs.readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      chunks.push(chunk.subarray(0, n));
      total += n;
      if (total > maxBytes) return { ok: false, problem: 'too-large', size: Math.max(total, fs.fstatSync(fd).size) };
    }
    return { ok: true, bytes: Buffer.concat(chunks, total) };
  } finally {
    fs.closeSync(fd);
  }
}

/** What a non-regular file is, for messages. */
function fileKind(stat: fs.Stats): string {
  if (stat.isDirectory()) return 'a directory';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isFIFO()) return 'a named pipe';
  if (stat.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** A byte count for messages: `10 MiB` for whole mebibytes, else the exact count (`10,485,772 bytes`). */
export function formatBytes(bytes: number): string {
  const mib = 1024 * 1024;
  return bytes % mib === 0 && bytes > 0 ? `${bytes / mib} MiB` : `${bytes.toLocaleString('en-US')} bytes`;
}
