// Shared helpers for the executor tests: temp dirs, requests for bash scripts, and /proc liveness checks.
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExecRequest } from '../../src/executor/index.js';

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'baton-exec-'));
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
export function isGone(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true;
  }
}

export async function waitFor(check: () => boolean, limitMs = 10000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

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
