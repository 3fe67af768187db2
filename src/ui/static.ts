// The front end's files: the SPA shell for every page path, /assets/* from src/ui/web, /vendor/* from node_modules.
import fs from 'node:fs';
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { HttpError } from './http.js';
import { vendorFiles, WEB_DIR } from './paths.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
};

const ASSET_SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

/** Reads a regular file that is no symbolic link; anything else is "not found". */
function readPlainFile(file: string): Buffer {
  try {
    if (!fs.lstatSync(file).isFile()) throw new HttpError(404, 'not found');
    return fs.readFileSync(file);
  } catch (err) {
    if (err instanceof HttpError) throw err;
    throw new HttpError(404, 'not found');
  }
}

/**
 * Sends a file with an ETag of its content: `no-cache` makes the browser ask every time, and an unchanged file is a 304,
 * so the browser keeps its copy and the scripts' compiled code (a page loads 18 modules).
 */
function send(req: IncomingMessage, res: ServerResponse, file: string, body: Buffer | string): void {
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
  const headers = { 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'Cache-Control': 'no-cache', ETag: etag };
  if (req.headers['if-none-match'] === etag) {
    res.writeHead(304, headers);
    return void res.end();
  }
  res.writeHead(200, { ...headers, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

export function serveShell(req: IncomingMessage, res: ServerResponse): void {
  const file = path.join(WEB_DIR, 'index.html');
  let body: Buffer;
  try {
    body = readPlainFile(file);
  } catch {
    throw new HttpError(503, `the web UI's files are missing (${file})`);
  }
  send(req, res, file, body);
}

/** `/assets/<segments>`: a file of src/ui/web; segments are plain names (no dot files, no `..`), no symbolic links. */
export function serveAsset(req: IncomingMessage, res: ServerResponse, segments: string[]): void {
  if (segments.length === 0 || segments.length > 4 || !segments.every((s) => ASSET_SEGMENT.test(s))) throw new HttpError(404, 'not found');
  let dir = WEB_DIR;
  for (const s of segments.slice(0, -1)) {
    dir = path.join(dir, s);
    try {
      if (!fs.lstatSync(dir).isDirectory()) throw new Error('not a folder');
    } catch {
      throw new HttpError(404, 'not found');
    }
  }
  const file = path.join(dir, segments[segments.length - 1]!);
  send(req, res, file, readPlainFile(file));
}

let vendor: Map<string, string> | null = null;

/** `/vendor/<name>`: preact, its hooks (their bare `preact` import pointed at /vendor/preact.mjs) and htm. */
export function serveVendor(req: IncomingMessage, res: ServerResponse, name: string): void {
  vendor ??= vendorFiles();
  const file = vendor.get(name);
  if (!file) throw new HttpError(404, 'not found');
  let text = readPlainFile(file).toString('utf8');
  if (name === 'preact-hooks.mjs') text = text.replace(/from\s*(["'])preact\1/g, 'from"/vendor/preact.mjs"');
  send(req, res, file, text);
}
