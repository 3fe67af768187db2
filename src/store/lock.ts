// driver.lock: one driver per run; a lock whose process is dead (gone, zombie, or pid reused) is taken over.
import fs from 'node:fs';
import os from 'node:os';
import { isProcessAlive, processStartTime } from '../proc/stat.js';
import { StoreError, hasErrno, ioError } from './errors.js';

export interface LockInfo {
  pid: number;
  host: string;
  started_at: string;
  pid_start: string | null;
}

/** Whether the lock holder still runs. A holder on another host cannot be checked, so it counts as live. */
function isHolderAlive(info: LockInfo): boolean {
  return info.host !== os.hostname() || isProcessAlive(info.pid, info.pid_start);
}

function parseLockInfo(text: string): LockInfo | null {
  try {
    const value = JSON.parse(text) as Partial<LockInfo>;
    if (typeof value.pid !== 'number' || typeof value.host !== 'string' || typeof value.started_at !== 'string') return null;
    return {
      pid: value.pid,
      host: value.host,
      started_at: value.started_at,
      pid_start: typeof value.pid_start === 'string' ? value.pid_start : null,
    };
  } catch {
    return null;
  }
}

/** The lock's content, or null when there is no lock (or it cannot be read). */
export function readLockFile(lockPath: string): LockInfo | null {
  try {
    return parseLockInfo(fs.readFileSync(lockPath, 'utf8'));
  } catch {
    return null;
  }
}

export function describeHolder(info: LockInfo): string {
  return `pid ${info.pid} on host ${info.host} (since ${info.started_at})`;
}

function currentHolder(): LockInfo {
  return {
    pid: process.pid,
    host: os.hostname(),
    started_at: new Date().toISOString(),
    pid_start: processStartTime(process.pid),
  };
}

/** Publish the lock complete or not at all: write a temp file, then link() it, which fails if a lock exists. */
function tryCreateLock(lockPath: string, info: LockInfo): boolean {
  const temp = `${lockPath}.new-${process.pid}`;
  const content = JSON.stringify(info) + '\n';
  try {
    fs.writeFileSync(temp, content);
    try {
      fs.linkSync(temp, lockPath);
    } catch (err) {
      // File systems without hard links: fall back to an exclusive create.
      if (!hasErrno(err, 'EPERM') && !hasErrno(err, 'ENOTSUP') && !hasErrno(err, 'EOPNOTSUPP')) throw err;
      fs.writeFileSync(lockPath, content, { flag: 'wx' });
    }
    return true;
  } catch (err) {
    if (hasErrno(err, 'EEXIST')) return false;
    throw ioError(err, 'creating', lockPath);
  } finally {
    fs.rmSync(temp, { force: true });
  }
}

/** Move a stale lock aside; false if the lock changed meanwhile (someone else took it over first). */
function removeStaleLock(lockPath: string, staleText: string): boolean {
  const aside = `${lockPath}.stale-${process.pid}`;
  try {
    fs.renameSync(lockPath, aside);
  } catch (err) {
    if (hasErrno(err, 'ENOENT')) return true;
    throw ioError(err, 'removing', lockPath);
  }
  let movedText: string;
  try {
    movedText = fs.readFileSync(aside, 'utf8');
  } catch (err) {
    throw ioError(err, 'reading', aside);
  }
  if (movedText !== staleText) {
    // We moved a fresh lock of another driver: put it back (link fails only if yet another lock appeared).
    try {
      fs.linkSync(aside, lockPath);
    } catch {
      // Nothing more we can do safely; the other driver's own lock stays authoritative.
    }
    fs.rmSync(aside, { force: true });
    return false;
  }
  fs.rmSync(aside, { force: true });
  return true;
}

/** Take the lock at `lockPath`; `label` names what is locked in the error ("run X"). */
export function acquireLockFile(lockPath: string, label: string): { held: LockInfo; staleHolder: LockInfo | null } {
  const held = currentHolder();
  let staleHolder: LockInfo | null = null;
  for (let attempt = 0; attempt < 5; attempt++) {
    if (tryCreateLock(lockPath, held)) return { held, staleHolder };
    let text: string;
    try {
      text = fs.readFileSync(lockPath, 'utf8');
    } catch (err) {
      if (hasErrno(err, 'ENOENT')) continue; // released between our attempts
      throw ioError(err, 'reading', lockPath);
    }
    const holder = parseLockInfo(text);
    if (holder !== null && isHolderAlive(holder)) {
      throw new StoreError('locked', `${label} is being driven by ${describeHolder(holder)}`, lockPath);
    }
    // An unreadable lock can only be damage (locks appear whole), so it is taken over like a dead one.
    if (removeStaleLock(lockPath, text)) staleHolder = holder ?? staleHolder;
  }
  const holder = readLockFile(lockPath);
  const who = holder !== null ? describeHolder(holder) : 'another process';
  throw new StoreError('locked', `${label} is being driven by ${who}`, lockPath);
}

/** Remove the lock only if it is still the one we took. */
export function releaseLockFile(lockPath: string, held: LockInfo): void {
  const current = readLockFile(lockPath);
  if (current === null || current.pid !== held.pid || current.started_at !== held.started_at) return;
  try {
    fs.rmSync(lockPath, { force: true });
  } catch (err) {
    throw ioError(err, 'removing', lockPath);
  }
}

/** The live holder of the lock at `lockPath`, or null (none, or its process is dead). */
export function liveLockHolder(lockPath: string): LockInfo | null {
  const info = readLockFile(lockPath);
  return info !== null && isHolderAlive(info) ? info : null;
}
