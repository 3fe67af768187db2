// Process-group helpers over /proc: who is still in a group, signal it, terminate it.
import { readdirSync, readFileSync } from 'node:fs';
import { isGoneState, readProcStat } from '../proc/stat.js';

const POLL_MS = 20;
/** How long to wait for SIGKILLed processes to vanish before giving up (uninterruptible sleep can delay it). */
const AFTER_KILL_WAIT_MS = 3000;

/** The command line of a process, `[comm]` for a kernel thread, `?` when gone. */
export function readCommand(pid: number): string {
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0+$/, '').replace(/\0/g, ' ');
    if (cmdline !== '') return cmdline;
  } catch {
    // fall through to comm
  }
  try {
    return `[${readFileSync(`/proc/${pid}/comm`, 'utf8').trim()}]`;
  } catch {
    return '?';
  }
}

export interface GroupMember {
  pid: number;
  command: string;
}

/** Processes still alive (not zombies) in process group `pgid`: pid and command line. */
export function groupMembers(pgid: number): GroupMember[] {
  return membersOfGroups([pgid]).get(pgid) ?? [];
}

/**
 * Live members of each of many process groups from ONE scan of /proc (only groups with members are in the map):
 * calling groupMembers per group rescans every process each time.
 */
export function membersOfGroups(pgids: Iterable<number>): Map<number, GroupMember[]> {
  const wanted = new Set(pgids);
  const found = new Map<number, GroupMember[]>();
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return found;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    const stat = readProcStat(pid);
    if (stat === null || !wanted.has(stat.pgrp) || isGoneState(stat.state)) continue;
    const members = found.get(stat.pgrp) ?? [];
    members.push({ pid, command: readCommand(pid) });
    found.set(stat.pgrp, members);
  }
  return found;
}

/** Signal a whole process group; ignores ESRCH. Refuses pgid <= 1, which would hit our own group or everything. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  if (!Number.isInteger(pgid) || pgid <= 1) return;
  try {
    process.kill(-pgid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Poll until the group has no live member or `limitMs` passed; true when it emptied. */
async function waitGroupEmpty(pgid: number, limitMs: number): Promise<boolean> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    if (groupMembers(pgid).length === 0) return true;
    if (Date.now() >= deadline) return false;
    await sleep(Math.min(POLL_MS, Math.max(1, deadline - Date.now())));
  }
}

/** SIGTERM the group, wait up to graceMs for it to empty, then SIGKILL. Resolves when gone. */
export async function terminateGroup(pgid: number, graceMs: number): Promise<void> {
  signalGroup(pgid, 'SIGTERM');
  if (await waitGroupEmpty(pgid, graceMs)) return;
  await killGroup(pgid);
}

/** SIGKILL the group and wait (bounded) until no member is left. */
export async function killGroup(pgid: number): Promise<void> {
  signalGroup(pgid, 'SIGKILL');
  await waitGroupEmpty(pgid, AFTER_KILL_WAIT_MS);
}
