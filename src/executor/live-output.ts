// Streams a subprocess's stdout/stderr into its log file (created on the first byte), through the secret masker and
// to onOutput when there are secrets or live output (keeping the raw stdout in memory when `output:` parses it).
import { StringDecoder } from 'node:string_decoder';
import type { Readable } from 'node:stream';
import type { LazyLog } from './logs.js';
import { StreamMasker } from './masking.js';
import { groupMembers } from './process-group.js';

/** After exit, how long to let pipes drain when leftovers may hold them open; without leftovers, how long at most. */
const DRAIN_WITH_LEFTOVERS_MS = 250;
const DRAIN_LIMIT_MS = 5000;
/** Pipes usually close within a tick of the exit: only past this is the group scanned for leftovers holding them. */
const DRAIN_QUICK_MS = 20;

export interface LivePump {
  /** Resolves when the pipe closed (every writer, including leftovers, is gone). */
  closed: Promise<void>;
  isClosed(): boolean;
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

/** Each chunk is written as it comes (synchronously): what was read is on disk even if baton is killed next. */
export function pumpStream(
  stream: Readable,
  log: LazyLog,
  name: 'stdout' | 'stderr',
  secrets: string[],
  onOutput?: (stream: 'stdout' | 'stderr', text: string) => void,
  capture?: RawCapture,
): LivePump {
  // No secrets, no live output: the bytes go to the log as they are, undecoded.
  const raw = !secrets.some((s) => s !== '') && onOutput === undefined;
  const decoder = new StringDecoder('utf8');
  const masker = new StreamMasker(secrets);
  let finished = false;
  let isClosed = false;
  const emit = (text: string): void => {
    if (text === '') return;
    log.write(text); // a full disk costs log lines, not the run
    try {
      onOutput?.(name, text);
    } catch {
      /* live output is best effort; a throw in this stream handler would crash baton */
    }
  };
  stream.on('data', (chunk: Buffer | string) => {
    if (finished) return;
    capture?.add(chunk);
    if (raw) log.write(chunk);
    else emit(masker.push(typeof chunk === 'string' ? chunk : decoder.write(chunk)));
  });
  // Errors (e.g. the pipe destroyed under a leftover writer) only end the stream early.
  stream.on('error', () => {});
  const closed = new Promise<void>((resolve) => {
    if (stream.closed) resolve();
    else stream.once('close', () => resolve());
  }).then(() => {
    isClosed = true;
  });
  return {
    closed,
    isClosed: () => isClosed || stream.closed,
    finish(): void {
      if (finished) return;
      finished = true;
      stream.destroy();
      if (!raw) emit(masker.push(decoder.end()) + masker.flush());
      log.close();
    },
  };
}

/**
 * After the process exited, lets the pipes deliver what it wrote, then finishes the pumps. A pipe still open past a
 * moment is held by leftovers (a background child): then the wait is short, else up to DRAIN_LIMIT_MS.
 */
export async function drain(pumps: LivePump[], pgid: number): Promise<void> {
  if (pumps.length === 0) return;
  const allClosed = Promise.all(pumps.map((pump) => pump.closed));
  const within = (ms: number): Promise<void> => {
    let timer: NodeJS.Timeout | undefined;
    return Promise.race([allClosed.then(() => undefined), new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]).finally(() => clearTimeout(timer));
  };
  if (!pumps.every((pump) => pump.isClosed())) {
    await within(DRAIN_QUICK_MS);
    if (!pumps.every((pump) => pump.isClosed())) await within((groupMembers(pgid).length === 0 ? DRAIN_LIMIT_MS : DRAIN_WITH_LEFTOVERS_MS) - DRAIN_QUICK_MS);
  }
  for (const pump of pumps) pump.finish();
}
