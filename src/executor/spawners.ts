// Two ways to start an attempt's process in its own process group: child_process.spawn with the log files as its
// stdout/stderr (the hot path: node never touches the bytes), or execa with pipes when node must see the bytes.
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
  /** Open log files; the direct spawner hands them to the child, the piped one leaves them to the caller. */
  stdoutFd: number;
  stderrFd: number;
}

export interface Started {
  /** undefined when the program could not be started: then spawnError() says why. */
  pid: number | undefined;
  spawnError(): Promise<string>;
  exited: Promise<Exit>;
  /** Pipes to read (piped spawner only). */
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

/** child_process.spawn, stdio straight to the log files: no pipes, no streams, no per-spawn option normalisation. */
export function spawnDirect(spec: SpawnSpec): Started {
  let child: ChildProcess;
  try {
    child = spawn(spec.file, spec.args, {
      cwd: spec.cwd,
      env: spec.env,
      detached: true, // own session, hence own process group (pgid = pid)
      stdio: [spec.stdin === undefined ? 'ignore' : 'pipe', spec.stdoutFd, spec.stderrFd],
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
    stdout: null,
    stderr: null,
    release: () => child.stdin?.destroy(),
  };
}

/**
 * execa: with `pipe`, stdout/stderr come into node (for masking secrets and live output, --verbose); with `files`,
 * the log files are the child's stdout/stderr (the lean execa setup the direct spawner replaced; kept to measure).
 */
export async function spawnWithExeca(spec: SpawnSpec, output: 'pipe' | 'files'): Promise<Started> {
  // Loaded on first use: most runs never pipe, and execa adds ~6 MB that every fork of baton would copy.
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
    // A file descriptor number is handed to the child as is; execa's types list only fds 3-9 but any open fd works.
    stdout: (output === 'pipe' ? 'pipe' : spec.stdoutFd) as Options['stdout'],
    stderr: (output === 'pipe' ? 'pipe' : spec.stderrFd) as Options['stderr'],
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
