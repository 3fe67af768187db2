// A private redis-server per test file (127.0.0.1, a free port, a temp dir), and real `baton worker` processes on it.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { start, tempDir, type Result } from './cli.js';

export interface RedisServer {
  port: number;
  url: string;
  pid(): number;
  /** kill -9 (a crash: nothing saved beyond what `persist` keeps). */
  crash(): Promise<void>;
  /** Starts it again on the same port and dir. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return await new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

async function ping(port: number): Promise<boolean> {
  return await new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let reply = '';
    socket.setTimeout(500, () => socket.destroy());
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (d) => {
      reply += d;
      // NOAUTH also means it is up (a server with a password).
      if (reply.includes('\r\n')) socket.end();
    });
    socket.on('close', () => resolve(/PONG|NOAUTH/.test(reply)));
    socket.on('error', () => resolve(false));
  });
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((r) => child.once('exit', () => r()));
}

/**
 * `persist`: append-only file fsynced on every write, so a kill -9 loses nothing (the Redis restart test);
 * `password`: requirepass.
 */
export async function startRedis(options: { persist?: boolean; password?: string } = {}): Promise<RedisServer> {
  const port = await freePort();
  const dir = tempDir('baton-redis-');
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', ''];
  args.push(...(options.persist ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no']));
  if (options.password) args.push('--requirepass', options.password);
  args.push('--daemonize', 'no');
  let child: ChildProcess;
  const launch = async (): Promise<void> => {
    child = spawn('redis-server', args, { stdio: 'ignore' });
    const end = Date.now() + 10_000;
    while (!(await ping(port))) {
      if (Date.now() > end) throw new Error(`redis-server did not answer on port ${port}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  await launch();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    pid: () => child.pid!,
    crash: async () => {
      child.kill('SIGKILL');
      await exited(child);
    },
    restart: launch,
    stop: async () => {
      child.kill('SIGKILL');
      await exited(child);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface WorkerProcess {
  child: ChildProcess;
  done: Promise<Result>;
  /** Resolves once the worker said it serves its pools. */
  ready: Promise<void>;
}

/** Short lock and stall intervals so that a dead worker is noticed within seconds. */
const FAST_STALL_ENV = { BATON_WORKER_LOCK_MS: '2000', BATON_WORKER_STALL_CHECK_MS: '1000' };

/** A real `baton worker` process. */
export function startWorker(url: string, args: string[] = [], env: Record<string, string> = {}): WorkerProcess {
  const cwd = tempDir('baton-worker-cwd-');
  const { child, done } = start(['worker', '--redis', url, ...args], { cwd, env: { ...FAST_STALL_ENV, ...env } });
  const ready = new Promise<void>((resolve, reject) => {
    let seen = '';
    child.stderr!.on('data', (d) => {
      seen += d;
      if (seen.includes('serving')) resolve();
    });
    void done.then((r) => reject(new Error(`worker exited before it was ready: ${r.stderr}`)));
  });
  ready.catch(() => {});
  return { child, done, ready };
}

export async function stopWorker(worker: WorkerProcess): Promise<void> {
  if (worker.child.exitCode === null && worker.child.signalCode === null) worker.child.kill('SIGKILL');
  await worker.done;
}

/** Lines of a file the tasks append to (one per run of a task). */
export function linesOf(file: string): string[] {
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').filter((l) => l !== '') : [];
}

