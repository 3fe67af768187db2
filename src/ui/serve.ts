// The `baton ui` command's body: start the server, print its URL first, serve until SIGINT/SIGTERM, exit 0.
import type { CommandIO } from '../app/io.js';
import { UsageError } from '../app/io.js';
import { resolveStateDir } from '../store/index.js';
import { isLoopback } from './security.js';
import { openBrowser, startUiServer } from './server.js';

export interface ServeOptions {
  host: string;
  port: number;
  stateDir?: string;
  readOnly: boolean;
  open: boolean;
  token?: string;
}

export async function serveUi(io: CommandIO, o: ServeOptions): Promise<number> {
  if (o.token !== undefined && !/^[A-Za-z0-9._~-]{16,200}$/.test(o.token)) {
    throw new UsageError('--token must be 16 to 200 characters of A-Z a-z 0-9 . _ ~ -', 'or leave it out: one is generated when the address is not loopback');
  }
  const stateDir = resolveStateDir(o.stateDir, io.env, io.cwd);
  let server;
  try {
    server = await startUiServer({ host: o.host, port: o.port, stateDir, readOnly: o.readOnly, token: o.token ?? null });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'EADDRINUSE') throw new UsageError(`port ${o.port} on ${o.host} is in use`, 'pick another with --port, or --port 0 for any free one');
    if (e.code === 'EADDRNOTAVAIL' || e.code === 'ENOTFOUND' || e.code === 'EACCES') throw new UsageError(`cannot listen on ${o.host}:${o.port}: ${e.code}`);
    throw err;
  }
  io.stdout.write(`${server.url}\n`);
  io.stderr.write(`baton ui: serving ${stateDir}${o.readOnly ? ' (read-only)' : ''}${isLoopback(o.host) ? '' : '; the token in the URL is required'}; Ctrl-C stops it\n`);
  if (o.open) openBrowser(server.url, io.stderr);
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await server.close();
  return 0;
}
