// An attempt's files exist only once written (issue 12.6): silent tasks leave none, every reader takes a missing log
// as empty, and what a task printed is on disk as it comes, so a killed driver keeps it.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { baton, isAlive, runDirOf, start, tempDir, waitFor, writeFiles } from '../helpers/cli.js';
import { startUntil } from '../helpers/journal.js';

const QUIET = `
name: quiet
tasks:
  - { id: a, run: "true" }
  - { id: b, command: ["true"] }
  - id: each
    for_each: \${{ [1, 2, 3] }}
    concurrency: 3
    do:
      - { id: t, command: ["true"] }
  - { id: warn, run: "echo careful >&2" }
  - { id: burst, run: 'head -c 300000 /dev/zero | tr "\\\\0" a; printf end' }
  - { id: last, run: "true" }
`;

describe('files created only when written', () => {
  it('silent tasks leave no file; stderr-only leaves its stderr log; output just before exit is all kept; readers see empty logs', async () => {
    const cwd = writeFiles(tempDir(), { 'wf.yaml': QUIET });
    const run = await baton(['run', 'wf.yaml', '--run-id', 'q1'], { cwd });
    expect(run.code, run.stderr).toBe(0);
    const logs = path.join(runDirOf(cwd, 'q1'), 'logs');
    expect(fs.readdirSync(logs).sort()).toEqual(['burst.1.stdout', 'warn.1.stderr']);
    const burst = fs.readFileSync(path.join(logs, 'burst.1.stdout'), 'utf8');
    expect(burst.length).toBe(300_003);
    expect(burst.endsWith('aend')).toBe(true);

    for (const args of [['logs', 'q1', 'a'], ['logs', 'q1', 'a', '--follow'], ['logs', 'q1', 'each[1].t']]) {
      expect(await baton(args, { cwd }), args.join(' ')).toMatchObject({ code: 0, stdout: '', stderr: '' });
    }
    const json = JSON.parse((await baton(['logs', 'q1', 'a', '--json'], { cwd })).stdout);
    expect(json.logs).toEqual([{ key: 'a', attempt: 1, stdout: '', stderr: '' }]);
    const all = await baton(['logs', 'q1'], { cwd });
    expect(all.stderr).toBe('[warn] careful\n');
    const status = await baton(['status', 'q1', '--json'], { cwd });
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout).tasks.a).toMatchObject({ status: 'completed' });
    expect((await baton(['status', 'q1'], { cwd })).code).toBe(0);
  }, 120_000);

  it('--follow on a silent task that is running ends with it, printing nothing', async () => {
    const cwd = writeFiles(tempDir(), { 'wf.yaml': 'name: hush\ntasks:\n  - { id: wait, run: "until [ -e gate ]; do sleep 0.05; done" }\n' });
    const driver = start(['run', 'wf.yaml', '--run-id', 'h1'], { cwd });
    await waitFor(() => fs.existsSync(path.join(runDirOf(cwd, 'h1'), 'state.json')), 20_000, 'the run to start');
    const follow = start(['logs', 'h1', 'wait', '--follow'], { cwd });
    const status = await baton(['status', 'h1'], { cwd });
    expect(status.code).toBe(0);
    fs.writeFileSync(path.join(cwd, 'gate'), '');
    const [f, d] = await Promise.all([follow.done, driver.done]);
    expect(d.code).toBe(0);
    expect(f).toMatchObject({ code: 0, stdout: '', stderr: '' });
    expect(fs.readdirSync(path.join(runDirOf(cwd, 'h1'), 'logs'))).toEqual([]);
  }, 120_000);

  it('a driver killed mid-attempt leaves what the task printed up to then; resume goes on', async () => {
    const cwd = writeFiles(tempDir(), {
      'wf.yaml': `
name: cut
tasks:
  - id: slow
    run: |
      echo "before $BATON_ATTEMPT"
      echo "err before" >&2
      echo $$ > slow.pid
      if [ "$BATON_ATTEMPT" = 1 ]; then sleep 30; fi
      echo "after $BATON_ATTEMPT"
`,
    });
    const stdoutLog = path.join(runDirOf(cwd, 'k1'), 'logs', 'slow.1.stdout');
    const stderrLog = path.join(runDirOf(cwd, 'k1'), 'logs', 'slow.1.stderr');
    const read = (file: string) => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '');
    // Written as it comes, not at the attempt's end: the driver is still running when the lines are on disk.
    const driver = await startUntil(cwd, ['run', 'wf.yaml', '--run-id', 'k1'], () => read(stdoutLog) !== '' && read(stderrLog) !== '' && fs.existsSync(path.join(cwd, 'slow.pid')));
    const pid = Number(fs.readFileSync(path.join(cwd, 'slow.pid'), 'utf8'));
    driver.child.kill('SIGKILL');
    await driver.done;
    expect(read(stdoutLog)).toBe('before 1\n');
    expect(read(stderrLog)).toBe('err before\n');
    expect((await baton(['logs', 'k1', 'slow', '--attempt', '1'], { cwd })).stdout).toBe('before 1\n');
    const resumed = await baton(['resume', 'k1'], { cwd });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(isAlive(pid)).toBe(false);
    expect((await baton(['logs', 'k1', 'slow'], { cwd })).stdout).toBe('before 2\nafter 2\n');
    expect(read(stdoutLog)).toBe('before 1\n');
  }, 120_000);
});
