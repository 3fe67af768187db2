// Who may talk to the UI server: the Host check (DNS rebinding), the access token, the Origin + CSRF check of actions.
import crypto from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import net from 'node:net';

/** Sent with every response: no inline script, no framing, no sniffing, no referrer leaving the page. */
export const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy': "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

const TOKEN_COOKIE = 'baton_ui_token';

/** The addresses served without a token: only this machine's own default loopback (any other, 127.0.0.2 too, needs it). */
export function isLoopback(host: string): boolean {
  return ['localhost', '127.0.0.1', '::1'].includes(host.replace(/^\[|\]$/g, '').toLowerCase());
}

export function newSecret(): string {
  return crypto.randomBytes(24).toString('base64url');
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

export interface Guard {
  /** The Host header values this server answers to, lower case; null: any (a wildcard bind, guarded by the token). */
  hosts: Set<string> | null;
  /** Required on every request when set (any bind but loopback). */
  token: string | null;
  csrf: string;
}

/** The Host values a server bound to `host:port` accepts: that address or name, and the loopback names on loopback. */
export function allowedHosts(host: string, port: number): Set<string> | null {
  if (host === '0.0.0.0' || host === '::' || host === '[::]') return null;
  const withPort = (h: string): string => (net.isIPv6(h) ? `[${h}]:${port}` : `${h}:${port}`).toLowerCase();
  const hosts = new Set([withPort(host.replace(/^\[|\]$/g, ''))]);
  if (isLoopback(host)) for (const h of ['localhost', '127.0.0.1', '::1']) hosts.add(withPort(h));
  return hosts;
}

/** 403 for a Host this server is not (a rebound DNS name), 401 without the token; a `?token=` sets the cookie. */
export function checkAccess(guard: Guard, req: IncomingMessage, url: URL, res: ServerResponse): { status: number; message: string } | null {
  const host = (req.headers.host ?? '').toLowerCase();
  if (guard.hosts !== null && !guard.hosts.has(host)) return { status: 403, message: `this server does not answer to Host "${host}"` };
  if (guard.token === null) return null;
  const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
  const cookie = cookieValue(req.headers.cookie, TOKEN_COOKIE);
  const query = url.searchParams.get('token');
  if (query !== null && sameSecret(query, guard.token)) {
    res.setHeader('Set-Cookie', `${TOKEN_COOKIE}=${guard.token}; HttpOnly; SameSite=Strict; Path=/`);
    return null;
  }
  if ((bearer !== undefined && sameSecret(bearer, guard.token)) || (cookie !== null && sameSecret(cookie, guard.token))) return null;
  return { status: 401, message: 'this server needs its access token: open the URL it printed (with ?token=…)' };
}

/** An action must come from this server's own page: same Origin as the Host it was sent to, and the CSRF token. */
export function checkAction(guard: Guard, req: IncomingMessage): string | null {
  const origin = req.headers.origin;
  if (origin === undefined || origin.toLowerCase() !== `http://${(req.headers.host ?? '').toLowerCase()}`) return `refused: Origin ${origin ?? '(none)'} is not this server`;
  const csrf = req.headers['x-baton-csrf'];
  if (typeof csrf !== 'string' || !sameSecret(csrf, guard.csrf)) return 'refused: missing or wrong X-Baton-CSRF token';
  return null;
}

function cookieValue(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}
