// Spawn helpers seen from outside: a fan-out's forks move to helper processes, which never outlive the driver,
// whether it finishes, is killed with -9, or gets Ctrl-C with its whole process group.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, baton, isAlive, readState, start, tempDir, waitFor, writeFiles } from '../helpers/cli.js';
import { commandLine, procStat } from '../helpers/proc.js';

const FANOUT = `
name: fan
concurrency: 4
tasks:
  - id: each
    for_each: \${{ [1..16] }}
    concurrency: 4
    do:
      - id: t
        run: |
          echo "$PPID" > "parent.$BATON_TASK_ID"
          echo "$BATON_TASK_ID" >> ledger
          # The first four (forked before any helper is up) are short, so later attempts overlap running ones.
          if [ \${{ item }} -le 4 ]; then sleep 0.3; else sleep "\${NAP:-0.3}"; fi
`;

// The attempts forked by the driver itself wait for the file gate, then end; those forked by a helper run until interrupted.
const GATED_FANOUT = `
name: fan
concurrency: 4
tasks:
  - id: each
    for_each: \${{ [1..16] }}
    concurrency: 4
    do:
      - id: t
        run: |
          echo "$PPID" > "parent.$BATON_TASK_ID"
          case "$(tr '\\0' ' ' < /proc/$PPID/cmdline)" in
            *spawn-helper.js*) sleep 30 ;;
            *) until [ -e gate ]; do sleep 0.05; done ;;
          esac
`;

/** The spawn helpers a driver started (running or not yet up). */
function helperChildren(driverPid: number): number[] {
  return fs.readdirSync('/proc').filter((f) => /^\d+$/.test(f)).map(Number)
    .filter((pid) => procStat(pid)?.[1] === String(driverPid) && commandLine(pid).includes('spawn-helper.js'));
}

/** A helper catches SIGHUP from the moment it says it is ready (spawn-helper.ts sets its handlers just before). */
function handlesSighup(pid: number): boolean {
  try {
    const caught = /^SigCgt:\s*([0-9a-f]+)$/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return caught !== undefined && (BigInt(`0x${caught}`) & 1n) === 1n;
  } catch {
    return false;
  }
}

/** How many attempts a spawn helper forked. */
const helperForked = (cwd: string): number =>
  fs.readdirSync(cwd).filter((f) => f.startsWith('parent.')).filter((f) => commandLine(Number(fs.readFileSync(path.join(cwd, f), 'utf8'))).includes('spawn-helper.js')).length;

const isGone = (pid: number): boolean => !isAlive(pid);

/** Pids of the processes that forked the attempts so far, read from the parent.* files the tasks wrote. */
function parents(cwd: string): Set<number> {
  const pids = fs.readdirSync(cwd).filter((f) => f.startsWith('parent.')).map((f) => Number(fs.readFileSync(path.join(cwd, f), 'utf8')));
  return new Set(pids.filter((pid) => pid > 0));
}

const helpersAmong = (pids: Set<number>) => [...pids].filter((pid) => commandLine(pid).includes('spawn-helper.js'));
const ledger = (cwd: string) => fs.readFileSync(path.join(cwd, 'ledger'), 'utf8').trim().split('\n');

describe('spawn helpers', () => {
  it('fork the overlapping attempts of a fan-out and are stopped and reaped by the driver at the end', async () => {
    const cwd = writeFiles(tempDir(), { 'wf.yaml': FANOUT });
    const driver = start(['run', 'wf.yaml'], { cwd });
    let helpers: number[] = [];
    // Helpers exit right after the driver, so they are looked up while the run is going.
    await waitFor(() => (helpers = helpersAmong(parents(cwd))).length > 0, 15_000, 'an attempt forked by a helper');
    const result = await driver.done;
    expect(result.code).toBe(0);
    expect(parents(cwd).has(driver.child.pid!)).toBe(true); // the first attempt, alone, is forked directly
    // The driver stopped and reaped them before exiting: not even a zombie is left (PID 1 here reaps nothing).
    expect(helpers.filter((pid) => fs.existsSync(`/proc/${pid}`))).toEqual([]);
    expect(readState(cwd).status).toBe('completed');
  });

  it('exit when the driver is killed with -9; resume ends the run without repeating finished items', async () => {
    const cwd = writeFiles(tempDir(), { 'wf.yaml': FANOUT });
    const driver = start(['run', 'wf.yaml', '--run-id', 'killed'], { cwd, env: { NAP: '1' } });
    let helpers: number[] = [];
    await waitFor(() => (helpers = helpersAmong(parents(cwd))).length > 0, 15_000, 'an attempt forked by a helper');
    driver.child.kill('SIGKILL');
    await driver.done;
    await waitFor(() => helpers.every(isGone), 5_000, 'the helpers to exit');

    const finished = Object.values(readState(cwd, 'killed').tasks).filter((t: any) => t.id === 't' && t.status === 'completed').map((t: any) => t.key);
    const resumed = await baton(['resume', 'killed'], { cwd, env: { NAP: '0' } });
    expect(resumed.code).toBe(0);
    const runs = ledger(cwd);
    for (const key of finished) expect(runs.filter((k) => k === key)).toHaveLength(1);
    expect(new Set(runs).size).toBe(16);
  });

  it('ignore Ctrl-C sent to the whole process group: the driver interrupts the run and they exit after it', async () => {
    const cwd = writeFiles(tempDir(), { 'wf.yaml': GATED_FANOUT });
    // Its own process group, as a shell gives a foreground job, so the group can be signalled like a terminal does.
    const driver = spawn(process.execPath, [BIN, 'run', 'wf.yaml', '--run-id', 'ctrlc'], {
      cwd, detached: true, stdio: 'ignore', env: { ...process.env, CI: 'true', BATON_STATE_DIR: undefined } as NodeJS.ProcessEnv,
    });
    const exited = new Promise<number | null>((resolve) => driver.on('exit', (code) => resolve(code)));
    // The attempts the driver forks itself hold their slots until a helper is up, so the next ones go to it.
    await waitFor(() => helperChildren(driver.pid!).some(handlesSighup), 20_000, 'a spawn helper to be up');
    fs.writeFileSync(path.join(cwd, 'gate'), '');
    let helpers: number[] = [];
    await waitFor(() => (helpers = helpersAmong(parents(cwd))).length > 0 && helperForked(cwd) >= 2, 20_000, 'two attempts forked by a helper');
    process.kill(-driver.pid!, 'SIGINT');
    expect(await exited).toBe(130);
    await waitFor(() => helpers.every(isGone), 5_000, 'the helpers to exit');
    const state = readState(cwd, 'ctrlc');
    expect(state.status).toBe('interrupted');
    const pids = Object.values(state.tasks).flatMap((t: any) => t.history.map((a: any) => a.pid)).filter((pid): pid is number => typeof pid === 'number');
    expect(pids.length).toBeGreaterThan(0);
    expect(pids.every(isGone)).toBe(true);
    // Had a helper died of the SIGINT, how its attempts ended would be lost: no exit code, no signal.
    const ended = Object.values(state.tasks).flatMap((t: any) => t.history).filter((a: any) => a.error === 'interrupted');
    expect(ended.length).toBeGreaterThan(1);
    for (const attempt of ended) expect(attempt.signal ?? attempt.exit_code).not.toBeNull();
  });
});
