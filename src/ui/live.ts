// Live updates: one follower per watched run (its journal and its running attempts' logs, read by offset) shared by
// every page that follows it, and the runs list re-scanned while any page shows it.
import fs from 'node:fs';
import path from 'node:path';
import { LogHtml } from './log-html.js';
import { HttpError } from './http.js';
import { runFolder } from './run-files.js';
import type { RunsFeed, RunRow } from './runs-feed.js';
import { HEARTBEAT_MS, type SseClient } from './sse.js';

/** fs.watch misses events on some file systems (network, overlay): a slow poll backs it up. */
const POLL_MS = 500;
const READ_CHUNK = 1024 * 1024;
const READ_NO_FOLLOW = fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW;

/** Reads what a file gained past `offset` (up to a chunk), never through a link; null if it cannot be read. */
function readFrom(file: string, offset: number): Buffer | null {
  let fd: number;
  try {
    fd = fs.openSync(file, READ_NO_FOLLOW);
  } catch {
    return null;
  }
  try {
    const size = fs.fstatSync(fd).size;
    if (size <= offset) return Buffer.alloc(0);
    const buffer = Buffer.alloc(Math.min(size - offset, READ_CHUNK));
    return buffer.subarray(0, fs.readSync(fd, buffer, 0, buffer.length, offset));
  } finally {
    fs.closeSync(fd);
  }
}

interface LogStream {
  file: string;
  offset: number;
  /** Where the text not yet pushed starts: a page that has the file up to another offset has a gap (or an overlap). */
  sent: number;
  decoder: TextDecoder;
  html: LogHtml;
}

interface RunningAttempt {
  key: string;
  attempt: number;
  /** The log files as the journal names them (relative to the run folder). */
  logs: unknown[];
  /** Made when first read: a journal being caught up names thousands of attempts that already ended. */
  streams: LogStream[] | null;
}

/** Watches a folder (and polls): calls `tick` on any change; `close` stops both. */
function watchFolders(dirs: string[], tick: () => void): () => void {
  const watchers: fs.FSWatcher[] = [];
  // A busy run changes its folder many times a millisecond: one read per burst.
  let pending = false;
  const soon = (): void => {
    if (pending) return;
    pending = true;
    setTimeout(() => {
      pending = false;
      tick();
    }, 20).unref();
  };
  for (const dir of dirs) {
    try {
      watchers.push(fs.watch(dir, soon).on('error', () => undefined));
    } catch {
      /* not there yet, or not watchable: the poll covers it */
    }
  }
  const timer = setInterval(tick, POLL_MS);
  timer.unref();
  return () => {
    clearInterval(timer);
    for (const w of watchers) w.close();
  };
}

/** Where a follower sends its events: a page's own stream, or one run's share of a multiplexed stream. */
interface EventSink {
  send(event: string, data: unknown, id?: number): void;
  whenClosed(fn: () => void): void;
}

/** Most runs one multiplexed stream may carry. */
export const MAX_STREAM_RUNS = 50;

class RunFollower {
  private readonly clients = new Set<EventSink>();
  /** Byte offset where each journal line starts: line n (1-based) starts at lineStarts[n - 1]. */
  private readonly lineStarts: number[] = [];
  private offset = 0;
  private partial = Buffer.alloc(0);
  private readonly running = new Map<string, RunningAttempt>();
  private readonly stop: () => void;
  private readonly journal: string;

  constructor(private readonly dir: string) {
    this.journal = path.join(dir, 'events.jsonl');
    // Catch up silently: the page has the state; only what comes next is pushed (and what it asks for by id).
    this.readJournal(false);
    for (const attempt of this.running.values()) for (const s of this.streamsOf(attempt)) s.offset = s.sent = sizeOf(s.file);
    this.stop = watchFolders([dir, path.join(dir, 'logs')], () => this.tick());
  }

  get size(): number {
    return this.clients.size;
  }

