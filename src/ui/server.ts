// `baton ui`: an HTTP server (node:http) over the state folder: the SPA, its JSON API, live events and actions.
import { spawn } from 'node:child_process';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { BatonError } from '../errors/exit.js';
import { isValidRunId, StoreError } from '../store/index.js';
import { Actions } from './actions.js';
import { RunReader } from './api.js';
import { HttpError, readJsonBody, sendError, sendJson, sendJsonText } from './http.js';
import { LiveHub, MAX_STREAM_RUNS } from './live.js';
import { ansiCss } from './log-html.js';
import { filterRows, RunsFeed } from './runs-feed.js';
import { allowedHosts, checkAccess, checkAction, isLoopback, newSecret, SECURITY_HEADERS, type Guard } from './security.js';
import { SseClient } from './sse.js';
import { serveAsset, serveShell, serveVendor } from './static.js';

const VERSION = (createRequire(import.meta.url)('../../package.json') as { version: string }).version;

export interface UiOptions {
  host: string;
  port: number;
  stateDir: string;
  readOnly: boolean;
  /** The access token; null: none on loopback, one generated elsewhere. */
  token: string | null;
}

export interface UiServer {
  url: string;
  close(): Promise<void>;
}

/** The path's segments, each decoded once; anything that could climb out or smuggle a separator is refused. */
function pathSegments(rawUrl: string): string[] {
  const raw = rawUrl.split('?')[0] ?? '';
  if (!raw.startsWith('/') || /%2f|%5c|%00|\\|\0/i.test(raw)) throw new HttpError(400, 'bad path');
  const segments = raw.split('/').slice(1);
  return segments.map((s, i) => {
    let decoded: string;
    try {
      decoded = decodeURIComponent(s);
    } catch {
      throw new HttpError(400, 'bad path');
    }
    if (decoded === '..' || decoded === '.' || decoded.includes('\0') || decoded.includes('/') || (decoded === '' && i < segments.length - 1)) throw new HttpError(400, 'bad path');
    return decoded;
  });
}

