// Store driver lock: refusal naming the holder, real holder processes, and takeover of dead/zombie/reused holders.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RunStore, StoreError, isLockHeld, processStartTime, type LockInfo } from '../../src/store/index.js';
import { waitFor } from '../helpers/cli.js';
import { state } from '../helpers/model.js';
import { procStat } from '../helpers/proc.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
let compiledStore: string;
let stateDir: string;
const children: ChildProcess[] = [];

beforeAll(() => {
  // Child processes need the store as JavaScript: compile src/store (and what it imports) into a temp folder.
  compiledStore = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-store-js-'));
  const tsc = path.join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
  const args = [tsc, '--outDir', compiledStore, '--rootDir', path.join(repoRoot, 'src'), '--module', 'nodenext', '--moduleResolution', 'nodenext'];
  args.push('--target', 'es2022', '--strict', '--skipLibCheck', '--types', 'node', path.join(repoRoot, 'src/store/index.ts'));
  const result = spawnSync(process.execPath, args, { cwd: repoRoot, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`tsc failed: ${result.stdout}${result.stderr}`);
  fs.writeFileSync(path.join(compiledStore, 'package.json'), '{"type":"module"}\n');
}, 120_000);
afterAll(() => {
  fs.rmSync(compiledStore, { recursive: true, force: true });
});
beforeEach(() => {
  stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-lock-'));
  RunStore.create(stateDir, 'r1', 'name: demo\n', state()).close();
});
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  fs.rmSync(stateDir, { recursive: true, force: true });
});

function lockedError(fn: () => unknown): StoreError {
  try {
    fn();
  } catch (err) {
    if (err instanceof StoreError && err.code === 'locked') return err;
    throw err;
  }
  throw new Error('expected the lock to be refused');
}
function lockFile(): string {
  return path.join(stateDir, 'runs', 'r1', 'driver.lock');
}
function writeLock(info: LockInfo): void {
  fs.writeFileSync(lockFile(), JSON.stringify(info));
}
const procState = (pid: number): string | null => procStat(pid)?.[0] ?? null;
/** Start a node process that opens run r1, takes its lock with the real store code, and sleeps. */
async function spawnLockHolder(): Promise<ChildProcess> {
  const script = `
    const { RunStore } = await import(${JSON.stringify(path.join(compiledStore, 'store', 'index.js'))});
    const { store } = RunStore.open(${JSON.stringify(stateDir)}, 'r1');
    store.acquireLock();
    process.stdout.write('locked\\n');
    setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => chunk.toString().includes('locked') && resolve());
    child.on('exit', (code) => reject(new Error(`lock holder exited with ${code}: ${stderr}`)));
  });
  return child;
}

describe('driver lock', () => {
  it('a second acquire in the same process is refused, naming pid, host and start time', () => {
    const first = RunStore.open(stateDir, 'r1').store;
    expect(first.acquireLock()).toEqual({ staleHolder: null });
    const held = first.readLock();
    expect(held).toMatchObject({ pid: process.pid, host: os.hostname(), pid_start: processStartTime(process.pid) });
    const second = RunStore.open(stateDir, 'r1').store;
    const error = lockedError(() => second.acquireLock());
    expect(error.message).toContain(`pid ${process.pid}`);
    expect(error.message).toContain(os.hostname());
    expect(error.message).toContain(held?.started_at ?? 'missing');
    expect(error.file).toBe(lockFile());
    expect(isLockHeld(path.join(stateDir, 'runs', 'r1'))).toEqual(held);

    first.releaseLock();
    expect(fs.existsSync(lockFile())).toBe(false);
    expect(isLockHeld(path.join(stateDir, 'runs', 'r1'))).toBeNull();
    expect(second.acquireLock()).toEqual({ staleHolder: null });
    second.releaseLock();
  });

  it('releaseLock does not remove a lock that is not ours', () => {
    const { store } = RunStore.open(stateDir, 'r1');
    store.acquireLock();
    const other: LockInfo = { pid: 1, host: os.hostname(), started_at: '2020-01-01T00:00:00.000Z', pid_start: null };
    writeLock(other);
    store.releaseLock();
    expect(JSON.parse(fs.readFileSync(lockFile(), 'utf8'))).toEqual(other);
  });

  it('a lock held by a live child process is refused; after SIGKILL it is taken over', async () => {
    const child = await spawnLockHolder();
    const { store } = RunStore.open(stateDir, 'r1');
    const error = lockedError(() => store.acquireLock());
    expect(error.message).toContain(`pid ${child.pid}`);
    expect(isLockHeld(path.join(stateDir, 'runs', 'r1'))?.pid).toBe(child.pid);

    const exited = new Promise((resolve) => child.on('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    await waitFor(() => [null, 'Z'].includes(procState(child.pid as number)), 20_000, 'the holder to die');
    expect(isLockHeld(path.join(stateDir, 'runs', 'r1'))).toBeNull();
    const { staleHolder } = store.acquireLock();
    expect(staleHolder?.pid).toBe(child.pid);
    expect(store.readLock()?.pid).toBe(process.pid);
    store.releaseLock();
  });

  it('a zombie holder counts as dead', async () => {
    // `sleep 0` exits and is never reaped by the `sleep 60` its shell became: a real zombie.
    const parent = spawn('sh', ['-c', 'sleep 0 & echo $!; exec sleep 60'], { stdio: ['ignore', 'pipe', 'ignore'] });
    children.push(parent);
    const zombiePid = await new Promise<number>((resolve) =>
      parent.stdout?.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim()))),
    );
    const pidStart = processStartTime(zombiePid);
    await waitFor(() => procState(zombiePid) === 'Z', 20_000, 'the child to become a zombie');
    writeLock({ pid: zombiePid, host: os.hostname(), started_at: '2024-01-01T00:00:00.000Z', pid_start: pidStart });
    const { store } = RunStore.open(stateDir, 'r1');
    expect(store.acquireLock().staleHolder?.pid).toBe(zombiePid);
    store.releaseLock();
  });

  it('a reused pid (different start time) counts as dead; another host counts as live', () => {
    const { store } = RunStore.open(stateDir, 'r1');
    const reused: LockInfo = { pid: process.pid, host: os.hostname(), started_at: '2024-01-01T00:00:00.000Z', pid_start: '1' };
    writeLock(reused);
    expect(store.acquireLock().staleHolder).toEqual(reused);
    store.releaseLock();

    writeLock({ pid: 999999, host: 'elsewhere.example', started_at: '2024-01-01T00:00:00.000Z', pid_start: null });
    expect(lockedError(() => store.acquireLock()).message).toContain('elsewhere.example');
  });

  it('refuses when another driver wrote the run between open and lock', () => {
    const stale = RunStore.open(stateDir, 'r1').store;
    const other = RunStore.open(stateDir, 'r1').store;
    other.append({ seq: 1 });
    other.close();
    expect(lockedError(() => stale.acquireLock()).message).toContain('changed by another driver');
    expect(fs.existsSync(lockFile())).toBe(false);
  });
});