  /** Adds a page; first sends it the journal lines after `after` (its Last-Event-ID), if any. */
  add(client: EventSink, after: number | null): void {
    this.tick();
    if (after !== null && after < this.lineStarts.length) {
      const start = this.lineStarts[after]!;
      let at = start;
      let line = after;
      while (at < this.offset) {
        // Only up to where the follower has read: what lies past it is broadcast to every page at the next tick.
        const chunk = readFrom(this.journal, at)?.subarray(0, this.offset - at);
        if (!chunk || chunk.length === 0) break;
        const end = chunk.lastIndexOf(0x0a);
        if (end < 0) break;
        for (const text of chunk.subarray(0, end).toString('utf8').split('\n')) {
          line++;
          const event = parse(text);
          if (event) client.send('journal', { seq: event['seq'] ?? null, event }, line);
        }
        at += end + 1;
      }
    }
    this.clients.add(client);
    client.whenClosed(() => this.clients.delete(client));
  }

  close(): void {
    this.stop();
  }

  private tick(): void {
    this.readJournal(true);
    this.readLogs();
  }

  private broadcast(event: string, data: unknown, id?: number): void {
    for (const client of this.clients) client.send(event, data, id);
  }

  private readJournal(push: boolean): void {
    for (;;) {
      if (sizeOf(this.journal) < this.offset) this.restart();
      const chunk = readFrom(this.journal, this.offset);
      if (!chunk || chunk.length === 0) return;
      const data = this.partial.length > 0 ? Buffer.concat([this.partial, chunk]) : chunk;
      const base = this.offset - this.partial.length;
      // One byte per character: line ends are found in it, and only the lines needed are decoded as UTF-8.
      const bytes = data.toString('latin1');
      let start = 0;
      for (let nl = bytes.indexOf('\n'); nl !== -1; nl = bytes.indexOf('\n', start)) {
        this.lineStarts.push(base + start);
        const from = start;
        start = nl + 1;
        // Catching up only tracks the attempts: an event that says first it is of another type is not parsed.
        if (!push && bytes.startsWith('{"type":"', from) && !bytes.startsWith('{"type":"attempt_', from)) continue;
        const event = parse(data.subarray(from, nl).toString('utf8'));
        if (!event) continue;
        this.track(event, push);
        if (push) this.broadcast('journal', { seq: event['seq'] ?? null, event }, this.lineStarts.length);
      }
      this.partial = Buffer.from(data.subarray(start));
      this.offset += chunk.length;
    }
  }

  /** The journal was replaced (a run folder made anew): follow the new one from its start. */
  private restart(): void {
    this.offset = 0;
    this.partial = Buffer.alloc(0);
    this.lineStarts.length = 0;
    this.running.clear();
  }

  /** Keeps the attempts that are running now, whose appended log text is pushed (`push`: read an ending one's last text). */
  private track(event: Record<string, unknown>, push: boolean): void {
    const id = `${String(event['key'])}#${String(event['attempt'])}`;
    if (event['type'] === 'attempt_started') {
      this.running.set(id, { key: String(event['key']), attempt: Number(event['attempt']), logs: [event['stdout_log'], event['stderr_log']], streams: null });
    } else if (event['type'] === 'attempt_ended') {
      const attempt = this.running.get(id);
      // While catching up nobody listens: an attempt that already ended has nothing to push.
      if (attempt && push) this.readAttempt(attempt);
      this.running.delete(id);
    }
  }

  private readLogs(): void {
    for (const attempt of this.running.values()) this.readAttempt(attempt);
  }

  /** An attempt's log streams; a path that leads out of the run's logs folder is not followed. */
  private streamsOf(attempt: RunningAttempt): LogStream[] {
    attempt.streams ??= attempt.logs.flatMap((rel) => {
      if (typeof rel !== 'string') return [];
      const file = path.resolve(this.dir, rel);
      return file.startsWith(path.join(this.dir, 'logs') + path.sep) ? [{ file, offset: 0, sent: 0, decoder: new TextDecoder(), html: new LogHtml() }] : [];
    });
    return attempt.streams;
  }

  private readAttempt(attempt: RunningAttempt): void {
    if (this.clients.size === 0) {
      for (const s of this.streamsOf(attempt)) s.offset = s.sent = Math.max(s.offset, sizeOf(s.file));
      return;
    }
    for (const s of this.streamsOf(attempt)) {
      for (;;) {
        const chunk = readFrom(s.file, s.offset);
        if (!chunk || chunk.length === 0) break;
        s.offset += chunk.length;
        const html = s.html.push(s.decoder.decode(chunk, { stream: true }));
        if (html === '') continue;
        // `from`-`to`: the bytes of the file this text stands for (a sequence cut at a chunk's end comes with the next).
        this.broadcast('log', { key: attempt.key, attempt: attempt.attempt, stream: s.file.endsWith('stderr') ? 'stderr' : 'stdout', html, from: s.sent, to: s.offset });
        s.sent = s.offset;
      }
    }
  }
}

