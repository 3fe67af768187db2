// The actions a page may take, each exactly as its CLI command: cancel and signal through the app layer's functions;
// retry, rerun and resume as the CLI command itself, detached, so the run outlives the UI.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cancelRun } from '../app/cancel.js';
import { signalRun } from '../app/signal.js';
import { BatonError } from '../errors/exit.js';
import { isLockHeld } from '../store/index.js';
import { captureIO } from './capture-io.js';
import { HttpError } from './http.js';
import { BIN_FILE } from './paths.js';
import { checkKey, runFolder } from './run-files.js';

export interface ActionResult {
  ok: true;
  message: string;
}

/** How long a started command is watched for an early error before the action answers "started". */
const START_WAIT_MS = 10_000;
/** How long a cancel waits for the driver to stop before it answers (the run goes on stopping). */
const CANCEL_WAIT_MS = 5_000;

/** An error the app layer reports to a user (unknown task, run already finished…) becomes a 409 with its message. */
async function asAction(run: (io: ReturnType<typeof captureIO>) => Promise<number>): Promise<ActionResult> {
  const io = captureIO();
  try {
    const code = await run(io);
    if (code !== 0) throw new HttpError(409, io.text().trim() || `the command ended with exit code ${code}`);
  } catch (err) {
    if (err instanceof BatonError) throw new HttpError(409, err.hint ? `${err.message} (${err.hint})` : err.message);
    throw err;
  }
  return { ok: true, message: io.text().trim() };
}

export class Actions {
  constructor(readonly stateDir: string) {}

  async cancel(id: string): Promise<ActionResult> {
    const dir = runFolder(this.stateDir, id);
    // No driver: `baton cancel` drives the run to its end itself (its finally tasks run), so it runs detached too.
    if (isLockHeld(dir) === null) return this.detached(id, ['cancel', id]);
    return asAction((io) => cancelRun(io, id, { stateDir: this.stateDir, wait: CANCEL_WAIT_MS, reload: false, keepGoing: false, json: false, quiet: true, verbose: false }));
  }

  async signal(id: string, body: Record<string, unknown>): Promise<ActionResult> {
    runFolder(this.stateDir, id);
    const task = body['task'];
    if (typeof task !== 'string' || task === '') throw new HttpError(400, 'signal needs {"task": "<instance key>"}');
    checkKey(task);
    const fail = body['fail'];
    if (fail !== undefined && typeof fail !== 'string') throw new HttpError(400, '"fail" is the reason, as text');
    if (fail !== undefined && body['data'] !== undefined) throw new HttpError(400, '"fail" and "data" do not go together: a failed wait has no output');
    const data = body['data'] === undefined ? undefined : JSON.stringify(body['data']);
    return asAction((io) =>
      signalRun(io, id, task, { stateDir: this.stateDir, fail: fail !== undefined, ...(fail !== undefined ? { reason: fail || 'rejected in baton ui' } : {}), ...(data !== undefined ? { data } : {}) }),
    );
  }

  retry(id: string): Promise<ActionResult> {
    runFolder(this.stateDir, id);
    return this.detached(id, ['retry', id]);
  }

  resume(id: string): Promise<ActionResult> {
    runFolder(this.stateDir, id);
    return this.detached(id, ['resume', id]);
  }

  rerun(id: string, body: Record<string, unknown>): Promise<ActionResult> {
    runFolder(this.stateDir, id);
    const from = body['from'];
    if (typeof from !== 'string' || from === '') throw new HttpError(400, 'rerun needs {"from": "<instance key>"}');
    checkKey(from);
    return this.detached(id, ['rerun', id, '--from', from]);
  }

  /**
   * Starts `baton <args>` in its own process group with no terminal: it answers once the command holds the run (or
   * ended). Its stderr goes to an unlinked file read back only if it fails early; the run folder keeps everything else.
   */
  private async detached(id: string, args: string[]): Promise<ActionResult> {
    const dir = runFolder(this.stateDir, id);
    const errFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'baton-ui-')), 'stderr');
    const errFd = fs.openSync(errFile, 'w+');
    fs.rmSync(path.dirname(errFile), { recursive: true, force: true });
    try {
      const child = spawn(process.execPath, [BIN_FILE, ...args, '--quiet', '--state-dir', this.stateDir], {
        detached: true,
        stdio: ['ignore', 'ignore', errFd],
        cwd: process.cwd(),
        env: { ...process.env, NO_COLOR: '1' },
      });
      child.unref();
      const exited = new Promise<number>((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1))));
      const spawnError = new Promise<never>((_, reject) => child.on('error', (err) => reject(new HttpError(500, `cannot start baton: ${err.message}`))));
      const started = (async (): Promise<'started' | 'slow'> => {
        const end = Date.now() + START_WAIT_MS;
        while (Date.now() < end) {
          if (isLockHeld(dir)?.pid === child.pid) return 'started';
          await new Promise((r) => setTimeout(r, 50));
        }
        return 'slow';
      })();
      const outcome = await Promise.race([exited, started, spawnError]);
      const command = `baton ${args.join(' ')}`;
      if (typeof outcome === 'number') {
        const stderr = readAll(errFd).replace(/^baton: error: /, '').trim();
        // 1 is a run that ended failed: the command did its job. 2 and up: it refused (already running, finished…).
        if (outcome > 1) throw new HttpError(409, stderr || `${command} failed (exit code ${outcome})`);
        return { ok: true, message: `${command}: the run ended ${outcome === 0 ? 'ok' : 'not ok'}` };
      }
      return { ok: true, message: `${command} started (pid ${child.pid})` };
    } finally {
      fs.closeSync(errFd);
    }
  }
}

function readAll(fd: number): string {
  const size = fs.fstatSync(fd).size;
  const buffer = Buffer.alloc(Math.min(size, 64 * 1024));
  return buffer.subarray(0, fs.readSync(fd, buffer, 0, buffer.length, 0)).toString('utf8');
}
