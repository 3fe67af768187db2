// The web UI server's pure parts: log text to escaped HTML, the Host/token/Origin/CSRF checks, the slow-reader cap.
import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { LogHtml, logToHtml } from '../../src/ui/log-html.js';
import { allowedHosts, checkAccess, checkAction, type Guard } from '../../src/ui/security.js';
import { SseClient } from '../../src/ui/sse.js';

const req = (headers: Record<string, string>): IncomingMessage => Object.assign(new EventEmitter(), { headers }) as unknown as IncomingMessage;
const res = (): ServerResponse & { cookies: string[] } => {
  const cookies: string[] = [];
  return { cookies, setHeader: (_: string, v: string) => cookies.push(v) } as unknown as ServerResponse & { cookies: string[] };
};

describe('log text as HTML', () => {
  it('keeps SGR colours as classes, drops every other terminal sequence, escapes the rest', () => {
    const html = logToHtml('\x1b[1;32mok\x1b[0m \x1b]8;;http://x\x07link\x1b]8;;\x07 \x1b[2J\x1b[H<b onclick="x">&</b> \x1b[38;2;250;0;0mtrue\x1b[0m');
    expect(html).toBe('<b><span class="ansi-fg-2">ok</span></b> link &lt;b onclick=&quot;x&quot;&gt;&amp;&lt;/b&gt; <span class="ansi-fg-196">true</span>');
    expect(html).not.toContain('style=');
  });

  it('a colour sequence cut between two chunks of a growing log still renders', () => {
    const stream = new LogHtml();
    const html = stream.push('a \x1b[3') + stream.push('1mred\x1b[0m');
    expect(html).toBe('a <span class="ansi-fg-1">red</span>');
  });
});

describe('access checks', () => {
  const guard = (token: string | null): Guard => ({ hosts: allowedHosts('127.0.0.1', 7345), token, csrf: 'c'.repeat(32) });

  it('answers only to its own Host (loopback names included), refusing a rebound DNS name', () => {
    const url = new URL('http://x/api/runs');
    expect(checkAccess(guard(null), req({ host: '127.0.0.1:7345' }), url, res())).toBeNull();
    expect(checkAccess(guard(null), req({ host: 'localhost:7345' }), url, res())).toBeNull();
    expect(checkAccess(guard(null), req({ host: 'attacker.example:7345' }), url, res())?.status).toBe(403);
    expect(checkAccess(guard(null), req({ host: '127.0.0.1:80' }), url, res())?.status).toBe(403);
    expect(allowedHosts('0.0.0.0', 7345)).toBeNull();
  });

  it('with a token: 401 without it; ?token= once sets an HttpOnly SameSite=Strict cookie; Bearer works', () => {
    const g = guard('t'.repeat(24));
    const host = { host: '127.0.0.1:7345' };
    expect(checkAccess(g, req(host), new URL('http://x/'), res())?.status).toBe(401);
    expect(checkAccess(g, req(host), new URL('http://x/?token=wrong'), res())?.status).toBe(401);
    const r = res();
    expect(checkAccess(g, req(host), new URL(`http://x/?token=${'t'.repeat(24)}`), r)).toBeNull();
    expect(r.cookies[0]).toMatch(/^baton_ui_token=t{24}; HttpOnly; SameSite=Strict; Path=\/$/);
    expect(checkAccess(g, req({ ...host, cookie: `a=b; baton_ui_token=${'t'.repeat(24)}` }), new URL('http://x/'), res())).toBeNull();
    expect(checkAccess(g, req({ ...host, authorization: `Bearer ${'t'.repeat(24)}` }), new URL('http://x/'), res())).toBeNull();
  });

  it('an action needs the same Origin and the CSRF token', () => {
    const g = guard(null);
    const host = '127.0.0.1:7345';
    expect(checkAction(g, req({ host, origin: 'http://127.0.0.1:7345', 'x-baton-csrf': 'c'.repeat(32) }))).toBeNull();
    expect(checkAction(g, req({ host, origin: 'http://evil.example', 'x-baton-csrf': 'c'.repeat(32) }))).toMatch(/Origin/);
    expect(checkAction(g, req({ host, 'x-baton-csrf': 'c'.repeat(32) }))).toMatch(/Origin/);
    expect(checkAction(g, req({ host, origin: 'http://127.0.0.1:7345' }))).toMatch(/CSRF/);
    expect(checkAction(g, req({ host, origin: 'http://127.0.0.1:7345', 'x-baton-csrf': 'x' }))).toMatch(/CSRF/);
  });
});

describe('a slow event-stream reader', () => {
  it('is dropped once too much is queued for it, so it cannot hold the server', () => {
    let queued = 0;
    let destroyed = false;
    const r = Object.assign(new EventEmitter(), {
      writeHead: () => undefined,
      write: (text: string) => ((queued += text.length), false),
      destroy: () => (destroyed = true),
    });
    Object.defineProperty(r, 'writableLength', { get: () => queued });
    const client = new SseClient(req({}), r as unknown as ServerResponse);
    for (let i = 0; i < 100 && !client.closed; i++) client.send('log', { html: 'x'.repeat(64 * 1024) });
    expect(client.closed).toBe(true);
    expect(destroyed).toBe(true);
  });
});
