// What /proc says about a process, read by the tests themselves (independent of the code under test).
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** Fields 3 onwards of /proc/<pid>/stat (state, ppid, pgrp, session, …: field N is at index N - 3); null when gone. */
export function procStat(pid: number): string[] | null {
  let raw: string;
  try {
    raw = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // The command name (field 2) may contain spaces and parens: split after the last ')'.
  return raw.slice(raw.lastIndexOf(')') + 2).split(' ');
}

/** Alive and not a zombie (PID 1 here does not reap orphans). */
export function isAlive(pid: number): boolean {
  const fields = procStat(pid);
  return fields !== null && fields[0] !== 'Z';
}

/** The command line, arguments joined by spaces; '' when gone. */
export function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return '';
  }
}

/** The process has an inotify instance open (node's fs.watch): it is waiting for files to change. */
export function watchesFiles(pid: number): boolean {
  try {
    return readdirSync(`/proc/${pid}/fd`).some((fd) => {
      try {
        return readlinkSync(`/proc/${pid}/fd/${fd}`) === 'anon_inode:inotify';
      } catch {
        return false; // closed meanwhile
      }
    });
  } catch {
    return false;
  }
}
