// Hostile or absurd input is refused fast with exit 2 (alias bombs, /dev/zero, long ids, /proc state dirs); long durations cost nothing.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { baton, start, tempDir, waitFor, writeFiles, type Result } from '../helpers/cli.js';
import { procStat } from '../helpers/proc.js';

const OK = 'name: ok\ninputs:\n  a: { type: string, default: x }\ntasks:\n  - id: a\n    run: echo hi\n';

function expectRefused(r: Result, cwd: string, message: RegExp): void {
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(message);
  expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/); // no stack trace
  expect(fs.existsSync(path.join(cwd, '.baton'))).toBe(false);
}

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const begin = Date.now();
  const value = await work();
  return { value, ms: Date.now() - begin };
}

/** 9 anchors, each a list of 9 aliases to the one before: 9^9 scalars once expanded. */
function aliasBomb(): string {
  const lines = ['name: bomb', 'x:', `  a0: &a0 [${Array(9).fill('lol').join(', ')}]`];
  for (let i = 1; i < 9; i++) lines.push(`  a${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(', ')}]`);
  lines.push('tasks:', '  - id: t', '    set:', '      v: *a8');
  return `${lines.join('\n')}\n`;
}

/** `count` tasks that all reuse one anchored env mapping. */
function anchorReuse(count: number): string {
  const tasks = Array.from({ length: count }, (_, i) => `  - id: t${i}\n    run: echo hi\n    env: ${i === 0 ? '&e { A: "1", B: "2" }' : '*e'}\n`);
  return `name: anchors\ntasks:\n${tasks.join('')}`;
}

describe('YAML alias bombs and anchor reuse', () => {
  it('refuses an alias bomb fast, at the alias, with exit 2', async () => {
    const cwd = writeFiles(tempDir(), { 'bomb.yaml': aliasBomb() });
    const { value: r, ms } = await timed(() => baton(['validate', 'bomb.yaml'], { cwd }));
    expectRefused(r, cwd, /bomb\.yaml:15:10: error: aliases expand this blueprint to [\d,]+ YAML nodes .*at most 1,000,000/);
    expect(ms).toBeLessThan(20_000); // it never finished before
  });

  it('also refuses the bomb in `baton run`, before any run is recorded', async () => {
    const cwd = writeFiles(tempDir(), { 'bomb.yaml': aliasBomb() });
    expectRefused(await baton(['run', 'bomb.yaml'], { cwd }), cwd, /bomb\.yaml:15:10: error: aliases expand/);
  });

  it.each([1_000, 5_000])('validates %i tasks reusing one anchor in linear time', async (count) => {
    const cwd = writeFiles(tempDir(), { 'many.yaml': anchorReuse(count) });
    const { value: r, ms } = await timed(() => baton(['validate', 'many.yaml'], { cwd }));
    expect(r.stderr + r.stdout).toContain('many.yaml: valid');
    expect(r.code).toBe(0);
    // Loose on purpose (a loaded machine): the quadratic walk took 10 s for 1,000 tasks and over 120 s for 5,000.
    expect(ms).toBeLessThan(25_000);
  }, 60_000);
});

describe('files that are not regular files', () => {
  it('refuses `validate /dev/zero` at once', async () => {
    const cwd = tempDir();
    expectRefused(await baton(['validate', '/dev/zero'], { cwd }), cwd, /`\/dev\/zero` is a character device, not a regular file/);
  });

  it('refuses `--input-file /dev/zero`', async () => {
    const cwd = writeFiles(tempDir(), { 'ok.yaml': OK });
    expectRefused(await baton(['run', 'ok.yaml', '--input-file', '/dev/zero'], { cwd }), cwd, /cannot read input file `\/dev\/zero`: it is a character device, not a regular file/);
  });

  it('refuses `workflow: /dev/zero` at the value', async () => {
    const cwd = writeFiles(tempDir(), { 'w.yaml': 'name: w\ntasks:\n  - id: c\n    workflow: /dev/zero\n' });
    expectRefused(await baton(['validate', 'w.yaml'], { cwd }), cwd, /w\.yaml:4:15: error: sub-workflow `\/dev\/zero`: .*not a regular file/);
  });

  it('refuses a blueprint over 10 MiB by its size', async () => {
    const cwd = writeFiles(tempDir(), { 'big.yaml': `name: big\n#${'x'.repeat(10 * 1024 * 1024)}\n` });
    expectRefused(await baton(['validate', 'big.yaml'], { cwd }), cwd, /`big\.yaml` is 10,485,772 bytes: a blueprint may be at most 10 MiB/);
  });
});

