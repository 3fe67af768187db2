// Runs the real `bin/baton.js` in a temporary folder, as a user or a CI step would.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const BIN = path.join(ROOT, 'bin', 'baton.js');

export interface Result {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export function tempDir(prefix = 'baton-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Writes files (name → text) into dir and returns dir. */
export function writeFiles(dir: string, files: Record<string, string>): string {
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

export function start(args: string[], options: { cwd: string; env?: Record<string, string | undefined> }): { child: ChildProcess; done: Promise<Result> } {
  const env: Record<string, string | undefined> = { ...process.env, CI: 'true', NO_COLOR: '1', FORCE_COLOR: undefined, BATON_STATE_DIR: undefined, GITHUB_ACTIONS: undefined, GITHUB_STEP_SUMMARY: undefined, BATON_JUNIT: undefined, ...options.env };
  // `--`: as the bin's shebang does, so Node leaves baton's `--env-file` alone (nodejs/node#54232).
  const child = spawn(process.execPath, ['--', BIN, ...args], { cwd: options.cwd, env: env as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const done = new Promise<Result>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, done };
}

export function baton(args: string[], options: { cwd: string; env?: Record<string, string | undefined> }): Promise<Result> {
  return start(args, options).done;
}

/** The state.json of the only (or named) run in `<cwd>/.baton`. */
export function readState(cwd: string, id?: string): Record<string, any> {
  const runs = path.join(cwd, '.baton', 'runs');
  const runId = id ?? fs.readdirSync(runs)[0]!;
  return JSON.parse(fs.readFileSync(path.join(runs, runId, 'state.json'), 'utf8'));
}

export function runDirOf(cwd: string, id?: string): string {
  const runs = path.join(cwd, '.baton', 'runs');
  return path.join(runs, id ?? fs.readdirSync(runs)[0]!);
}

export { isAlive } from './proc.js';

export async function waitFor(check: () => boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** `baton run <file> --json` in `cwd`; checks no stack trace leaked and parses the summary (null when stdout is empty). */
export async function runJson(cwd: string, file: string, args: string[] = [], env?: Record<string, string>): Promise<Result & { cwd: string; summary: any }> {
  const r = await baton(['run', file, '--json', ...args], { cwd, ...(env ? { env } : {}) });
  if (/\n\s+at .+\.js:\d+:\d+/.test(r.stderr)) throw new Error(`stack trace on stderr:\n${r.stderr}`);
  return { ...r, cwd, summary: r.stdout ? JSON.parse(r.stdout) : null };
}

/** A blueprint given as text, run with --json in a fresh temp folder. */
export function runYaml(yaml: string, args: string[] = [], env?: Record<string, string>): ReturnType<typeof runJson> {
  return runJson(writeFiles(tempDir('baton-run-'), { 'wf.yaml': yaml }), 'wf.yaml', args, env);
}

/** Each task instance's status, by key. */
export const taskStatuses = (summary: any): Record<string, string> =>
  Object.fromEntries(Object.entries(summary.tasks).map(([k, t]: [string, any]) => [k, t.status]));
