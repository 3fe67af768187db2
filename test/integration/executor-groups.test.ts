// membersOfGroups: one /proc scan finds the live members of many process groups, like groupMembers per group.
import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { groupMembers, membersOfGroups } from '../../src/executor/index.js';
import { isGone, killQuietly, waitFor } from './executor-helpers.js';

const started: number[] = [];

/** A detached `sh` (its own group) with a sleeping child in the same group. */
function sleeperGroup(): number {
  const child = spawn('sh', ['-c', 'sleep 30 & sleep 30; wait'], { detached: true, stdio: 'ignore' });
  child.unref();
  started.push(child.pid as number);
  return child.pid as number;
}

afterEach(() => {
  for (const pgid of started.splice(0)) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      killQuietly(pgid);
    }
  }
});

describe('membersOfGroups', () => {
  it('maps each group with live members to them, and leaves out empty or unknown groups', async () => {
    const a = sleeperGroup();
    const b = sleeperGroup();
    // A forked child shows sh's command line until it has exec'd sleep: wait for both sleeps of both groups.
    const ready = (pgid: number): boolean => groupMembers(pgid).filter((m) => m.command === 'sleep 30').length === 2;
    await waitFor(() => ready(a) && ready(b));
    const found = membersOfGroups([a, b, 999_999_999]);
    expect([...found.keys()].sort()).toEqual([a, b].sort());
    for (const pgid of [a, b]) {
      const members = found.get(pgid) ?? [];
      expect(members.map((m) => m.pid).sort()).toEqual(groupMembers(pgid).map((m) => m.pid).sort());
      expect(members.some((m) => m.pid === pgid && m.command.startsWith('sh -c'))).toBe(true);
      expect(members.filter((m) => m.command === 'sleep 30')).toHaveLength(2);
    }
    process.kill(-a, 'SIGKILL');
    await waitFor(() => isGone(a));
    await waitFor(() => !membersOfGroups([a, b]).has(a));
    expect(membersOfGroups([a, b]).get(b)).toHaveLength(3);
  });
});
