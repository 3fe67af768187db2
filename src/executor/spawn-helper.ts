// The spawn helper: a small node process that starts attempts for a driver running several at once.
// A fork blocks the forking thread for ~0.6-0.9 ms (more, the bigger the process); done here, it runs on another
// core while the driver records and decides. It creates the files and starts the process exactly as the driver
// does (openAttemptFiles, spawnDirect) and loads nothing else beyond node's own modules, so that it stays small.
// Protocol (IPC, JSON): in HelperRequest; out {id, pid} then {id, exit}, or {id, error} when nothing started.
import { closeSync } from 'node:fs';
import { openAttemptFiles, type LogFds } from './logs.js';
import { spawnDirect } from './spawners.js';

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
  /** Nothing started: why, in the words the driver's own spawner uses. */
  | { id: number; error: string }
  | { ready: true };

function send(reply: HelperReply): void {
  if (process.connected) process.send?.(reply);
}

function start(req: HelperRequest): void {
  let fds: LogFds;
  try {
    fds = openAttemptFiles(req);
  } catch (error) {
    send({ id: req.id, error: `could not run the command: ${(error as Error).message}` });
    return;
  }
  const { id, file, args, cwd, env, stdin } = req;
  const started = spawnDirect({ file, args, cwd, env, stdin, stdoutFd: fds[0], stderrFd: fds[1] });
  for (const fd of fds) closeSync(fd); // the child has its own copies
  if (started.pid === undefined) {
    void started.spawnError().then((error) => send({ id, error }));
    return;
  }
  send({ id, pid: started.pid });
  void started.exited.then(({ code, signal }) => {
    started.release();
    send({ id, exit: { code, signal } });
  });
}

// Ctrl-C and a group-wide SIGTERM or SIGHUP are the driver's to handle; the helper ends when the driver is gone.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => {});
process.on('disconnect', () => process.exit(0));
process.on('message', (req: HelperRequest) => start(req));
send({ ready: true });
