// The spawn helper: a small node process that starts attempts for a driver running several at once.
// A fork blocks the forking thread for ~0.6-0.9 ms (more, the bigger the process); done here, it runs on another
// core while the driver records and decides. It clears the paths, starts the process and writes its logs from its
// pipes exactly as the driver does (clearAttemptFiles, spawnDirect, pumpStream, drain) and loads nothing else
// beyond node's own modules, so that it stays small.
// Protocol (IPC, JSON): in HelperRequest; out {id, pid} then {id, exit} (once the pipes drained), or {id, error}
// when nothing started.
import { clearAttemptFiles, LazyLog } from './logs.js';
import { drain, pumpStream } from './live-output.js';
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
  try {
    clearAttemptFiles(req);
  } catch (error) {
    send({ id: req.id, error: `could not run the command: ${(error as Error).message}` });
    return;
  }
  const { id, file, args, cwd, env, stdin } = req;
  const started = spawnDirect({ file, args, cwd, env, stdin });
  const pid = started.pid;
  if (pid === undefined) {
    void started.spawnError().then((error) => send({ id, error }));
    return;
  }
  const pumps = [started.stdout, started.stderr].flatMap((stream, i) =>
    stream ? [pumpStream(stream, new LazyLog(i === 0 ? req.stdoutPath : req.stderrPath), i === 0 ? 'stdout' : 'stderr', [])] : [],
  );
  send({ id, pid });
  void started.exited.then(async ({ code, signal }) => {
    started.release();
    await drain(pumps, pid);
    send({ id, exit: { code, signal } });
  });
}

// Ctrl-C and a group-wide SIGTERM or SIGHUP are the driver's to handle; the helper ends when the driver is gone.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => {});
process.on('disconnect', () => process.exit(0));
process.on('message', (req: HelperRequest) => start(req));
send({ ready: true });
