// Reading a blueprint file's text: missing, directory, device, too big, unreadable, binary and non-UTF-8 files become one diagnostic each.
import { formatBytes, MAX_FILE_BYTES, readBoundedFile, type BoundedRead } from './bounded-read.js';
import { errorAt, fileError, type Diagnostic } from './diagnostics.js';

export type SourceRead = { ok: true; text: string } | { ok: false; diagnostic: Diagnostic; text?: string };

/** Read `file` as UTF-8 text; `display` is how the file is named in messages. */
export function readSourceFile(file: string, display: string): SourceRead {
  let read: BoundedRead;
  try {
    read = readBoundedFile(file);
  } catch (error) {
    return { ok: false, diagnostic: fileError(...readFailure(error, display), file) };
  }
  if (read.ok) return decodeSource(read.bytes, file, display);
  if (read.problem === 'too-large') {
    const message = `\`${display}\` is ${formatBytes(read.size)}: a blueprint may be at most ${formatBytes(MAX_FILE_BYTES)}`;
    return { ok: false, diagnostic: fileError('file-too-large', message, file) };
  }
  const message = read.kind === 'a directory' ? `\`${display}\` is a directory, not a blueprint file` : `\`${display}\` is ${read.kind}, not a regular file: a blueprint must be a file`;
  return { ok: false, diagnostic: fileError('not-a-file', message, file) };
}

function readFailure(error: unknown, display: string): [string, string] {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return ['file-not-found', `no such file: \`${display}\``];
  if (code === 'ENOTDIR') return ['file-not-found', `no such file: \`${display}\` (a parent is not a folder)`];
  if (code === 'EISDIR') return ['not-a-file', `\`${display}\` is a directory, not a blueprint file`];
  if (code === 'EACCES' || code === 'EPERM') return ['unreadable-file', `cannot read \`${display}\`: permission denied`];
  const reason = error instanceof Error ? error.message : String(error);
  return ['unreadable-file', `cannot read \`${display}\`: ${reason}`];
}

/** Decode bytes as UTF-8, rejecting NUL bytes (binary files) and invalid sequences at their position. */
function decodeSource(bytes: Uint8Array, file: string, display: string): SourceRead {
  const lenient = new TextDecoder('utf-8').decode(bytes);
  const nul = bytes.indexOf(0);
  if (nul >= 0) {
    const at = charOffset(bytes, nul);
    const where = lineColumn(lenient, at);
    const message = `\`${display}\` looks like a binary file, not YAML (NUL byte at line ${where.line}, column ${where.column})`;
    return { ok: false, diagnostic: errorAt('binary-file', message, { file, start: at, end: at + 1 }), text: lenient };
  }
  const bad = firstInvalidUtf8(bytes);
  if (bad >= 0) {
    const at = charOffset(bytes, bad);
    const where = lineColumn(lenient, at);
    const message = `\`${display}\` is not valid UTF-8 text (invalid byte 0x${(bytes[bad] ?? 0).toString(16).padStart(2, '0')} at line ${where.line}, column ${where.column})`;
    return { ok: false, diagnostic: errorAt('invalid-utf8', message, { file, start: at, end: at + 1 }), text: lenient };
  }
  const text = lenient.startsWith('\uFEFF') ? lenient.slice(1) : lenient;
  return { ok: true, text };
}

/** Offset of the first byte that starts an invalid UTF-8 sequence, or -1. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] ?? 0;
    const length = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (length === 0 || i + length > bytes.length) return i;
    for (let k = 1; k < length; k++) if (((bytes[i + k] ?? 0) & 0xc0) !== 0x80) return i;
    if (length > 1 && !decodesStrictly(bytes.subarray(i, i + length))) return i; // overlong forms, surrogates
    i += length;
  }
  return -1;
}

function decodesStrictly(sequence: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(sequence);
    return true;
  } catch {
    return false;
  }
}

/** Character offset (in the leniently decoded text) of byte `index`. */
function charOffset(bytes: Uint8Array, index: number): number {
  return new TextDecoder('utf-8').decode(bytes.subarray(0, index)).length;
}

/** 1-based line and column of a character offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === '\n') {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}
