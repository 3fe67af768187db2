// Runs ONE attempt of a command task in its own process group and maps the result to an ExecOutcome.
import { statSync } from 'node:fs';
import type { ExecOutcome, ExecRequest, ExecStatus } from './types.js';
import { clearAttemptFiles, LazyLog, OUTPUT_CAP_BYTES, readTail } from './logs.js';
import { maskText } from './masking.js';
import { parseOutput } from './output.js';
import { killGroup, signalGroup, terminateGroup } from './process-group.js';
import { drain, pumpStream, RawCapture, type LivePump } from './live-output.js';
import { setLongTimeout } from './long-timer.js';
import { formatDuration } from '../blueprint/duration.js';
import { spawnDirect, spawnWithExeca, type Exit, type Started } from './spawners.js';
import { readySpawnHelper, spawnHelper, type HelperSpawn } from './spawn-helper-client.js';

type Ending = 'timeout' | 'cancel' | 'interrupt';

/**
 * How an attempt whose output goes only to its log files is started: `direct` (child_process.spawn from this
 * process), `helper` (by a spawn helper process, which also reads its pipes), `auto` (the default: direct, but by a
 * spawn helper that is up while another attempt runs, so forks stop blocking a busy driver) or `execa` (kept so
 * tests and the benchmark can compare). Masking secrets or live output needs the bytes here: direct.
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

/** A problem found before anything ran: its one line also goes to the stderr log (its only file). */
function notStarted(req: ExecRequest, startedAt: number, status: ExecStatus, error: string): ExecOutcome {
  const log = new LazyLog(req.stderrPath);
  log.write(`${maskText(error, req.secrets)}\n`);
  log.close();
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
type Route = 'direct' | 'execa' | Helper;

/** Where this attempt's process is started from (see Spawner). */
async function route(req: ExecRequest, spawner: Spawner): Promise<Route> {
  // Masking or live output needs the bytes in this process; otherwise a helper may read them and write the logs.
  if (req.secrets.some((s) => s !== '') || req.onOutput !== undefined) return spawner === 'execa' ? 'execa' : 'direct';
  if (spawner === 'direct' || spawner === 'execa') return spawner;
  const helper = spawner === 'helper' ? await spawnHelper() : underWay > 1 ? readySpawnHelper() : null;
  return helper ?? 'direct';
}

/** Starts the process: by the helper (which clears the paths and writes the logs itself, off this thread) or from here. */
async function startProcess(req: ExecRequest, how: Route): Promise<Started> {
  const { file, args, cwd, env, stdin } = req;
  if (typeof how === 'object') {
    const { stdoutPath, stderrPath, outputFile } = req;
    return how.spawn({ file, args, cwd, env, ...(stdin === undefined ? {} : { stdin }), stdoutPath, stderrPath, outputFile });
  }
  const spec = { file, args, cwd, env, stdin };
  return how === 'direct' ? spawnDirect(spec) : await spawnWithExeca(spec);
}

async function runAttempt(req: ExecRequest, startedAt: number, spawner: Spawner): Promise<ExecOutcome> {
  const how = await route(req, spawner);
  if (typeof how !== 'object') clearAttemptFiles(req);
  if (req.abort?.aborted) return notStarted(req, startedAt, 'canceled', 'canceled before it started');
  const started = await startProcess(req, how);
  const pid = started.pid;
  // A missing cwd fails the spawn too; it is checked only then, since a stat per attempt costs in a fan-out.
  if (pid === undefined) return notStarted(req, startedAt, 'failed', checkCwd(req.cwd) ?? (await started.spawnError()));
  const pumps: LivePump[] = [];
  // The log holds masked text; `output:` parses what the task wrote, and only the parsed value is masked.
  const rawStdout = started.stdout && req.outputMode !== 'file' ? new RawCapture(OUTPUT_CAP_BYTES) : undefined;
  if (started.stdout) pumps.push(pumpStream(started.stdout, new LazyLog(req.stdoutPath), 'stdout', req.secrets, req.onOutput, rawStdout));
  if (started.stderr) pumps.push(pumpStream(started.stderr, new LazyLog(req.stderrPath), 'stderr', req.secrets, req.onOutput));
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

  let output: unknown = null;
  let outputMasked = false;
  if (status !== 'canceled') {
    // A failed or timed-out attempt keeps what it reported too (its error details); only its parse errors are moot.
    const parsed = parseOutput(req.outputMode, rawStdout?.read() ?? { file: req.stdoutPath }, req.outputFile, req.secrets);
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
