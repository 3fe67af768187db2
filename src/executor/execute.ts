// Runs ONE attempt of a command task in its own process group and maps the result to an ExecOutcome.
import { closeSync, statSync, writeSync } from 'node:fs';
import { execa, type Options } from 'execa';
import type { ExecOutcome, ExecRequest, ExecStatus } from './types.js';
import { createEmptyFile, openLog, readTail } from './logs.js';
import { parseOutput } from './output.js';
import { groupMembers, killGroup, signalGroup, terminateGroup } from './process-group.js';
import { pumpStream, type LivePump } from './live-output.js';
import { describeSpawnError, formatDuration } from './messages.js';

/** After exit, how long to let pipes drain when leftovers may hold them open; without leftovers, how long at most. */
const DRAIN_WITH_LEFTOVERS_MS = 250;
const DRAIN_LIMIT_MS = 5000;

type Ending = 'timeout' | 'cancel' | 'interrupt';

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Run one attempt; never rejects (every problem becomes a failed outcome). */
export async function execute(req: ExecRequest): Promise<ExecOutcome> {
  const startedAt = performance.now();
  try {
    return await runAttempt(req, startedAt);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return outcome(req, startedAt, { status: 'failed', error: `could not run the command: ${message}` });
  }
}

function outcome(
  req: ExecRequest,
  startedAt: number,
  fields: Partial<ExecOutcome> & { status: ExecStatus; error: string | null },
): ExecOutcome {
  return {
    exitCode: null,
    signal: null,
    pid: null,
    output: null,
    stdout: readTail(req.stdoutPath, req.secrets),
    stderr: readTail(req.stderrPath, req.secrets),
    durationMs: Math.round(performance.now() - startedAt),
    ...fields,
  };
}

/** A problem found before anything ran: its one line also goes to the stderr log. */
function notStarted(
  req: ExecRequest,
  startedAt: number,
  fds: number[],
  status: ExecStatus,
  error: string,
): ExecOutcome {
  const stderrFd = fds[1];
  if (stderrFd !== undefined) writeSync(stderrFd, `${error}\n`);
  for (const fd of fds) closeSync(fd);
  return outcome(req, startedAt, { status, error });
}

function checkCwd(cwd: string): string | null {
  try {
    return statSync(cwd).isDirectory() ? null : `cwd is not a directory: ${cwd}`;
  } catch {
    return `cwd does not exist: ${cwd}`;
  }
}

async function runAttempt(req: ExecRequest, startedAt: number): Promise<ExecOutcome> {
  createEmptyFile(req.outputFile);
  const fds = [openLog(req.stdoutPath), openLog(req.stderrPath)] as [number, number];
  const cwdProblem = checkCwd(req.cwd);
  if (cwdProblem !== null) return notStarted(req, startedAt, fds, 'failed', cwdProblem);
  if (req.abort?.aborted) return notStarted(req, startedAt, fds, 'canceled', 'canceled before it started');

  // Masking or live output needs the bytes in node; otherwise the child writes straight to the log files.
  const piped = req.secrets.some((s) => s !== '') || req.onOutput !== undefined;
  const options: Options = {
    cwd: req.cwd,
    env: req.env,
    extendEnv: false,
    detached: true, // own session, hence own process group (pgid = pid)
    cleanup: false,
    buffer: false,
    reject: false,
    ...(req.stdin === undefined ? { stdin: 'ignore' as const } : { input: req.stdin }),
    // A file descriptor number is handed to the child as is (`{file}` would be piped through node instead);
    // execa's types list only fds 3-9 but any open fd works at runtime.
    stdout: (piped ? 'pipe' : fds[0]) as Options['stdout'],
    stderr: (piped ? 'pipe' : fds[1]) as Options['stderr'],
  };
  const subprocess = execa(req.file, req.args, options);
  // reject: false makes it resolve; the catch only guards against an unexpected rejection going unhandled.
  const settled = Promise.resolve(subprocess).catch(() => undefined);
  const pid = subprocess.pid;
  if (pid === undefined) {
    const result = (await settled) as { code?: unknown; cause?: unknown; shortMessage?: string } | undefined;
    return notStarted(req, startedAt, fds, 'failed', describeSpawnError(req.file, result));
  }
  const exited = new Promise<Exit>((resolve) => subprocess.once('exit', (code, signal) => resolve({ code, signal })));
  if (!piped) for (const fd of fds) closeSync(fd);
  const pumps: LivePump[] = [];
  if (piped) {
    if (subprocess.stdout) pumps.push(pumpStream(subprocess.stdout, fds[0], 'stdout', req.secrets, req.onOutput));
    if (subprocess.stderr) pumps.push(pumpStream(subprocess.stderr, fds[1], 'stderr', req.secrets, req.onOutput));
  }
  try {
    req.onSpawn?.(pid);
  } catch {
    /* the engine's bookkeeping callback must not leave a process unattended */
  }

  let ending: Ending | null = null;
  let terminating: Promise<void> | null = null;
  const stopGracefully = (why: Ending): void => {
    ending ??= why;
    terminating ??= terminateGroup(pid, req.killGraceMs);
  };
  const timer =
    req.timeoutMs === undefined ? undefined : setTimeout(() => stopGracefully('timeout'), Math.max(0, req.timeoutMs));
  const onAbort = (): void => {
    if (req.abort?.reason === 'interrupt') return stopGracefully('interrupt');
    ending ??= 'cancel';
    signalGroup(pid, 'SIGKILL');
  };
  req.abort?.addEventListener('abort', onAbort, { once: true });

  const exit = await exited;
  clearTimeout(timer);
  req.abort?.removeEventListener('abort', onAbort);
  subprocess.stdin?.destroy();

  let { status, error } = classify(exit, ending, req.timeoutMs);
  // Nothing of a failed, timed-out or canceled attempt survives; a completed one's leftovers are the engine's.
  if (status !== 'completed') await killGroup(pid);
  if (terminating !== null) await terminating;
  await drain(pumps, pid);
  if (piped) for (const fd of fds) closeSync(fd);

  let output: unknown = null;
  if (status === 'completed') {
    const parsed = parseOutput(req.outputMode, req.stdoutPath, req.outputFile, req.secrets);
    if (parsed.ok) output = parsed.value;
    else {
      status = 'failed';
      error = parsed.error;
      await killGroup(pid);
    }
  }
  return outcome(req, startedAt, { status, error, exitCode: exit.code, signal: exit.signal, pid, output });
}

function classify(
  exit: Exit,
  ending: Ending | null,
  timeoutMs: number | undefined,
): { status: ExecStatus; error: string | null } {
  if (ending === 'timeout') return { status: 'timed_out', error: `timed out after ${formatDuration(timeoutMs ?? 0)}` };
  if (ending === 'cancel') return { status: 'canceled', error: 'canceled' };
  if (ending === 'interrupt') return { status: 'canceled', error: 'interrupted' };
  if (exit.signal !== null) return { status: 'failed', error: `killed by ${exit.signal}` };
  if (exit.code !== 0) return { status: 'failed', error: `exit code ${exit.code}` };
  return { status: 'completed', error: null };
}

/** Let the pipes deliver what the main process wrote; leftovers holding a pipe open must not keep us waiting. */
async function drain(pumps: LivePump[], pgid: number): Promise<void> {
  if (pumps.length === 0) return;
  const limit = groupMembers(pgid).length === 0 ? DRAIN_LIMIT_MS : DRAIN_WITH_LEFTOVERS_MS;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    Promise.all(pumps.map((pump) => pump.closed)),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, limit);
    }),
  ]);
  clearTimeout(timer);
  for (const pump of pumps) pump.finish();
}
