// The spawn helper: a small node process that starts attempts for a driver running several at once.
// A fork blocks the forking thread for ~0.6-0.9 ms (more, the bigger the process); done here, it runs on another
// core while the driver records and decides. It imports only node's own modules so that it stays small.
// Protocol (IPC, JSON): in HelperRequest; out {id, pid} then {id, exit}, or {id, error} when nothing started.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';

export interface HelperRequest {
  id: number;
  file: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  stdin?: string;
  stdoutPath: string;
  stderrPath: string;
  outputFile: string;
}

export type HelperReply =
  | { id: number; pid: number }
  | { id: number; exit: { code: number | null; signal: NodeJS.Signals | null } }
  /** Nothing started; `files`: the attempt's files could not be created (not the program's fault). */
  | { id: number; error: { code?: string; message: string }; files?: true }
  | { ready: true };

function send(reply: HelperReply): void {
  if (process.connected) process.send?.(reply);
}

/** Opens (truncating) a file, creating its folder only when it is missing. */
function create(path: string): number {
  try {
    return openSync(path, 'w');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    mkdirSync(dirname(path), { recursive: true });
    return openSync(path, 'w');
  }
}

function errorOf(error: unknown): { code?: string; message: string } {
  const { code, message } = error as NodeJS.ErrnoException;
  return { ...(typeof code === 'string' ? { code } : {}), message: String(message ?? error) };
}

function start(req: HelperRequest): void {
  const fds: number[] = [];
  try {
    closeSync(create(req.outputFile));
    fds.push(create(req.stdoutPath), create(req.stderrPath));
  } catch (error) {
    for (const fd of fds) closeSync(fd);
    send({ id: req.id, error: errorOf(error), files: true });
    return;
  }
  let child: ChildProcess;
  try {
    child = spawn(req.file, req.args, {
      cwd: req.cwd,
      env: req.env,
      detached: true, // own session, hence own process group (pgid = pid)
      stdio: [req.stdin === undefined ? 'ignore' : 'pipe', fds[0], fds[1]],
    });
  } catch (error) {
    send({ id: req.id, error: errorOf(error) });
    return;
  } finally {
    for (const fd of fds) closeSync(fd); // the child has its own copies
  }
  if (child.pid === undefined) {
    child.once('error', (error) => send({ id: req.id, error: errorOf(error) }));
    return;
  }
  send({ id: req.id, pid: child.pid });
  if (req.stdin !== undefined && child.stdin) {
    child.stdin.on('error', () => {}); // a child that exits without reading stdin must not crash the helper
    child.stdin.end(req.stdin);
  }
  child.once('exit', (code, signal) => {
    child.stdin?.destroy();
    send({ id: req.id, exit: { code, signal } });
  });
}

// Ctrl-C and a group-wide SIGTERM or SIGHUP are the driver's to handle; the helper ends when the driver is gone.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => {});
process.on('disconnect', () => process.exit(0));
process.on('message', (req: HelperRequest) => start(req));
send({ ready: true });
