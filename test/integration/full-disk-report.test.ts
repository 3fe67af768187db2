// A full disk at the moment a completion is recorded: the CLI, in process, must not print a completion that is not on disk.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { tempDir, writeFiles } from '../helpers/cli.js';
import { batonInProcess as baton, failWritesContaining as diskFullFor } from '../helpers/in-process.js';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('a full disk when a completion is recorded', () => {
  it('prints no "completed" line for it, says the disk is full, and resume runs the task again', async () => {
    const cwd = writeFiles(tempDir('baton-full-'), {
      'wf.yaml': 'name: full\ntasks:\n  - { id: build, run: "echo built >> ledger" }\n  - { id: later, run: "true" }\n',
    });
    diskFullFor('"type":"attempt_ended","key":"build"');
    const r = await baton(['run', 'wf.yaml', '--run-id', 'f'], cwd);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/disk full while writing .*events\.jsonl/);
    expect(r.stderr).toMatch(/▶ build started/);
    expect(r.stderr).not.toMatch(/build completed/);
    // The closing summary is of the run as recorded, not of the transitions held in memory.
    expect(r.stderr).toMatch(/run f \(full\) interrupted in/);
    expect(r.stderr).not.toMatch(/1 completed/);
    const journal = fs.readFileSync(path.join(cwd, '.baton/runs/f/events.jsonl'), 'utf8');
    expect(journal).not.toMatch(/"attempt_ended"/);
    expect(fs.existsSync(path.join(cwd, '.baton/runs/f/driver.lock'))).toBe(false);

    vi.restoreAllMocks();
    const resumed = await baton(['resume', 'f'], cwd);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toMatch(/✔ build completed/);
    // What was printed the first time was indeed not recorded: the task really ran twice.
    expect(fs.readFileSync(path.join(cwd, 'ledger'), 'utf8')).toBe('built\nbuilt\n');
  });

  it('--json: one summary document tells the run as recorded, with the disk error', async () => {
    const cwd = writeFiles(tempDir('baton-full-'), { 'wf.yaml': 'name: full\ntasks:\n  - { id: build, run: "true" }\n' });
    diskFullFor('"type":"attempt_ended","key":"build"');
    const r = await baton(['run', 'wf.yaml', '--run-id', 'j', '--json'], cwd);
    expect(r.code).toBe(2);
    // JSON.parse fails on a second document after the first.
    const summary = JSON.parse(r.stdout);
    expect(summary.status).toBe('interrupted');
    expect(summary.error).toEqual({ task: null, message: expect.stringMatching(/disk full while writing .*events\.jsonl/) });
    expect(summary.tasks.build.status).not.toBe('completed');
  });
});
