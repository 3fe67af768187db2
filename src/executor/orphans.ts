// Finds a run's processes wherever they are: every task process carries BATON_RUN_DIR in its environment, even one
// that left its attempt's process group (setsid), so a crashed driver's leftovers and escaped processes are found.
import fs from 'node:fs';
import { isGoneState, readProcStat } from '../proc/stat.js';
import { groupMembers, readCommand, terminateGroup } from './process-group.js';

export interface RunProcess {
  pid: number;
  pgrp: number;
  command: string;
  /** BATON_TASK_ID and BATON_ATTEMPT of its environment (the attempt that started it, or an ancestor of it). */
  task: string | null;
  attempt: number | null;
}

/**
 * Live processes (not zombies) with `BATON_RUN_DIR=<runDir>` in their initial environment, outside our own process
 * group. The run folder, not the run id: ids are unique only within a state dir, and another checkout may run the
 * same id. One pass over /proc, reading each environ once: call it rarely (a run's end, a failed attempt's end).
 */
export function findRunProcesses(runDir: string): RunProcess[] {
  const needle = Buffer.from(`\0BATON_RUN_DIR=${runDir}\0`);
  const first = Buffer.from(`BATON_RUN_DIR=${runDir}\0`);
  const found: RunProcess[] = [];
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    return [];
  }
  const own = readProcStat('self')?.pgrp;
  for (const entry of entries) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const environ = fs.readFileSync(`/proc/${entry}/environ`);
      if (!environ.includes(needle) && !environ.subarray(0, first.length).equals(first)) continue;
      const stat = readProcStat(Number(entry));
      if (stat === null || isGoneState(stat.state) || stat.pgrp === own) continue;
      const pid = Number(entry);
      found.push({ pid, pgrp: stat.pgrp, command: readCommand(pid), task: envValue(environ, 'BATON_TASK_ID'), attempt: numberOrNull(envValue(environ, 'BATON_ATTEMPT')) });
    } catch {
      continue;
    }
  }
  return found;
}

/**
 * Ends every process of the run still alive (SIGTERM, grace, SIGKILL), so a new attempt never overlaps an old one.
 * `spare` (`key#attempt`): attempts taken up again (a remote worker on this machine runs them); their groups live on.
 */
export async function killRunProcesses(runDir: string, graceMs: number, spare: ReadonlySet<string> = new Set()): Promise<{ pid: number; command: string }[]> {
  const found = findRunProcesses(runDir);
  const spared = new Set(found.filter((p) => spare.has(`${p.task}#${p.attempt}`)).map((p) => p.pgrp));
  const groups = [...new Set(found.map((p) => p.pgrp))].filter((g) => !spared.has(g));
  const killed = groups.flatMap((g) => groupMembers(g));
  await Promise.all(groups.map((g) => terminateGroup(g, graceMs)));
  return killed;
}

function envValue(environ: Buffer, name: string): string | null {
  const prefix = `${name}=`;
  for (const entry of environ.toString('utf8').split('\0')) if (entry.startsWith(prefix)) return entry.slice(prefix.length);
  return null;
}

function numberOrNull(text: string | null): number | null {
  return text !== null && /^\d+$/.test(text) ? Number(text) : null;
}
