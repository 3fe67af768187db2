// Piped mode: streams a subprocess's stdout/stderr through the secret masker into its log file and onOutput
// (keeping the raw stdout in memory when `output:` parses it).
import { writeSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import type { Readable } from 'node:stream';
import { StreamMasker } from './masking.js';

export interface LivePump {
  /** Resolves when the pipe closed (every writer, including leftovers, is gone). */
  closed: Promise<void>;
  /** Stop reading and write out what the masker still holds back. */
  finish(): void;
}

/** The raw bytes of a stream, kept (up to a cap) for `output:` to parse before anything is masked. */
export class RawCapture {
  private chunks: Buffer[] = [];
  private size = 0;
  private over = false;

  constructor(private readonly cap: number) {}

  add(chunk: Buffer | string): void {
    if (this.over) return;
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    this.size += bytes.length;
    if (this.size > this.cap) {
      this.over = true;
      this.chunks = [];
    } else {
      this.chunks.push(bytes);
    }
  }

  /** The whole text, or 'too big' past the cap. */
  read(): { text: string } | 'too big' {
    return this.over ? 'too big' : { text: Buffer.concat(this.chunks).toString('utf8') };
  }
}

export function pumpStream(
  stream: Readable,
  logFd: number,
  name: 'stdout' | 'stderr',
  secrets: string[],
  onOutput?: (stream: 'stdout' | 'stderr', text: string) => void,
  capture?: RawCapture,
): LivePump {
  const decoder = new StringDecoder('utf8');
  const masker = new StreamMasker(secrets);
  let finished = false;
  const emit = (text: string): void => {
    if (text === '') return;
    // This runs in a stream event handler, where a throw would crash baton: a full disk or a throwing
    // listener costs log lines, not the run.
    try {
      writeSync(logFd, text);
    } catch {
      /* log write failed (e.g. ENOSPC) */
    }
    try {
      onOutput?.(name, text);
    } catch {
      /* live output is best effort */
    }
  };
  stream.on('data', (chunk: Buffer | string) => {
    if (finished) return;
    capture?.add(chunk);
    emit(masker.push(typeof chunk === 'string' ? chunk : decoder.write(chunk)));
  });
  // Errors (e.g. the pipe destroyed under a leftover writer) only end the stream early.
  stream.on('error', () => {});
  const closed = new Promise<void>((resolve) => {
    if (stream.closed) resolve();
    else stream.once('close', () => resolve());
  });
  return {
    closed,
    finish(): void {
      if (finished) return;
      finished = true;
      stream.destroy();
      emit(masker.push(decoder.end()) + masker.flush());
    },
  };
}
