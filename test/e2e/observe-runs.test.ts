// `baton runs` and `baton runs prune` end to end: real runs in a temp state directory, real folders removed.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { baton, runDirOf, start, tempDir, waitFor, writeFiles } from '../helpers/cli.js';

const OK = 'name: ok\ntasks:\n  - id: a\n    run: "true"\n';
const BAD = 'name: bad\ntasks:\n  - id: a\n    run: exit 1\n';

/** Runs ok, bad, ok (ids r1, r2, r3 in start order), and sets their start times apart by `spacingDays` days. */
async function threeRuns(spacingDays = 0): Promise<string> {
  const cwd = writeFiles(tempDir(), { 'ok.yaml': OK, 'bad.yaml': BAD });
  expect((await baton(['run', 'ok.yaml', '--run-id', 'r1'], { cwd })).code).toBe(0);
  expect((await baton(['run', 'bad.yaml', '--run-id', 'r2'], { cwd })).code).toBe(1);
  expect((await baton(['run', 'ok.yaml', '--run-id', 'r3'], { cwd })).code).toBe(0);
  if (spacingDays > 0) {
    ['r1', 'r2', 'r3'].forEach((id, i) => {
      const file = path.join(runDirOf(cwd, id), 'state.json');
      const state = JSON.parse(fs.readFileSync(file, 'utf8'));
      const started = Date.now() - (3 - i) * spacingDays * 86_400_000;
      state.started_at = new Date(started).toISOString();
      state.ended_at = new Date(started + 1000).toISOString();
      fs.writeFileSync(file, JSON.stringify(state));
    });
  }
  return cwd;
}

const ids = (stdout: string): string[] => JSON.parse(stdout).map((r: { id: string }) => r.id);

describe('baton runs', () => {
  it('lists runs newest first with workflow, status, start and duration; --json has the documented fields', async () => {
    const cwd = await threeRuns();
    const json = await baton(['runs', '--json'], { cwd });
    expect(json.code).toBe(0);
    const rows = JSON.parse(json.stdout);
    expect(rows.map((r: { id: string }) => r.id)).toEqual(['r3', 'r2', 'r1']);
    expect(Object.keys(rows[0]).sort()).toEqual(['duration_ms', 'ended_at', 'id', 'started_at', 'status', 'workflow']);
    expect(rows[1]).toMatchObject({ id: 'r2', workflow: 'bad', status: 'failed' });
    expect(typeof rows[1].duration_ms).toBe('number');
    const human = await baton(['runs'], { cwd });
    const lines = human.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^RUN\s+WORKFLOW\s+STATUS\s+STARTED\s+DURATION$/);
    expect(lines[1]).toMatch(/^r3\s+ok\s+completed\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+\S+$/);
    expect(lines[2]).toMatch(/^r2\s+bad\s+failed\s/);
  });

  it('filters with --status, --workflow and --limit', async () => {
    const cwd = await threeRuns();
    expect(ids((await baton(['runs', '--status', 'failed', '--json'], { cwd })).stdout)).toEqual(['r2']);
    expect(ids((await baton(['runs', '--workflow', 'ok', '--json'], { cwd })).stdout)).toEqual(['r3', 'r1']);
    expect(ids((await baton(['runs', '--limit', '2', '--json'], { cwd })).stdout)).toEqual(['r3', 'r2']);
    expect(ids((await baton(['runs', '--workflow', 'ok', '--limit', '1', '--json'], { cwd })).stdout)).toEqual(['r3']);
    const none = await baton(['runs', '--workflow', 'nothing'], { cwd });
    expect(none.code).toBe(0);
    expect(none.stderr).toContain('no runs match');
    expect((await baton(['runs', '--status', 'sleeping'], { cwd })).code).toBe(2);
    expect((await baton(['runs', '--limit', '0'], { cwd })).code).toBe(2);
  });

  it('shows a live run as running and one whose driver died as interrupted', async () => {
    const cwd = writeFiles(tempDir(), { 'slow.yaml': 'name: slow\ntasks:\n  - id: nap\n    run: sleep 30\n' });
    const driver = start(['run', 'slow.yaml', '--run-id', 'live'], { cwd });
    await waitFor(() => fs.existsSync(path.join(cwd, '.baton/runs/live/driver.lock')), 15_000, 'the driver lock');
    expect(JSON.parse((await baton(['runs', '--json'], { cwd })).stdout)[0]).toMatchObject({ id: 'live', status: 'running', ended_at: null, duration_ms: null });
    driver.child.kill('SIGTERM');
    await driver.done;
    // The driver stopped on SIGTERM and left the run interrupted for resume.
    expect(JSON.parse((await baton(['runs', '--json'], { cwd })).stdout)[0]).toMatchObject({ id: 'live', status: 'interrupted' });
    expect(ids((await baton(['runs', '--status', 'interrupted', '--json'], { cwd })).stdout)).toEqual(['live']);
  });


  it('shows a live run that waits for a signal as waiting, and running again once it goes on', async () => {
    const cwd = writeFiles(tempDir(), { 'gate.yaml': 'name: gate\ntasks:\n  - id: approve\n    wait: { signal: go }\n  - id: after\n    run: sleep 30\n' });
    const driver = start(['run', 'gate.yaml', '--run-id', 'gated'], { cwd });
    const statusOf = async () => JSON.parse((await baton(['runs', '--json'], { cwd })).stdout)[0]?.status;
    let status: string | undefined;
    await waitFor(() => fs.existsSync(path.join(cwd, '.baton/runs/gated/driver.lock')), 15_000, 'the driver lock');
    for (let i = 0; i < 100 && (status = await statusOf()) !== 'waiting'; i++) await new Promise((r) => setTimeout(r, 50));
    expect(status).toBe('waiting');
    expect(ids((await baton(['runs', '--status', 'waiting', '--json'], { cwd })).stdout)).toEqual(['gated']);
    expect((await baton(['signal', 'gated', 'go'], { cwd })).code).toBe(0);
    for (let i = 0; i < 100 && (status = await statusOf()) !== 'running'; i++) await new Promise((r) => setTimeout(r, 50));
    expect(status).toBe('running');
    driver.child.kill('SIGTERM');
    await driver.done;
  });
  it('skips, with a warning, a run folder whose state is corrupt or not baton\'s', async () => {
    const cwd = await threeRuns();
    fs.writeFileSync(path.join(runDirOf(cwd, 'r1'), 'state.json'), '{ not json');
    fs.writeFileSync(path.join(runDirOf(cwd, 'r2'), 'state.json'), JSON.stringify({ hello: 'world' }));
    const r = await baton(['runs', '--json'], { cwd });
    expect(r.code).toBe(0);
    expect(ids(r.stdout)).toEqual(['r3']);
    expect(r.stderr).toMatch(/warning: skipping run r1: .*not valid JSON/);
    expect(r.stderr).toMatch(/warning: skipping run r2: .*not a baton run state file/);
  });

  it('prints [] for --json and a note for people when there are no runs', async () => {
    const cwd = tempDir();
    expect((await baton(['runs', '--json'], { cwd })).stdout.trim()).toBe('[]');
    const human = await baton(['runs'], { cwd });
    expect(human.code).toBe(0);
    expect(human.stderr).toContain('no runs in');
  });

  it('says so when every run folder is damaged, rather than "no runs"', async () => {
    const cwd = tempDir();
    const dir = path.join(cwd, '.baton', 'runs', 'r1');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'state.json'), '{ not json');
    const r = await baton(['runs'], { cwd });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/warning: skipping run r1: .*not valid JSON/);
    expect(r.stderr).toMatch(/no readable runs in .*: 1 damaged run skipped \(see the warnings above\)/);
  });
});

