// Shared helpers for the executor tests: temp dirs, requests for bash scripts, and /proc liveness checks.
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { isAlive, tempDir as sharedTempDir, waitFor } from '../helpers/cli.js';
import type { ExecRequest } from '../../src/executor/index.js';

export function tempDir(): string {
  return sharedTempDir('baton-exec-');
}

/** A request running `script` with bash in a fresh temp dir; env holds only PATH and BATON_OUTPUT. */
export function bashRequest(script: string, overrides: Partial<ExecRequest> = {}): ExecRequest & { dir: string } {
  const dir = tempDir();
  const outputFile = join(dir, 'run', 'output');
  return {
    dir,
    file: 'bash',
    args: ['-c', script],
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', BATON_OUTPUT: outputFile },
    cwd: dir,
    stdoutPath: join(dir, 'logs', 'stdout.log'),
    stderrPath: join(dir, 'logs', 'stderr.log'),
    outputMode: 'file',
    outputFile,
    killGraceMs: 2000,
    secrets: [],
    ...overrides,
  };
}

/** Gone = no /proc entry or a zombie (PID 1 here does not reap orphans). Independent of the code under test. */
export const isGone = (pid: number): boolean => !isAlive(pid);

export { waitFor };

/** Read a pid a script wrote to a file (waiting for it to appear). */
export async function readPidFile(path: string): Promise<number> {
  await waitFor(() => existsSync(path) && readFileSync(path, 'utf8').trim() !== '');
  return Number(readFileSync(path, 'utf8').trim());
}

/** Last-resort cleanup so a failing test leaves no sleeper behind. */
export function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    /* already gone */
  }
}
