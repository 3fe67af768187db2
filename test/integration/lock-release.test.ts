// A command that took a run's lock and then fails to write (disk full) still releases the lock: in process, failing on cue.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { tempDir, writeFiles } from '../helpers/cli.js';
import { batonInProcess as baton, failRenamesOnto } from '../helpers/in-process.js';

afterEach(() => {
  vi.restoreAllMocks();
});

const lockOf = (cwd: string, id: string): string => path.join(cwd, '.baton', 'runs', id, 'driver.lock');

describe('the driver lock after a failed write', () => {
  it('resume settling a finished run whose state.json could not be written', async () => {
    const cwd = writeFiles(tempDir('baton-lock-'), { 'wf.yaml': 'name: l\ntasks:\n  - { id: a, run: "true" }\n' });
    failRenamesOnto('state.json', 1); // the run is created, its closing snapshot is not written
    const first = await baton(['run', 'wf.yaml', '--run-id', 'r'], cwd);
    expect(first.code).toBe(2);
    expect(first.stderr).toMatch(/disk full while writing .*state\.json/);
    expect(fs.existsSync(lockOf(cwd, 'r'))).toBe(false);
    // The journal has the whole run, state.json only its start: resume brings state.json up to date, and fails to.
    const settle = await baton(['resume', 'r'], cwd);
    expect(settle.code).toBe(2);
    expect(settle.stderr).toMatch(/disk full while writing .*state\.json/);
    expect(fs.existsSync(lockOf(cwd, 'r'))).toBe(false);
    vi.restoreAllMocks();
    const again = await baton(['resume', 'r'], cwd);
    expect(again.stderr).toMatch(/already finished \(completed\)/);
  });

  it('retry --reload failing to store the blueprint file', async () => {
    const cwd = writeFiles(tempDir('baton-lock-'), { 'wf.yaml': 'name: l\ntasks:\n  - { id: a, run: "exit 1" }\n' });
    expect((await baton(['run', 'wf.yaml', '--run-id', 'r'], cwd)).code).toBe(1);
    failRenamesOnto('blueprint.yaml');
    const r = await baton(['retry', 'r', '--reload'], cwd);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/disk full while writing .*blueprint\.yaml/);
    expect(fs.existsSync(lockOf(cwd, 'r'))).toBe(false);
    vi.restoreAllMocks();
    expect((await baton(['retry', 'r'], cwd)).code).toBe(1); // not refused as locked
  });
});