describe('baton runs prune', () => {
  it('--keep N keeps the newest N runs and removes the other folders, saying which', async () => {
    const cwd = await threeRuns();
    const r = await baton(['runs', 'prune', '--keep', '1'], { cwd });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^removed r2 \(bad, failed, started .*\)\nremoved r1 \(ok, completed, started .*\)\n$/);
    expect(r.stderr).toContain('removed 2 runs, 1 kept');
    expect(fs.readdirSync(path.join(cwd, '.baton/runs'))).toEqual(['r3']);
  });

  it('--older-than removes runs started before the cutoff; --dry-run only says so', async () => {
    const cwd = await threeRuns(10);
    const dry = await baton(['runs', 'prune', '--older-than', '25d', '--dry-run'], { cwd });
    expect(dry.stdout).toMatch(/^would remove r1 /);
    expect(fs.readdirSync(path.join(cwd, '.baton/runs')).sort()).toEqual(['r1', 'r2', 'r3']);
    const r = await baton(['runs', 'prune', '--older-than', '25d'], { cwd });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^removed r1 /);
    expect(fs.readdirSync(path.join(cwd, '.baton/runs')).sort()).toEqual(['r2', 'r3']);
    expect((await baton(['runs', 'prune', '--older-than', '30d'], { cwd })).stderr).toContain('removed 0 runs, 2 kept');
  });

  it('never removes a run a live driver holds', async () => {
    const cwd = writeFiles(tempDir(), { 'slow.yaml': 'name: slow\ntasks:\n  - id: nap\n    run: sleep 30\n', 'ok.yaml': OK });
    expect((await baton(['run', 'ok.yaml', '--run-id', 'old'], { cwd })).code).toBe(0);
    const driver = start(['run', 'slow.yaml', '--run-id', 'live'], { cwd });
    await waitFor(() => fs.existsSync(path.join(cwd, '.baton/runs/live/driver.lock')), 15_000, 'the driver lock');
    const r = await baton(['runs', 'prune', '--keep', '0'], { cwd });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/kept live: it is being driven by pid \d+/);
    expect(r.stdout).toMatch(/^removed old /);
    expect(fs.readdirSync(path.join(cwd, '.baton/runs'))).toEqual(['live']);
    driver.child.kill('SIGTERM');
    await driver.done;
  });

  it('needs exactly one of --older-than and --keep, and a valid duration (exit 2)', async () => {
    const cwd = await threeRuns();
    const neither = await baton(['runs', 'prune'], { cwd });
    expect(neither.code).toBe(2);
    expect(neither.stderr).toContain('exactly one of --older-than');
    expect((await baton(['runs', 'prune', '--keep', '1', '--older-than', '1d'], { cwd })).code).toBe(2);
    const bad = await baton(['runs', 'prune', '--older-than', 'soon'], { cwd });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('invalid --older-than "soon"');
    expect((await baton(['runs', 'prune', '--keep', '-1'], { cwd })).code).toBe(2);
    expect(fs.readdirSync(path.join(cwd, '.baton/runs')).sort()).toEqual(['r1', 'r2', 'r3']);
  });
});
