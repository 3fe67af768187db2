// Starts a real `baton ui` and talks to it over HTTP (node:http: the tests set Host, Origin and read SSE streams).
import http from 'node:http';
import { start, waitFor, type Result } from './cli.js';

export interface Ui {
  url: string;
  /** The server's origin, e.g. http://127.0.0.1:41234 */
  origin: string;
  stdout: () => string;
  done: Promise<Result>;
  stop(): Promise<Result>;
}

export async function startUi(cwd: string, args: string[] = []): Promise<Ui> {
  const { child, done } = start(['ui', '--port', '0', ...args], { cwd });
  let stdout = '';
  child.stdout!.on('data', (d) => (stdout += d));
  let exited = false;
  void done.then(() => (exited = true));
  await waitFor(() => stdout.includes('\n') || exited, 15_000, 'baton ui to print its URL');
  if (exited) throw new Error(`baton ui exited: ${JSON.stringify(await done)}`);
  const url = stdout.split('\n')[0]!;
  return {
    url,
    origin: new URL(url).origin,
    stdout: () => stdout,
    done,
    stop: async () => {
      child.kill('SIGTERM');
      return done;
    },
  };
}

export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  json: any;
}

/** One request; `path` is sent exactly as given (no normalising of `..` or `%2e`). */
export function request(origin: string, path: string, o: { method?: string; headers?: Record<string, string>; body?: unknown } = {}): Promise<Reply> {
  const u = new URL(origin);
  const body = o.body === undefined ? undefined : JSON.stringify(o.body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: u.hostname, port: u.port, path, method: o.method ?? 'GET', headers: { ...(body ? { 'Content-Type': 'application/json' } : {}), ...o.headers } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d) => (text += d));
        res.on('end', () => {
          let json: any = null;
          try {
            json = JSON.parse(text);
          } catch {
            /* not JSON */
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text, json });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** A POST as the UI's own page sends it: same Origin and the CSRF token from /api/session. */
export async function action(ui: Ui, path: string, body: unknown = {}, headers: Record<string, string> = {}): Promise<Reply> {
  const { csrf } = (await request(ui.origin, '/api/session')).json;
  return request(ui.origin, path, { method: 'POST', body, headers: { Origin: ui.origin, 'X-Baton-CSRF': csrf, ...headers } });
}

export interface SseEvent {
  id: string | null;
  event: string;
  data: any;
  /** ms since the stream was opened */
  at: number;
}

/** Opens an event stream; `events` fills as they arrive; `close` ends it. */
export function openEvents(origin: string, path: string, headers: Record<string, string> = {}): Promise<{ events: SseEvent[]; close(): void }> {
  const u = new URL(origin);
  const events: SseEvent[] = [];
  const opened = Date.now();
  return new Promise((resolve, reject) => {
    const req = http.get({ host: u.hostname, port: u.port, path, headers: { Accept: 'text/event-stream', ...headers } }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`event stream ${path}: ${res.statusCode}`));
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => {
        buffer += d;
        for (let end = buffer.indexOf('\n\n'); end !== -1; end = buffer.indexOf('\n\n')) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const field = (name: string): string | null => block.split('\n').find((l) => l.startsWith(`${name}: `))?.slice(name.length + 2) ?? null;
          const data = field('data');
          if (data !== null) events.push({ id: field('id'), event: field('event') ?? 'message', data: JSON.parse(data), at: Date.now() - opened });
        }
      });
      res.on('error', () => undefined);
      resolve({ events, close: () => req.destroy() });
    });
    req.on('error', reject);
  });
}
