// events.jsonl: parsing with crash recovery (a cut last line), and the append-only writer.
import fs from 'node:fs';
import { StoreError, ioError } from './errors.js';

const NEWLINE = 0x0a;

export interface ParsedJournal {
  /** Every whole event in the file, in order. */
  events: Record<string, unknown>[];
  /** The line number of each event in `events`, for messages. */
  lines: number[];
  /** Byte length of the file up to and including the last whole event's newline. */
  wholeBytes: number;
  /** Set when a last line cut by a crash was dropped. */
  droppedPartialLine: boolean;
}

function parseLine(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
    return value as Record<string, unknown>;
  } catch {
    return null;
  }
}

/** Parse the journal bytes; only the LAST line may be damaged (a crash mid-write), anything else is corruption. */
export function parseJournal(data: Buffer, file: string): ParsedJournal {
  const events: Record<string, unknown>[] = [];
  const lines: number[] = [];
  let wholeBytes = 0;
  let droppedPartialLine = false;
  let lineStart = 0;
  let lineNumber = 0;
  while (lineStart < data.length) {
    lineNumber++;
    const newline = data.indexOf(NEWLINE, lineStart);
    const lineEnd = newline === -1 ? data.length : newline;
    const isLast = newline === -1 || newline === data.length - 1;
    const text = data.subarray(lineStart, lineEnd).toString('utf8');
    lineStart = lineEnd + 1;
    if (newline === -1) {
      // Every event is written together with its newline, so a line without one was cut by a crash.
      droppedPartialLine = true;
      break;
    }
    if (text.trim() === '') {
      wholeBytes = lineStart;
      continue;
    }
    const event = parseLine(text);
    if (event === null) {
      if (isLast) {
        droppedPartialLine = true;
        break;
      }
      throw new StoreError('corrupt', `${file}: line ${lineNumber} is not a valid JSON event`, file);
    }
    const seq = event['seq'];
    if (typeof seq !== 'number' || !Number.isInteger(seq) || seq < 1) {
      throw new StoreError('corrupt', `${file}: line ${lineNumber} has no valid "seq"`, file);
    }
    const previous = events[events.length - 1];
    if (previous !== undefined && seq !== (previous['seq'] as number) + 1) {
      throw new StoreError(
        'corrupt',
        `${file}: line ${lineNumber} has event ${seq} after event ${String(previous['seq'])} (events must be consecutive)`,
        file,
      );
    }
    events.push(event);
    lines.push(lineNumber);
    wholeBytes = lineStart;
  }
  return { events, lines, wholeBytes, droppedPartialLine };
}

/** Check the journal joins up with the snapshot: no events missing between them. */
export function checkJournalAgainstSnapshot(events: Record<string, unknown>[], snapshotSeq: number, file: string): void {
  const first = events[0];
  const last = events[events.length - 1];
  if (first === undefined || last === undefined) return;
  const firstSeq = first['seq'] as number;
  const lastSeq = last['seq'] as number;
  if (firstSeq > snapshotSeq + 1) {
    throw new StoreError('corrupt', `${file} starts at event ${firstSeq} but state.json stops at event ${snapshotSeq}`, file);
  }
  if (lastSeq < snapshotSeq) {
    throw new StoreError('corrupt', `${file} ends at event ${lastSeq} but state.json already includes event ${snapshotSeq}`, file);
  }
}

/** Appends queued lines to the journal with one write() per flush; tracks the file size it expects. */
export class JournalWriter {
  private fd: number | null = null;
  private queue: string[] = [];

  constructor(
    readonly file: string,
    /** Bytes the file holds (as far as this writer knows). */
    public size: number,
  ) {}

  enqueue(line: string): void {
    this.queue.push(line);
  }

  get pending(): number {
    return this.queue.length;
  }

  private open(): number {
    if (this.fd === null) {
      try {
        this.fd = fs.openSync(this.file, 'a');
      } catch (err) {
        throw ioError(err, 'opening', this.file);
      }
    }
    return this.fd;
  }

  flush(): void {
    if (this.queue.length === 0) return;
    const fd = this.open();
    const data = Buffer.from(this.queue.join(''), 'utf8');
    let written = 0;
    try {
      // One write() in practice; the loop only matters for a short write.
      while (written < data.length) written += fs.writeSync(fd, data, written, data.length - written);
    } catch (err) {
      // Cut off what a failed write left, so the next write does not glue onto half a line.
      if (written > 0) {
        try {
          fs.ftruncateSync(fd, this.size);
        } catch {
          // The partial line will be dropped as a crash remnant on the next open.
        }
      }
      throw ioError(err, 'writing', this.file);
    }
    this.size += data.length;
    this.queue = [];
  }

  sync(): void {
    if (this.fd === null) return;
    try {
      fs.fsyncSync(this.fd);
    } catch (err) {
      throw ioError(err, 'syncing', this.file);
    }
  }

  /** Cut the file back to `length` bytes (dropping a crash remnant) and make that durable. */
  truncate(length: number): void {
    const fd = this.open();
    try {
      fs.ftruncateSync(fd, length);
      fs.fsyncSync(fd);
    } catch (err) {
      throw ioError(err, 'repairing', this.file);
    }
    this.size = length;
  }

  close(): void {
    if (this.fd === null) return;
    const fd = this.fd;
    this.fd = null;
    try {
      fs.closeSync(fd);
    } catch (err) {
      throw ioError(err, 'closing', this.file);
    }
  }
}

/** How far back from the journal's end the tail readers look: a waiting run appends nothing after saying so. */
const TAIL_BYTES = 64 * 1024;

/** The journal's last whole lines (at most TAIL_BYTES of them), oldest first; null when the file cannot be read. */
function tailLines(file: string): { lines: string[]; endsWhole: boolean; size: number } | null {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch {
    return null;
  }
  try {
    const size = fs.fstatSync(fd).size;
    const start = Math.max(0, size - TAIL_BYTES);
    const bytes = Buffer.alloc(size - start);
    fs.readSync(fd, bytes, 0, bytes.length, start);
    const lines = bytes.toString('utf8').split('\n');
    if (start > 0) lines.shift(); // cut by where the tail begins
    const endsWhole = lines.pop() === '';
    return { lines, endsWhole, size };
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * The run status the journal's tail last recorded (`run_status` or `run_ended`), or null when the tail has none.
 * For listing live runs without replaying the whole journal: state.json is only rewritten when a driver stops.
 */
export function lastRunStatus(file: string): string | null {
  const tail = tailLines(file);
  if (tail === null) return null;
  for (let i = tail.lines.length - 1; i >= 0; i--) {
    const line = tail.lines[i] as string;
    if (!line.includes('"run_status"') && !line.includes('"run_ended"')) continue;
    try {
      const event = JSON.parse(line) as { type?: unknown; status?: unknown };
      if ((event.type === 'run_status' || event.type === 'run_ended') && typeof event.status === 'string') return event.status;
    } catch {
      // a line cut by a crash, or a task output that merely mentions the words
    }
  }
  return null;
}

/** The journal's last event's seq (and the size read) when its tail ends with a whole event; else null (a cut line, a huge event). */
export function lastJournalSeq(file: string): { seq: number; size: number } | null {
  const tail = tailLines(file);
  const last = tail?.endsWhole ? tail.lines[tail.lines.length - 1] : undefined;
  if (tail === null || last === undefined) return null;
  try {
    const seq = (JSON.parse(last) as { seq?: unknown }).seq;
    return typeof seq === 'number' && Number.isInteger(seq) ? { seq, size: tail.size } : null;
  } catch {
    return null;
  }
}
