// The control-flow examples in workflows/ (fanout, release and its lib/ sub-workflow) run on a bare machine as described.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { baton, readState, ROOT, runDirOf, tempDir } from '../helpers/cli.js';

const example = (name: string) => path.join(ROOT, 'workflows', name);

describe('control-flow examples', () => {
  it('fanout: a for_each over created files, two at a time, a switch per file and a parallel summary', async () => {
    const cwd = tempDir();
    const r = await baton(['run', example('fanout.yaml'), '--json'], { cwd });
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary.outputs).toEqual({ files: 6, bytes: 147, big: ['file-5.txt', 'file-6.txt'], lines_kept: 12 });
    expect(summary.tasks.each.output.map((o: any) => o.route)).toEqual(['default', 'default', 'default', 'default', 'big', 'big']);
    expect(summary.tasks['each[0].shrink'].status).toBe('skipped');
    expect(summary.tasks['each[5].keep'].status).toBe('skipped');
    expect(summary.tasks['each[5].route'].output).toEqual({ selected: 'big' });
    const files = fs.readdirSync(path.join(runDirOf(cwd), 'files')).sort();
    expect(files.filter((f) => f.endsWith('.out'))).toHaveLength(6);
    // concurrency: 2 — never more than two items in progress: item n+2 starts after item n ended.
    const tasks = readState(cwd).tasks;
    for (let i = 0; i + 2 < 6; i++) {
      expect(Date.parse(tasks[`each[${i + 2}].measure`].started_at)).toBeGreaterThanOrEqual(
        Math.min(Date.parse(tasks[`each[${i}].result`].ended_at), Date.parse(tasks[`each[${i + 1}].result`].ended_at)),
      );
    }
  });

  it('fanout with nothing to do completes with empty results', async () => {
    const r = await baton(['run', example('fanout.yaml'), '--json', '-i', 'files=0'], { cwd: tempDir() });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).outputs).toMatchObject({ files: 0, big: [], lines_kept: 0 });
  });

  it('release: builds in a sub-run from workflows/lib, then polls in a loop until ready', async () => {
    const cwd = tempDir();
    const r = await baton(['run', example('release.yaml'), '--json', '-i', 'version=2.1.0'], { cwd });
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary.outputs).toMatchObject({ artifact: 'dist/app-2.1.0.txt', polls: 3, state: 'ready', checksum: expect.stringMatching(/^\d+$/) });
    expect(summary.tasks['build/package'].status).toBe('completed');
    expect(summary.tasks['wait_ready[0].pause'].status).toBe('skipped');
    expect(summary.tasks['wait_ready[2].pause'].status).toBe('completed');
    expect(summary.tasks['wait_ready[3].poll']).toBeUndefined();
    expect(summary.tasks.verify.status).toBe('completed');
    expect(fs.readFileSync(path.join(runDirOf(cwd), 'dist', 'app-2.1.0.txt'), 'utf8')).toBe('app 2.1.0\n');
  });

  it('release gives up polling after max_polls and skips verify', async () => {
    const r = await baton(['run', example('release.yaml'), '--json', '-i', 'ready_after=50', '-i', 'max_polls=2'], { cwd: tempDir() });
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary.outputs).toMatchObject({ polls: 2, state: 'pending' });
    expect(summary.tasks.verify.status).toBe('skipped');
  });

  it('the sub-workflow in workflows/lib validates on its own', async () => {
    const r = await baton(['validate', example('lib/build.yaml'), example('release.yaml'), example('fanout.yaml')], { cwd: tempDir() });
    expect(r.stderr).not.toMatch(/error/);
    expect(r.code).toBe(0);
    for (const file of ['fanout.yaml', 'release.yaml']) {
      expect(fs.readFileSync(example(file), 'utf8').split('\n')[0]).toBe('# yaml-language-server: $schema=./baton.schema.json');
    }
  });
});
