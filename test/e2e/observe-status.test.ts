// `baton status` end to end: the task tree of real runs, --json, --exit-status, --watch (plain and under a pseudo-terminal).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { baton, BIN, isAlive, runDirOf, start, tempDir, waitFor, writeFiles } from '../helpers/cli.js';
import { watchesFiles } from '../helpers/proc.js';

const NESTED = `
name: nest
tasks:
  - id: list
    run: printf 'a\\nb\\n'
    output: lines
  - id: fe
    for_each: \${{ tasks.list.output }}
    do:
      - id: x
        run: echo "item \${{ item }}"
  - id: par
    parallel:
      - - id: p1
          run: echo p1
      - - id: p2
          run: echo p2
  - id: sw
    switch: \${{ 'a' }}
    cases:
      a:
        - id: ca
          run: echo ca
    default:
      - id: cd
        run: echo cd
  - id: lp
    loop:
      do:
        - id: body
          run: echo "iter \${{ iteration }}"
      while: \${{ iteration < 1 }}
  - id: wf
    workflow: child.yaml
  - id: bad
    run: |
      for i in $(seq 1 15); do echo "stderr line $i" >&2; done
      exit 4
  - id: never
    run: echo never
on_failure:
  - id: notify
    run: echo notified
finally:
  - id: cleanup
    run: echo clean
`;
const CHILD = `
name: child
tasks:
  - id: c1
    run: echo child
`;

function nestedRun(): Promise<{ cwd: string }> {
  const cwd = writeFiles(tempDir(), { 'nest.yaml': NESTED, 'child.yaml': CHILD });
  return baton(['run', 'nest.yaml', '--run-id', 'nested-1'], { cwd }).then((r) => {
    expect(r.code).toBe(1);
    return { cwd };
  });
}

/**
 * Starts a run whose first task waits (for 30 s, or until the test creates the file `gate`, so that a watcher can be
 * started before the run goes on however slow the machine is); resolves once that task's process runs.
 */
async function liveRun(cwd: string, id: string, until: 'timeout' | 'gate' = 'timeout'): Promise<ReturnType<typeof start>> {
  const wait = until === 'gate' ? 'until [ -e gate ]; do sleep 0.05; done' : 'sleep 30';
  writeFiles(cwd, { [`${id}.yaml`]: `name: slow\ntasks:\n  - id: nap\n    run: echo napping; ${wait}\n  - id: after\n    run: echo after\n` });
  const driver = start(['run', `${id}.yaml`, '--run-id', id], { cwd });
  await waitFor(() => spawnedPid(cwd, id) !== null, 15_000, 'the task to start');
  return driver;
}

function openGate(cwd: string): void {
  fs.writeFileSync(path.join(cwd, 'gate'), '');
}

/** Resolves once a started command has printed `text` on stdout. */
async function firstOutput(command: ReturnType<typeof start>, text: string): Promise<void> {
  let seen = '';
  command.child.stdout!.on('data', (d) => (seen += d));
  await waitFor(() => seen.includes(text), 20_000, `"${text}" on stdout`);
}

function spawnedPid(cwd: string, id: string): number | null {
  let text = '';
  try {
    text = fs.readFileSync(path.join(runDirOf(cwd, id), 'events.jsonl'), 'utf8');
  } catch {
    return null;
  }
  const event = text.split('\n').filter(Boolean).map((l) => JSON.parse(l)).find((e) => e.type === 'attempt_spawned');
  return event ? event.pid : null;
}