export async function startUiServer(o: UiOptions): Promise<UiServer> {
  const token = o.token ?? (isLoopback(o.host) ? null : newSecret());
  const guard: Guard = { hosts: null, token, csrf: newSecret() };
  const reader = new RunReader(o.stateDir);
  const feed = new RunsFeed(o.stateDir, {
    liveState: (id) => {
      try {
        return reader.view(id).state;
      } catch {
        return null;
      }
    },
    // state.json is read once: a big run the list has read opens without reading it again.
    snapshotRead: (id, signature, snapshot, bytes) => reader.offer(id, signature, snapshot, bytes),
  });
  const hub = new LiveHub(o.stateDir, feed);
  const actions = new Actions(o.stateDir);

  const route = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const seg = pathSegments(req.url ?? '/');
    const method = req.method ?? 'GET';
    if (method === 'POST') {
      if (seg[0] !== 'api' || seg[1] !== 'runs' || seg.length !== 4) throw new HttpError(404, 'no such action');
      const refused = checkAction(guard, req);
      if (refused) throw new HttpError(403, refused);
      if (o.readOnly) throw new HttpError(403, 'this server is read-only (--read-only)');
      const id = seg[2]!;
      const body = await readJsonBody(req);
      switch (seg[3]) {
        case 'retry':
          return sendJson(res, 200, await actions.retry(id));
        case 'rerun':
          return sendJson(res, 200, await actions.rerun(id, body));
        case 'resume':
          return sendJson(res, 200, await actions.resume(id));
        case 'cancel':
          return sendJson(res, 200, await actions.cancel(id));
        case 'signal':
          return sendJson(res, 200, await actions.signal(id, body));
        default:
          throw new HttpError(404, 'no such action');
      }
    }
    if (method !== 'GET' && method !== 'HEAD') throw new HttpError(405, `${method} is not served`);
    const [first, second, third, fourth, fifth, sixth] = seg;
    const n = seg.length;
    if (n === 1 && first === '') return serveShell(req, res);
    if (first === 'runs' && second && (n === 2 || (n === 3 && third === 'blueprint') || (n === 4 && third === 'tasks' && fourth))) return serveShell(req, res);
    if (first === 'assets') return serveAsset(req, res, seg.slice(1));
    if (first === 'vendor' && n === 2 && second === 'ansi.css') {
      res.writeHead(200, { 'Content-Type': 'text/css; charset=utf-8', 'Cache-Control': 'no-cache' });
      return void res.end(ansiCss());
    }
    if (first === 'vendor' && n === 2) return serveVendor(req, res, second!);
    if (first !== 'api') throw new HttpError(404, 'not found');
    if (n === 2 && second === 'session') return sendJson(res, 200, { csrf: guard.csrf, readOnly: o.readOnly, version: VERSION });
    if (n === 2 && second === 'live') return hub.followList(new SseClient(req, res));
    if (n === 2 && second === 'stream') {
      const ids = streamRuns(url);
      return hub.followMany(new SseClient(req, res), ids, positions(req, url), url.searchParams.get('list') === '1');
    }
    if (second !== 'runs') throw new HttpError(404, 'not found');
    if (n === 2) {
      const runs = filterRows(feed.scan(), { status: url.searchParams.get('status'), workflow: url.searchParams.get('workflow'), q: url.searchParams.get('q') });
      return sendJson(res, 200, { runs });
    }
    const id = third!;
    if (n === 3) return sendJsonText(res, 200, await reader.run(id));
    if (n === 4 && fourth === 'blueprint') return sendJson(res, 200, reader.blueprint(id));
    if (n === 4 && fourth === 'live') return hub.followRun(new SseClient(req, res), id, afterLine(req, url));
    if (fourth === 'tasks' && fifth) {
      if (n === 5) return sendJson(res, 200, reader.task(id, fifth));
      if (n === 6 && sixth === 'log') return sendJson(res, 200, reader.log(id, fifth, url.searchParams.get('attempt')));
    }
    throw new HttpError(404, 'not found');
  };

  const server = http.createServer((req, res) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
    const url = new URL(`http://localhost${(req.url ?? '/').startsWith('/') ? req.url : '/'}`);
    const denied = checkAccess(guard, req, url, res);
    if (denied) return sendError(res, denied.status, denied.message);
    route(req, res, url).catch((err: unknown) => {
      if (err instanceof HttpError) return sendError(res, err.status, err.message);
      if (err instanceof StoreError) return sendError(res, err.code === 'not-found' ? 404 : 500, err.message);
      if (err instanceof BatonError) return sendError(res, 409, err.message);
      process.stderr.write(`baton ui: ${req.method} ${req.url}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      sendError(res, 500, 'internal error');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => resolve());
  });
  // The runs are read once now, not when the first page asks: opening the UI then shows them at once.
  setImmediate(() => {
    try {
      feed.scan();
    } catch {
      /* the first request reports it */
    }
  });
  const { port } = server.address() as AddressInfo;
  guard.hosts = allowedHosts(o.host, port);
  const shownHost = o.host.includes(':') && !o.host.startsWith('[') ? `[${o.host}]` : o.host;
  const url = `http://${shownHost}:${port}/${token ? `?token=${encodeURIComponent(token)}` : ''}`;
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        hub.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Where a reconnecting page left off: `Last-Event-ID`, or `?after=<line>` for a first connection. */
function afterLine(req: IncomingMessage, url: URL): number | null {
  const value = req.headers['last-event-id'] ?? url.searchParams.get('after');
  if (typeof value !== 'string' || !/^\d{1,12}$/.test(value)) return null;
  return Number(value);
}

/** `?runs=<id>,<id>`: every id checked (a bad one is refused before the stream opens), at most MAX_STREAM_RUNS. */
function streamRuns(url: URL): string[] {
  const raw = url.searchParams.get('runs') ?? '';
  const ids = raw === '' ? [] : [...new Set(raw.split(','))];
  if (ids.length > MAX_STREAM_RUNS) throw new HttpError(400, `at most ${MAX_STREAM_RUNS} runs in one stream (got ${ids.length})`);
  for (const id of ids) if (!isValidRunId(id)) throw new HttpError(400, `not a run id: ${JSON.stringify(id.slice(0, 100))}`);
  return ids;
}

/** Each run's journal line already seen: `Last-Event-ID` of a reconnection, else `?after=<id>:<line>,…`. */
function positions(req: IncomingMessage, url: URL): Map<string, number> {
  const value = req.headers['last-event-id'] ?? url.searchParams.get('after') ?? '';
  const found = new Map<string, number>();
  for (const entry of (typeof value === 'string' ? value : '').split(',')) {
    const m = /^(.+):(\d{1,12})$/.exec(entry);
    if (m && isValidRunId(m[1]!)) found.set(m[1]!, Number(m[2]));
  }
  return found;
}

/** Opens the URL in the desktop's browser, if there is one; a failure only says so. */
export function openBrowser(url: string, stderr: NodeJS.WritableStream): void {
  const command = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  const child = spawn(command, [url], { stdio: 'ignore', detached: true });
  child.on('error', () => stderr.write(`baton ui: could not open a browser (${command}); open ${url}\n`));
  child.unref();
}
