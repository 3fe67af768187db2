// The driver's side of the spawn helpers (spawn-helper.ts): a small pool per baton process, started on demand,
// replaced if one dies; an attempt whose helper died is reported lost and its process group is killed by the caller.
import { fork, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { HelperReply, HelperRequest } from './spawn-helper.js';
import type { Exit, Started } from './spawners.js';

// src/executor and dist/executor are both two levels down, so from either this names the compiled helper.
const HELPER_PATH = fileURLToPath(new URL('../../dist/executor/spawn-helper.js', import.meta.url));
/** A helper that keeps dying is given up on: attempts are then started by the driver itself. */
const MAX_DEATHS = 3;

export type HelperSpawn = Omit<HelperRequest, 'id'>;

interface Pending {
  pid: number | undefined;
  started(result: Started): void;
  exited(exit: Exit): void;
  exit: Promise<Exit>;
}

class SpawnHelper {
  private readonly child: ChildProcess;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  ready = false;
  dead = false;
  /** stop() was asked: the helper's exit is expected, not a death. */
  private stopping = false;
  readonly whenReady: Promise<boolean>;
  private settleReady!: (ready: boolean) => void;

  constructor(private readonly onDeath: () => void) {
    this.whenReady = new Promise((resolve) => (this.settleReady = resolve));
    const env = { ...process.env };
    delete env.NODE_OPTIONS; // an --inspect or --require meant for baton must not start twice
    this.child = fork(HELPER_PATH, [], { stdio: ['ignore', 'ignore', 'ignore', 'ipc'], execArgv: [], env, serialization: 'json' });
    this.child.on('message', (reply: HelperReply) => this.onReply(reply));
    this.child.once('exit', (code, signal) => this.died(`baton's spawn helper exited (${signal ?? `code ${code}`})`));
    this.child.once('error', (error) => this.died(`baton's spawn helper failed: ${error.message}`));
    this.idle();
  }

  /** Resolves once the helper is up (or dead), keeping this process alive meanwhile: someone waits for it. */
  async awaitReady(): Promise<boolean> {
    this.child.ref();
    this.child.channel?.ref();
    const ready = await this.whenReady;
    this.idle();
    return ready;
  }

  /** Requests whose pid is not known yet: the helper is busy forking while this is above 0. */
  get starting(): number {
    let count = 0;
    for (const pending of this.pending.values()) if (pending.pid === undefined) count++;
    return count;
  }

  /** Starts one process; resolves once its pid (or why it could not start) is known. */
  spawn(request: HelperSpawn): Promise<Started> {
    const id = this.nextId++;
    let exited!: (exit: Exit) => void;
    const exit = new Promise<Exit>((resolve) => (exited = resolve));
    return new Promise<Started>((started) => {
      this.pending.set(id, { pid: undefined, started, exited, exit });
      // While a request is out, the IPC channel must keep baton alive: a promise alone does not.
      this.child.channel?.ref();
      this.child.send({ id, ...request } satisfies HelperRequest, (error) => {
        if (error) this.died(`could not reach baton's spawn helper: ${error.message}`);
      });
    });
  }

  private onReply(reply: HelperReply): void {
    if ('ready' in reply) {
      this.ready = true;
      this.settleReady(true);
      return;
    }
    const pending = this.pending.get(reply.id);
    if (!pending) return;
    if ('pid' in reply) {
      pending.pid = reply.pid;
      pending.started(started(reply.pid, pending.exit));
    } else if ('exit' in reply) {
      this.forget(reply.id);
      pending.exited(reply.exit);
    } else {
      this.forget(reply.id);
      pending.started(notStarted(reply.error));
    }
  }

  private forget(id: number): void {
    this.pending.delete(id);
    this.idle();
  }

  /** No requests out: the helper must not keep baton from exiting. */
  private idle(): void {
    if (this.pending.size > 0) return;
    this.child.channel?.unref();
    this.child.unref();
  }

  /** Closes the channel, upon which the helper exits, and waits (a second at most) so that it is reaped. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    if (this.child.connected) this.child.disconnect();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([exited, new Promise<void>((resolve) => (timer = setTimeout(resolve, 1000)))]);
    clearTimeout(timer);
  }

  private died(why: string): void {
    if (this.dead) return;
    this.dead = true;
    this.settleReady(false);
    if (!this.stopping) this.onDeath();
    for (const [id, pending] of this.pending) {
      this.forget(id);
      if (pending.pid === undefined) pending.started(notStarted(why));
      else pending.exited({ code: null, signal: null, lost: `lost track of the process: ${why}` });
    }
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }
}

function started(pid: number, exited: Promise<Exit>): Started {
  return { pid, spawnError: async () => '', exited, stdout: null, stderr: null, release() {} };
}

function notStarted(reason: string): Started {
  return { pid: undefined, spawnError: async () => reason, exited: new Promise(() => {}), stdout: null, stderr: null, release() {} };
}

/**
 * A helper blocks while its child is being forked and exec'd, so helpers work side by side: one per core, at least
 * two (measured on 2 cores: 2,000 × true took 3.0-3.3 s with one helper, 2.6-2.7 s with two, the same with four).
 */
const MAX_HELPERS = Math.min(4, Math.max(2, availableParallelism()));
const pool: SpawnHelper[] = [];
let deaths = 0;

function startHelper(): SpawnHelper | null {
  if (deaths >= MAX_DEATHS || pool.length >= MAX_HELPERS) return null;
  const helper = new SpawnHelper(() => {
    deaths++;
    const at = pool.indexOf(helper);
    if (at >= 0) pool.splice(at, 1);
  });
  pool.push(helper);
  return helper;
}

/**
 * The least busy helper that is up; another is started (for the next attempts) when every helper is busy starting
 * a process and none is on its way up. Null when none is up yet: start this attempt directly.
 */
export function readySpawnHelper(): { spawn(request: HelperSpawn): Promise<Started> } | null {
  let best: SpawnHelper | null = null;
  for (const helper of pool) if (helper.ready && (best === null || helper.starting < best.starting)) best = helper;
  const warming = pool.some((helper) => !helper.ready);
  if (!warming && (best === null || best.starting > 0)) startHelper();
  return best;
}

/** A helper, waiting for it to start; null when none can be started (tests and the benchmark force this way). */
export async function spawnHelper(): Promise<{ spawn(request: HelperSpawn): Promise<Started> } | null> {
  const helper = pool[0] ?? startHelper();
  return helper !== null && (await helper.awaitReady()) ? helper : null;
}

/** Ends every helper, e.g. when a run is over; the next overlapping attempts would start new ones. */
export async function stopSpawnHelpers(): Promise<void> {
  await Promise.all(pool.splice(0).map((helper) => helper.stop()));
}
