// Runs ONE attempt of a command task in its own process group and maps the result to an ExecOutcome.
import { closeSync, statSync, writeSync } from 'node:fs';
import type { ExecOutcome, ExecRequest, ExecStatus } from './types.js';
import { OUTPUT_CAP_BYTES, openAttemptFiles, readTail, type LogFds } from './logs.js';
import { maskText } from './masking.js';
import { parseOutput } from './output.js';
import { groupMembers, killGroup, signalGroup, terminateGroup } from './process-group.js';
import { pumpStream, RawCapture, type LivePump } from './live-output.js';
import { setLongTimeout } from './long-timer.js';
import { formatDuration } from '../blueprint/duration.js';
import { spawnDirect, spawnWithExeca, type Exit, type Started } from './spawners.js';
import { readySpawnHelper, spawnHelper, type HelperSpawn } from './spawn-helper-client.js';

/** After exit, how long to let pipes drain when leftovers may hold them open; without leftovers, how long at most. */
const DRAIN_WITH_LEFTOVERS_MS = 250;
const DRAIN_LIMIT_MS = 5000;

type Ending = 'timeout' | 'cancel' | 'interrupt';

/**
 * How an attempt whose output goes only to its log files is started: `direct` (child_process.spawn from this
 * process), `helper` (by a spawn helper process), `auto` (the default: direct, but by a spawn helper that is up
 * while another attempt runs, so forks stop blocking a busy driver) or `execa` (execa with the log files as stdio;
 * kept so tests and the benchmark can compare). Masking secrets or live output always pipes through execa.
 */
export type Spawner = 'auto' | 'direct' | 'helper' | 'execa';

/** Attempts of this process under way (from route to exit): `auto` hands forks to the helper when they overlap. */
let underWay = 0;

/** Run one attempt; never rejects (every problem becomes a failed outcome). */
export async function execute(req: ExecRequest, spawner: Spawner = 'auto'): Promise<ExecOutcome> {
  const startedAt = performance.now();
  underWay++;
  try {
    return await runAttempt(req, startedAt, spawner);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return outcome(req, startedAt, { status: 'failed', error: `could not run the command: ${message}` });
  } finally {
    underWay--;
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
    // An error may quote a rendered value (a command or cwd that is a secret): it is shown and stored.
    error: fields.error === null ? null : maskText(fields.error, req.secrets),
  };
}

/** A problem found before anything ran: its one line also goes to the stderr log (the files exist either way). */
function notStarted(
  req: ExecRequest,
  startedAt: number,
  fds: LogFds | null,
  status: ExecStatus,
  error: string,
): ExecOutcome {
  const [stdoutFd, stderrFd] = fds ?? openAttemptFiles(req);
  writeSync(stderrFd, `${maskText(error, req.secrets)}\n`);
  closeSync(stdoutFd);
  closeSync(stderrFd);
  return outcome(req, startedAt, { status, error });
}

function checkCwd(cwd: string): string | null {
  try {
    return statSync(cwd).isDirectory() ? null : `cwd is not a directory: ${cwd}`;
  } catch {
    return `cwd does not exist: ${cwd}`;
  }
}

type Helper = { spawn(request: HelperSpawn): Promise<Started> };
type Route = 'piped' | 'direct' | 'execa' | Helper;

/** Where this attempt's process is started from (see Spawner). */
async function route(req: ExecRequest, spawner: Spawner): Promise<Route> {
  // Masking or live output needs the bytes in node; otherwise the child writes straight to the log files.
  if (req.secrets.some((s) => s !== '') || req.onOutput !== undefined) return 'piped';
  if (spawner === 'direct' || spawner === 'execa') return spawner;
  const helper = spawner === 'helper' ? await spawnHelper() : underWay > 1 ? readySpawnHelper() : null;
  return helper ?? 'direct';
}