describe('names that become file names', () => {
  it('refuses a 300-character task id in validate (it failed at run time with ENAMETOOLONG)', async () => {
    const cwd = writeFiles(tempDir(), { 'long.yaml': `name: long\ntasks:\n  - id: ${'a'.repeat(300)}\n    run: echo hi\n` });
    expectRefused(await baton(['validate', 'long.yaml'], { cwd }), cwd, /long\.yaml:3:9: error: `id` is too long \(300 characters, at most 64\)/);
    expectRefused(await baton(['run', 'long.yaml'], { cwd }), cwd, /`id` is too long/);
  });

  it('runs tasks nested four deep with 64-character ids (their log names are shortened)', async () => {
    const id = (n: number) => `${'x'.repeat(63)}${n}`;
    const yaml = `name: deep\ntasks:\n  - id: ${id(0)}\n    for_each: '[1]'\n    do:\n      - id: ${id(1)}\n        for_each: '[1]'\n        do:\n          - id: ${id(2)}\n            for_each: '[1]'\n            do:\n              - id: ${id(3)}\n                run: echo deep\n`;
    const cwd = writeFiles(tempDir(), { 'deep.yaml': yaml });
    const r = await baton(['run', 'deep.yaml', '--json'], { cwd });
    expect(r.stderr).not.toMatch(/ENAMETOOLONG/);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).status).toBe('completed');
  });
});

describe('state dirs where folders cannot be made', () => {
  it.each(['/proc/nope/x', '/dev/null/x'])('`--state-dir %s` fails fast with exit 2', async (dir) => {
    const cwd = writeFiles(tempDir(), { 'ok.yaml': OK });
    const { value: r, ms } = await timed(() => baton(['run', 'ok.yaml', '--state-dir', dir], { cwd }));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/(does not accept new folders|is not a folder)/);
    expect(ms).toBeLessThan(15_000); // it spun forever before
  }, 30_000);
});

describe('durations of 24.8 days or more', () => {
  it('a 30-day task and run timeout do not fire at once', async () => {
    const yaml = 'name: t\ntimeout: 30d\ntasks:\n  - id: a\n    run: sleep 0.3; echo done\n    timeout: 30d\n';
    const cwd = writeFiles(tempDir(), { 'wf.yaml': yaml });
    const r = await baton(['run', 'wf.yaml', '--json'], { cwd });
    expect(r.stderr).not.toMatch(/TimeoutOverflowWarning/);
    expect(JSON.parse(r.stdout)).toMatchObject({ status: 'completed', tasks: { a: { status: 'completed' } } });
  });

  it('a 25-day wait sleeps without warnings or CPU, and shows its date', async () => {
    const cwd = writeFiles(tempDir(), { 'wf.yaml': 'name: w\ntasks:\n  - id: w\n    wait: 25d\n' });
    const { child, done } = start(['run', 'wf.yaml'], { cwd });
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    try {
      await waitFor(() => /w waiting until \d{4}-\d\d-\d\d /.test(stderr), 15_000, 'the wait to start');
      const ticks = () => {
        const fields = procStat(child.pid!) ?? [];
        return Number(fields[11] ?? 0) + Number(fields[12] ?? 0); // utime + stime, in clock ticks (1/100 s)
      };
      const before = ticks();
      await new Promise((r) => setTimeout(r, 2000));
      // Before, the timer overflowed to 1 ms: a warning per wake-up and ~10 % CPU.
      expect(ticks() - before).toBeLessThan(30);
      expect(stderr).not.toMatch(/TimeoutOverflowWarning/);
    } finally {
      child.kill('SIGINT');
      await done;
    }
  });

  it('refuses durations over 365 days in validate', async () => {
    const cwd = writeFiles(tempDir(), { 'wf.yaml': 'name: w\ntasks:\n  - id: w\n    wait: 99999999999999999\n' });
    expectRefused(await baton(['validate', 'wf.yaml'], { cwd }), cwd, /wf\.yaml:4:11: error: duration `99999999999999999` is too long: durations may be at most 365d/);
  });
});
