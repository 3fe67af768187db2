// Finds processes a crashed driver left behind: every task process carries BATON_RUN_DIR in its environment.
import fs from 'node:fs';
import { isGoneState, readProcStat } from '../proc/stat.js';
import { groupMembers, terminateGroup } from './process-group.js';

/**
 * Process groups whose members have `BATON_RUN_DIR=<runDir>` in their initial environment (alive, not zombies).
 * The run folder, not the run id: ids are unique only within a state dir, and another checkout may run the same id.
 */
export function runProcessGroups(runDir: string): number[] {
  const needle = Buffer.from(`\0BATON_RUN_DIR=${runDir}\0`);
  const first = Buffer.from(`BATON_RUN_DIR=${runDir}\0`);
  const groups = new Set<number>();
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    return [];
  }
  const own = ownGroup();
  for (const entry of entries) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const environ = fs.readFileSync(`/proc/${entry}/environ`);
      if (!environ.includes(needle) && !environ.subarray(0, first.length).equals(first)) continue;
      const stat = readProcStat(Number(entry));
      if (stat === null || isGoneState(stat.state)) continue;
      if (stat.pgrp !== own) groups.add(stat.pgrp);
    } catch {
      continue;
    }
  }
  return [...groups];
}

/** Ends every process of the run still alive (SIGTERM, grace, SIGKILL), so a new attempt never overlaps an old one. */
export async function killRunProcesses(runDir: string, graceMs: number): Promise<{ pid: number; command: string }[]> {
  const groups = runProcessGroups(runDir);
  const killed = groups.flatMap((g) => groupMembers(g));
  await Promise.all(groups.map((g) => terminateGroup(g, graceMs)));
  return killed;
}

function ownGroup(): number | undefined {
  return readProcStat('self')?.pgrp;
}