/** Starts the process: by the helper (which creates the log files itself, off this thread) or from here. */
async function startProcess(req: ExecRequest, how: Route, fds: LogFds | null): Promise<Started> {
  if (typeof how === 'object' || fds === null) {
    const { file, args, cwd, env, stdin, stdoutPath, stderrPath, outputFile } = req;
    return (how as Helper).spawn({ file, args, cwd, env, ...(stdin === undefined ? {} : { stdin }), stdoutPath, stderrPath, outputFile });
  }
  const spec = { file: req.file, args: req.args, cwd: req.cwd, env: req.env, stdin: req.stdin, stdoutFd: fds[0], stderrFd: fds[1] };
  try {
    return how === 'direct' ? spawnDirect(spec) : await spawnWithExeca(spec, how === 'piped' ? 'pipe' : 'files');
  } catch (error) {
    for (const fd of fds) closeSync(fd);
    throw error;
  }
}

async function runAttempt(req: ExecRequest, startedAt: number, spawner: Spawner): Promise<ExecOutcome> {
  const how = await route(req, spawner);
  const piped = how === 'piped';
  const fds = typeof how === 'object' ? null : openAttemptFiles(req);
  if (req.abort?.aborted) return notStarted(req, startedAt, fds, 'canceled', 'canceled before it started');
  const started = await startProcess(req, how, fds);
  const pid = started.pid;
  // A missing cwd fails the spawn too; it is checked only then, since a stat per attempt costs in a fan-out.
  if (pid === undefined) return notStarted(req, startedAt, fds, 'failed', checkCwd(req.cwd) ?? (await started.spawnError()));
  // The child holds its own copies of the log fds; piped, node writes to them until the pipes drain.
  if (fds && !piped) for (const fd of fds) closeSync(fd);
  const pumps: LivePump[] = [];
  // The log holds masked text; `output:` parses what the task wrote, and only the parsed value is masked.
  const rawStdout = piped && req.outputMode !== 'file' ? new RawCapture(OUTPUT_CAP_BYTES) : undefined;
  if (fds && started.stdout) pumps.push(pumpStream(started.stdout, fds[0], 'stdout', req.secrets, req.onOutput, rawStdout));
  if (fds && started.stderr) pumps.push(pumpStream(started.stderr, fds[1], 'stderr', req.secrets, req.onOutput));
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
  const timer = req.timeoutMs === undefined ? undefined : setLongTimeout(() => stopGracefully('timeout'), req.timeoutMs);
  const onAbort = (): void => {
    if (req.abort?.reason === 'interrupt') return stopGracefully('interrupt');
    if (req.abort?.reason === 'stop') return stopGracefully('cancel');
    ending ??= 'cancel';
    signalGroup(pid, 'SIGKILL');
  };
  req.abort?.addEventListener('abort', onAbort, { once: true });
  if (req.abort?.aborted) onAbort(); // aborted while the helper was starting it

  const exit: Exit = await started.exited;
  timer?.clear();
  req.abort?.removeEventListener('abort', onAbort);
  started.release();

  let { status, error } = classify(exit, ending, req.timeoutMs);
  // Nothing of a failed, timed-out or canceled attempt survives; a completed one's leftovers are the engine's.
  if (status !== 'completed') await killGroup(pid);
  if (terminating !== null) await terminating;
  await drain(pumps, pid);
  if (fds && piped) for (const fd of fds) closeSync(fd);

  let output: unknown = null;
  let outputMasked = false;
  if (status !== 'canceled') {
    // A failed or timed-out attempt keeps what it reported too (its error details); only its parse errors are moot.
    const parsed = parseOutput(req.outputMode, rawStdout?.read() ?? req.stdoutPath, req.outputFile, req.secrets);
    if (parsed.ok) {
      output = parsed.value;
      outputMasked = parsed.masked === true;
    } else if (status === 'completed') {
      status = 'failed';
      error = parsed.error;
      await killGroup(pid);
    }
  }
  return outcome(req, startedAt, { status, error, exitCode: exit.code, signal: exit.signal, pid, output, ...(outputMasked ? { outputMasked } : {}) });
}

function classify(
  exit: Exit,
  ending: Ending | null,
  timeoutMs: number | undefined,
): { status: ExecStatus; error: string | null } {
  if (ending === 'timeout') return { status: 'timed_out', error: `timed out after ${formatDuration(timeoutMs ?? 0)}` };
  if (ending === 'cancel') return { status: 'canceled', error: 'canceled' };
  if (ending === 'interrupt') return { status: 'canceled', error: 'interrupted' };
  if (exit.lost !== undefined) return { status: 'failed', error: exit.lost };
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