describe('baton status', () => {
  it('shows the run as a tree: nesting, status, attempts, exit code, and a failed task with its error and log tail', async () => {
    const { cwd } = await nestedRun();
    const r = await baton(['status'], { cwd });
    expect(r.code).toBe(0);
    const out = r.stdout;
    expect(out).toContain('run nested-1 (nest) failed');
    expect(out).toContain('error: bad: exit code 4');
    const line = (key: string): string => out.split('\n').find((l) => new RegExp(`[✔✖⊘·] ${key.replace(/[[\]./]/g, '\\$&')}\\s`).test(l)) ?? '';
    // for_each instances under their task, sub-run tasks under theirs, branches under parallel / switch.
    expect(line('fe')).toMatch(/^✔ fe\s+completed/);
    expect(line('fe[0].x')).toMatch(/^├─ ✔ fe\[0\]\.x\s+completed\s+1\s+\S+\s+0$/);
    expect(line('fe[1].x')).toMatch(/^└─ ✔ fe\[1\]\.x/);
    expect(line('p1')).toMatch(/^├─ ✔ p1/);
    expect(line('p2')).toMatch(/^└─ ✔ p2/);
    expect(line('cd')).toMatch(/^└─ ⊘ cd\s+skipped/);
    expect(line('lp[1].body')).toMatch(/^└─ ✔ lp\[1\]\.body/);
    expect(line('wf/c1')).toMatch(/^└─ ✔ wf\/c1/);
    expect(line('bad')).toMatch(/^✖ bad\s+failed\s+1\s+\S+\s+4$/);
    expect(line('never')).toMatch(/^· never\s+pending$/);
    expect(out).toMatch(/on_failure:\n└─ ✔ notify/);
    expect(out).toMatch(/finally:\n└─ ✔ cleanup/);
    // The tail: the last 10 lines of the failed task's log, not the first ones.
    expect(out).toContain('│ stderr line 15');
    expect(out).toContain('│ stderr line 6');
    expect(out).not.toContain('│ stderr line 5\n');
    expect(out).toContain('baton logs nested-1 bad');
    expect(out).toContain('baton retry nested-1');
    expect(out.indexOf('✔ list')).toBeLessThan(out.indexOf('✔ fe'));
  });

  it('--json prints the run summary; --exit-status follows the run; --state-dir and $BATON_STATE_DIR find runs elsewhere', async () => {
    const { cwd } = await nestedRun();
    const json = await baton(['status', 'nested', '--json'], { cwd });
    expect(json.code).toBe(0);
    const summary = JSON.parse(json.stdout);
    expect(summary).toMatchObject({ id: 'nested-1', workflow: 'nest', status: 'failed', error: { task: 'bad', message: 'exit code 4' } });
    expect(summary.tasks['fe[1].x']).toMatchObject({ status: 'completed', attempts: 1, exit_code: 0 });
    expect(summary.tasks['wf/c1'].status).toBe('completed');
    expect(summary.tasks.bad).toMatchObject({ status: 'failed', exit_code: 4 });
    expect((await baton(['status', '--exit-status'], { cwd })).code).toBe(1);

    const elsewhere = tempDir();
    writeFiles(cwd, { 'ok.yaml': 'name: ok\ntasks:\n  - id: a\n    run: "true"\n' });
    expect((await baton(['run', 'ok.yaml', '--state-dir', path.join(elsewhere, 'state'), '--run-id', 'fine'], { cwd })).code).toBe(0);
    const viaFlag = await baton(['status', 'fine', '--exit-status', '--state-dir', path.join(elsewhere, 'state')], { cwd });
    expect(viaFlag.code).toBe(0);
    expect(viaFlag.stdout).toContain('run fine (ok) completed');
    const viaEnv = await baton(['status', '--json', '--exit-status'], { cwd: elsewhere, env: { BATON_STATE_DIR: 'state' } });
    expect(viaEnv.code).toBe(0);
    expect(JSON.parse(viaEnv.stdout).status).toBe('completed');
  });

  it('says a run whose driver was killed is interrupted, never running, and exits 3 with --exit-status', async () => {
    const cwd = tempDir();
    const driver = await liveRun(cwd, 'killed');
    const live = await baton(['status', 'killed', '--json', '--exit-status'], { cwd });
    expect(live.code).toBe(3);
    expect(JSON.parse(live.stdout).status).toBe('running');
    const taskPid = spawnedPid(cwd, 'killed') as number;
    driver.child.kill('SIGKILL');
    await driver.done;
    process.kill(-taskPid, 'SIGKILL');
    await waitFor(() => !isAlive(taskPid), 10_000, 'the orphaned task to die');
    const json = await baton(['status', 'killed', '--json', '--exit-status'], { cwd });
    expect(json.code).toBe(3);
    expect(JSON.parse(json.stdout).status).toBe('interrupted');
    const human = await baton(['status', 'killed'], { cwd });
    expect(human.code).toBe(0);
    expect(human.stdout).toContain('run killed (slow) interrupted');
    expect(human.stdout).toMatch(/■ nap\s+interrupted/);
    expect(human.stdout).not.toMatch(/\brunning\b/);
    expect(human.stdout).toContain('baton resume killed');
  });

  it('reports an unknown or ambiguous run as a usage error (exit 2)', async () => {
    const { cwd } = await nestedRun();
    const unknown = await baton(['status', 'nope', '--exit-status'], { cwd });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no run matching "nope"');
    expect((await baton(['status'], { cwd: tempDir() })).code).toBe(2);
  });

  it('--watch (plain) prints each task change until the run ends, then the final tree', async () => {
    const cwd = tempDir();
    const driver = await liveRun(cwd, 'watched', 'gate');
    const watch = start(['status', 'watched', '--watch', '--exit-status'], { cwd });
    // The run goes on only once the watcher has shown it running, so the changes after that must be printed live.
    await firstOutput(watch, 'run watched (slow) running');
    openGate(cwd);
    const r = await watch.done;
    await driver.done;
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^run watched \(slow\) running/);
    expect(r.stdout).toMatch(/\d\d:\d\d:\d\d ✔ nap completed/);
    expect(r.stdout).toMatch(/\d\d:\d\d:\d\d ✔ after completed/);
    expect(r.stdout).toMatch(/\d\d:\d\d:\d\d run watched completed/);
    expect(r.stdout).toMatch(/run watched \(slow\) completed\n/);
    expect(r.stdout).not.toContain('\x1b[');
  });

  it('--watch --json waits for the end and prints one summary', async () => {
    const cwd = tempDir();
    const driver = await liveRun(cwd, 'watched-json', 'gate');
    const watch = start(['status', 'last', '--watch', '--json'], { cwd });
    // The watcher has nothing to print before the end: give it time to start, then let the run finish.
    await waitFor(() => watchesFiles(watch.child.pid!), 20_000, 'the watcher to wait for the run');
    openGate(cwd);
    const r = await watch.done;
    await driver.done;
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ id: 'watched-json', status: 'completed' });
  });

  it('--watch on a terminal redraws the tree in place until the run ends', async () => {
    const cwd = tempDir();
    const driver = await liveRun(cwd, 'watched-tty', 'gate');
    const env = { ...process.env, NO_COLOR: '1', CI: '', FORCE_COLOR: '' };
    const command = `stty rows 40 cols 120; ${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} status watched-tty --watch`;
    const terminal = spawn('script', ['-qfec', command, '/dev/null'], { cwd, env, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    terminal.stdout.on('data', (d) => (out += d));
    const ended = new Promise<number | null>((resolve) => terminal.on('close', (code) => resolve(code)));
    // The run goes on only once the first frame is drawn, so the later frames must redraw it.
    await waitFor(() => out.includes('run watched-tty (slow) running'), 20_000, 'the first frame');
    openGate(cwd);
    expect(await ended).toBe(0);
    await driver.done;
    // Frames after the first move the cursor up over the previous one and erase it.
    expect(out).toMatch(/\x1b\[\d+A\r\x1b\[J/);
    const frames = out.split(/\x1b\[\d+A\r\x1b\[J/);
    expect(frames.length).toBeGreaterThan(1);
    expect(frames[0]).toContain('run watched-tty (slow) running');
    expect(frames[frames.length - 1]).toContain('run watched-tty (slow) completed');
    expect(frames[frames.length - 1]).toMatch(/✔ after\s+completed/);
  });
});

describe('run outputs in the human output', () => {
  it('run\'s closing lines and status show the outputs, not only --json', async () => {
    const cwd = writeFiles(tempDir(), { 'wf.yaml': 'name: o\ntasks:\n  - { id: a, run: echo hi, output: text }\noutputs:\n  said: ${{ tasks.a.output }}\n  n: 2\n' });
    const run = await baton(['run', 'wf.yaml', '--run-id', 'o1'], { cwd });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/\n {2}outputs:\n {4}said: hi\n {4}n: 2\n/);
    const status = await baton(['status', 'o1'], { cwd });
    expect(status.stdout + status.stderr).toMatch(/\n {2}outputs:\n {4}said: hi\n {4}n: 2\n/);
  });
});