function sizeOf(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

function parse(text: string): Record<string, unknown> | null {
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

export class LiveHub {
  private readonly followers = new Map<string, RunFollower>();
  private readonly listClients = new Set<SseClient>();
  private readonly all = new Set<SseClient>();
  private stopList: (() => void) | null = null;
  private sent = new Map<string, string>();
  private readonly heartbeat: NodeJS.Timeout;

  constructor(
    private readonly stateDir: string,
    private readonly feed: RunsFeed,
  ) {
    this.heartbeat = setInterval(() => {
      for (const c of this.all) c.comment('heartbeat');
    }, HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  /** `/api/runs/<id>/live`: journal lines (after `after`, then as written) and running attempts' log text. */
  followRun(client: SseClient, id: string, after: number | null): void {
    this.track(client);
    this.attachRun(client, id, after);
  }

  /**
   * `/api/stream`: one connection for a whole browser. The runs list's events (when `list`), and each listed run's
   * `journal` and `log` events with `run` in their data; `id:` lists every run's journal line (`<run>:<line>,…`),
   * so a reconnection resumes them all. A run that does not exist gets one `missing` event (the others go on).
   */
  followMany(client: SseClient, ids: string[], after: Map<string, number>, list: boolean): void {
    this.track(client);
    const positions = new Map([...after].filter(([run]) => ids.includes(run)));
    const eventId = (): string => [...positions].map(([run, line]) => `${run}:${line}`).join(',');
    for (const run of ids) {
      const sink: EventSink = {
        send: (event, data, line) => {
          if (line !== undefined) positions.set(run, line);
          client.send(event, { run, ...(line !== undefined ? { line } : {}), ...(data as object) }, line !== undefined ? eventId() : undefined);
        },
        whenClosed: (fn) => client.whenClosed(fn),
      };
      try {
        this.attachRun(sink, run, positions.get(run) ?? null);
      } catch (err) {
        if (!(err instanceof HttpError) || err.status !== 404) throw err;
        client.send('missing', { run });
      }
    }
    if (list) this.followList(client);
  }

  private attachRun(client: EventSink, id: string, after: number | null): void {
    const dir = runFolder(this.stateDir, id);
    let follower = this.followers.get(id);
    if (!follower) {
      follower = new RunFollower(dir);
      this.followers.set(id, follower);
    }
    const f = follower;
    f.add(client, after);
    client.whenClosed(() => {
      if (f.size === 0 && this.followers.get(id) === f) {
        f.close();
        this.followers.delete(id);
      }
    });
  }

  /** `/api/live`: the whole list once (`runs`), then each row that changed (`run`) or went away (`remove`). */
  followList(client: SseClient): void {
    this.track(client);
    const rows = this.feed.scan();
    client.send('runs', { runs: rows });
    if (this.listClients.size === 0) {
      this.sent = new Map(rows.map((r) => [r.id, JSON.stringify(r)]));
      const runs = path.join(this.stateDir, 'runs');
      this.stopList = watchFolders([runs], () => this.scanList());
    }
    this.listClients.add(client);
    client.whenClosed(() => {
      this.listClients.delete(client);
      if (this.listClients.size === 0) {
        this.stopList?.();
        this.stopList = null;
      }
    });
  }

  close(): void {
    clearInterval(this.heartbeat);
    for (const c of [...this.all]) c.close();
    for (const f of this.followers.values()) f.close();
    this.followers.clear();
    this.stopList?.();
  }

  private track(client: SseClient): void {
    this.all.add(client);
    client.whenClosed(() => this.all.delete(client));
  }

  private scanList(): void {
    let rows: RunRow[];
    try {
      rows = this.feed.scan();
    } catch {
      return;
    }
    const seen = new Set<string>();
    for (const row of rows) {
      seen.add(row.id);
      const json = JSON.stringify(row);
      if (this.sent.get(row.id) === json) continue;
      this.sent.set(row.id, json);
      for (const c of this.listClients) c.send('run', row);
    }
    for (const id of [...this.sent.keys()]) {
      if (seen.has(id)) continue;
      this.sent.delete(id);
      for (const c of this.listClients) c.send('remove', { id });
    }
  }
}
