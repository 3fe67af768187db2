// What /proc/<pid>/stat says about a process — state, process group, start time — for the executor (process groups,
// leftovers, orphans) and the store (is a lock's holder still alive). One parser, so all of them read it alike.
import { existsSync, readFileSync } from 'node:fs';

export interface ProcStat {
  /** Field 3: R, S, D, Z, … */
  state: string;
  /** Field 5. */
  pgrp: number;
  /** Field 22: clock ticks since boot; tells a reused pid from the original. */
  startTime: string;
}

/** null when the process is gone (or /proc has no such entry). */
export function readProcStat(pid: number | 'self'): ProcStat | null {
  let raw: string;
  try {
    raw = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // The command name (field 2) may contain spaces and parens, so split after the last ')': fields[N - 3] is field N.
  const fields = raw.slice(raw.lastIndexOf(')') + 2).split(' ');
  const state = fields[0];
  const pgrp = Number(fields[2]);
  const startTime = fields[19];
  if (state === undefined || startTime === undefined || !Number.isFinite(pgrp)) return null;
  return { state, pgrp, startTime };
}

/** Zombies (Z) and dead (X) entries count as gone: PID 1 may not reap orphans. */
export const isGoneState = (state: string): boolean => state === 'Z' || state === 'X';

/** Start time of a live process; null if it is gone or a zombie. */
export function processStartTime(pid: number): string | null {
  const stat = readProcStat(pid);
  return stat === null || isGoneState(stat.state) ? null : stat.startTime;
}

/**
 * Whether a process of this host runs (not a zombie); with `startTime`, a reused pid does not count.
 * Without /proc (not Linux), kill(pid, 0) is all there is.
 */
export function isProcessAlive(pid: number, startTime: string | null = null): boolean {
  if (!existsSync('/proc/self/stat')) {
    try {
      process.kill(pid, 0);
      return true;
    } catch (err) {
      return (err as NodeJS.ErrnoException).code === 'EPERM';
    }
  }
  const stat = readProcStat(pid);
  if (stat === null || isGoneState(stat.state)) return false;
  return startTime === null || stat.startTime === startTime;
}
