// Two ways to start an attempt's process in its own process group, its stdout and stderr pipes that the caller reads
// (log files are created on the first byte): child_process.spawn (the hot path) or execa (kept to compare).
import { spawn, type ChildProcess } from 'node:child_process';
import type { Readable } from 'node:stream';
import type { Options } from 'execa';
import { describeSpawnError } from './messages.js';

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The exit could not be observed (the spawn helper died): why. */
  lost?: string;
}

export interface SpawnSpec {
  file: string;
  args: string[];
  cwd: string;
  /** The complete environment. */
  env: Record<string, string>;
  /** Text fed to stdin; otherwise stdin is /dev/null. */
  stdin?: string;
}

export interface Started {
  /** undefined when the program could not be started: then spawnError() says why. */
  pid: number | undefined;
  spawnError(): Promise<string>;
  exited: Promise<Exit>;
  /** Pipes to read (null when another process reads them: the spawn helper). */
  stdout: Readable | null;
  stderr: Readable | null;
  /** Let go of our end of stdin once the process exited. */
  release(): void;
}

/** Feeds stdin text to a child; a child that exits without reading it must not crash baton (EPIPE). */
function feedStdin(child: ChildProcess, text: string | undefined): void {
  if (text === undefined || child.stdin === null) return;
  child.stdin.on('error', () => {});
  child.stdin.end(text);
}

/** child_process.spawn, stdout and stderr piped: no per-spawn option normalisation. */
export function spawnDirect(spec: SpawnSpec): Started {
  let child: ChildProcess;
  try {
    child = spawn(spec.file, spec.args, {
      cwd: spec.cwd,
      env: spec.env,
      detached: true, // own session, hence own process group (pgid = pid)
      stdio: [spec.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
  } catch (error) {
    // Rare errors (e.g. E2BIG) are thrown at once instead of emitted; ENOENT, EACCES and the like are emitted.
    const reason = describeSpawnError(spec.file, { code: (error as NodeJS.ErrnoException).code, cause: error });
    return { pid: undefined, spawnError: async () => reason, exited: new Promise(() => {}), stdout: null, stderr: null, release() {} };
  }
  // Registered at once: the 'error' of a failed spawn comes on the next tick, and an unheard one would crash baton.
  const failed = new Promise<string>((resolve) => {
    child.on('error', (error: NodeJS.ErrnoException) => resolve(describeSpawnError(spec.file, { code: error.code, cause: error })));
  });
  const exited = new Promise<Exit>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  feedStdin(child, spec.stdin);
  return {
    pid: child.pid,
    spawnError: () => failed,
    exited,
    stdout: child.stdout,
    stderr: child.stderr,
    release: () => child.stdin?.destroy(),
  };
}

/** execa, stdout and stderr piped: what the direct spawner replaced, kept for tests and the benchmark to compare. */
export async function spawnWithExeca(spec: SpawnSpec): Promise<Started> {
  // Loaded on first use: baton itself never uses it, and execa adds ~6 MB that every fork of baton would copy.
  const { execa } = await import('execa');
  const options: Options = {
    cwd: spec.cwd,
    env: spec.env,
    extendEnv: false,
    detached: true, // own session, hence own process group (pgid = pid)
    cleanup: false,
    buffer: false,
    reject: false,
    ...(spec.stdin === undefined ? { stdin: 'ignore' as const } : { input: spec.stdin }),
    stdout: 'pipe',
    stderr: 'pipe',
  };
  const subprocess = execa(spec.file, spec.args, options);
  // reject: false makes it resolve; the catch only guards against an unexpected rejection going unhandled.
  const settled = Promise.resolve(subprocess).catch(() => undefined);
  return {
    pid: subprocess.pid,
    spawnError: async () => describeSpawnError(spec.file, (await settled) as { code?: unknown; cause?: unknown; shortMessage?: string } | undefined),
    exited: new Promise<Exit>((resolve) => subprocess.once('exit', (code, signal) => resolve({ code, signal }))),
    stdout: subprocess.stdout ?? null,
    stderr: subprocess.stderr ?? null,
    release: () => subprocess.stdin?.destroy(),
  };
}
