// Copies attempts' log files to our stdout/stderr from where it last stopped: once (`logs`) or again at each wake (`logs --follow`).
import fs from 'node:fs';

export interface LogSource {
  /** Absolute path of the log file. */
  file: string;
  stream: 'stdout' | 'stderr';
  /** `[key]` label put before each line; absent: bytes are copied as they are. */
  prefix?: string;
}

const CHUNK_BYTES = 64 * 1024;
/** Never through a symbolic link planted at a log's name, nor blocking on a FIFO there. */
const READ_NO_FOLLOW = fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK;

interface Tracked {
  source: LogSource;
  offset: number;
  /** Prefixed sources hold back a line until its newline arrives. */
  partial: string;
  decoder: TextDecoder;
}

export class LogTailer {
  private readonly tracked = new Map<string, Tracked>();

  constructor(private readonly out: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream }) {}

  /** Starts copying a file (from its beginning); a file already tracked is left as it is. */
  add(source: LogSource): void {
    if (this.tracked.has(source.file)) return;
    this.tracked.set(source.file, { source, offset: 0, partial: '', decoder: new TextDecoder('utf-8') });
  }

  has(file: string): boolean {
    return this.tracked.has(file);
  }

  /** Copies what every tracked file gained since the last call, in the order the files were added. */
  drain(): void {
    for (const entry of this.tracked.values()) this.readNew(entry);
  }

  /** Writes held-back partial lines (the run is over: no newline is coming). */
  flush(): void {
    for (const entry of this.tracked.values()) {
      const rest = entry.partial + entry.decoder.decode();
      entry.partial = '';
      if (rest !== '') this.write(entry.source, `${entry.source.prefix ?? ''}${rest}\n`);
    }
  }

  private readNew(entry: Tracked): void {
    let fd: number;
    try {
      fd = fs.openSync(entry.source.file, READ_NO_FOLLOW);
    } catch {
      return; // Not created yet (the attempt wrote nothing so far: files appear on their first byte): nothing to copy now.
    }
    try {
      if (!fs.fstatSync(fd).isFile()) return;
      const buffer = Buffer.alloc(CHUNK_BYTES);
      for (;;) {
        const n = fs.readSync(fd, buffer, 0, CHUNK_BYTES, entry.offset);
        if (n === 0) break;
        entry.offset += n;
        this.emit(entry, entry.decoder.decode(buffer.subarray(0, n), { stream: true }));
      }
    } finally {
      fs.closeSync(fd);
    }
  }

  private emit(entry: Tracked, text: string): void {
    const { source } = entry;
    if (source.prefix === undefined) {
      if (text !== '') this.write(source, text);
      return;
    }
    const lines = (entry.partial + text).split('\n');
    entry.partial = lines.pop() ?? '';
    if (lines.length > 0) this.write(source, lines.map((l) => `${source.prefix}${l.replace(/\r$/, '')}\n`).join(''));
  }

  private write(source: LogSource, text: string): void {
    (source.stream === 'stdout' ? this.out.stdout : this.out.stderr).write(text);
  }
}
