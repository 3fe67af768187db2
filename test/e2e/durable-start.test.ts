// Durable runs end to end: idempotent start, changed blueprints, a full disk.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { baton, start, tempDir, writeFiles } from '../helpers/cli.js';
import { events, lines } from '../helpers/journal.js';
import { mountTmpfs, unmountTmpfs } from '../helpers/tmpfs.js';

describe('idempotent start and changed blueprints', () => {
  it('run --run-id with --resume-existing picks the same run up; a different blueprint is refused', async () => {
    const cwd = writeFiles(tempDir(), { 'wf.yaml': 'name: x\ntasks:\n  - { id: a, run: echo a >> ledger }\n' });
    expect((await baton(['run', 'wf.yaml', '--run-id', 'ci-1'], { cwd })).code).toBe(0);
    const again = await baton(['run', 'wf.yaml', '--run-id', 'ci-1', '--resume-existing', '--json'], { cwd });
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout).status).toBe('completed');
    expect(lines(path.join(cwd, 'ledger'))).toEqual(['a']);
    fs.writeFileSync(path.join(cwd, 'wf.yaml'), 'name: x\ntasks:\n  - { id: b, run: "true" }\n');
    const changed = await baton(['run', 'wf.yaml', '--run-id', 'ci-1', '--resume-existing'], { cwd });
    expect(changed.code).toBe(2);
    expect(changed.stderr).toMatch(/different blueprint/);
  });

  it('--resume-existing on a failed run retries what failed and keeps what completed (a re-run CI job)', async () => {
    const cwd = writeFiles(tempDir(), { 'wf.yaml': 'name: x\ntasks:\n  - { id: a, run: echo a >> ledger }\n  - { id: b, run: "echo b >> ledger; test -f fixed" }\n' });
    const args = ['run', 'wf.yaml', '--run-id', 'ci-2', '--resume-existing'];
    expect((await baton(args, { cwd })).code).toBe(1);
    fs.writeFileSync(path.join(cwd, 'fixed'), '');
    const again = await baton([...args, '--json'], { cwd });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain('run ci-2 failed before: retrying what did not complete');
    expect(JSON.parse(again.stdout).status).toBe('completed');
    expect(lines(path.join(cwd, 'ledger'))).toEqual(['a', 'b', 'b']);
  });

  it('says when the blueprint file changed and keeps the run\'s copy unless --reload', async () => {
    const cwd = writeFiles(tempDir(), { 'wf.yaml': 'name: x\ntasks:\n  - { id: a, run: "exit 1" }\n' });
    expect((await baton(['run', 'wf.yaml', '--run-id', 'b1'], { cwd })).code).toBe(1);
    fs.writeFileSync(path.join(cwd, 'wf.yaml'), 'name: x\ntasks:\n  - { id: a, run: "exit 0" }\n');
    const kept = await baton(['retry', 'b1'], { cwd });
    expect(kept.code).toBe(1);
    expect(kept.stderr).toMatch(/has changed since the run started.*--reload/);
    const reloaded = await baton(['retry', 'b1', '--reload'], { cwd });
    expect(reloaded.code, reloaded.stderr).toBe(0);
  });
});

describe('a full disk', () => {
  it('stops the run cleanly with a clear error; what was recorded stays readable', async (ctx) => {
    const mnt = mountTmpfs('size=160k');
    if (mnt === null) return ctx.skip('cannot mount a small tmpfs here (needs root)');
    try {
      const cwd = writeFiles(tempDir(), {
        'wf.yaml': `
name: full
tasks:
  - id: fill
    for_each: \${{ [1..400] }}
    concurrency: 1
    do:
      - { id: t, command: ["true"] }
`,
      });
      const r = await baton(['run', 'wf.yaml', '--run-id', 'full1', '--state-dir', mnt], { cwd });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/disk full|no space/i);
      expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
      const journal = fs.readFileSync(path.join(mnt, 'runs/full1/events.jsonl'), 'utf8');
      const whole = journal.slice(0, journal.lastIndexOf('\n') + 1).trim().split('\n');
      expect(whole.length).toBeGreaterThan(10);
      for (const line of whole) JSON.parse(line);
    } finally {
      unmountTmpfs(mnt);
    }
  });
});
