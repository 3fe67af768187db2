// Hostile values and files: no `${{ }}` value runs as shell code (arithmetic included), no terminal escape sequence
// from a task or a user reaches the terminal, no log is written through a symbolic link.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, baton, readState, runDirOf, runJson, tempDir, writeFiles } from '../helpers/cli.js';

function hostile(cwd: string): { marker: string; value: string } {
  const marker = path.join(cwd, 'pwned');
  return { marker, value: `a[$(touch ${marker})]` };
}

function blueprint(script: string, extra = ''): string {
  const body = script.split('\n').map((line) => `      ${line}`).join('\n');
  return `name: arith\ninputs:\n  x: { type: string, default: "1" }\n  n: { type: integer, default: 41 }\n${extra}tasks:\n  - id: t\n    run: |\n${body}\n`;
}

describe('a value read as shell arithmetic cannot run code', () => {
  const refused: [string, string][] = [
    ['$(( ))', 'echo $(( ${{ inputs.x }} + 1 ))'],
    ['$[ ]', 'echo $[ ${{ inputs.x }} + 1 ]'],
    ['(( ))', '(( ${{ inputs.x }} > 0 )) || true'],
    ['[[ -eq ]]', '[[ "${{ inputs.x }}" -eq 1 ]] || true'],
    ['let', 'let "y = ${{ inputs.x }}" || true'],
    ['declare -i', 'declare -i y="${{ inputs.x }}"'],
    ['an array subscript', 'a=(1 2); echo "${a[${{ inputs.x }}]}"'],
    ['an array assignment', 'a[${{ inputs.x }}]=1'],
    ['a substring offset', 's=abc; echo "${s:${{ inputs.x }}}"'],
    ['printf -v', 'printf -v "${{ inputs.x }}" %s 1'],
  ];

  it.each(refused)('validate and run refuse `${{ }}` in %s, with the position and a fix', async (_what, script) => {
    const cwd = writeFiles(tempDir(), { 'wf.yaml': blueprint(script) });
    const { marker, value } = hostile(cwd);
    const column = script.indexOf('${{') + 7;
    const check = await baton(['validate', 'wf.yaml'], { cwd });
    expect(check.code).toBe(2);
    expect(check.stderr).toContain(`wf.yaml:8:${column}: error: \`\${{ inputs.x }}\` is read as`);
    expect(check.stderr).toMatch(/a value such as `a\[\$\(cmd\)\]` runs cmd: assign it to a variable and check/);
    const run = await baton(['run', 'wf.yaml', '-i', `x=${value}`], { cwd });
    expect(run.code).toBe(2);
    expect(fs.existsSync(marker)).toBe(false);
    expect(fs.existsSync(path.join(cwd, '.baton'))).toBe(false);
  });

  it('the suggested fix runs: a number passes, a hostile value is stopped by the check', async () => {
    const script = 'n="${{ inputs.x }}"; [[ $n =~ ^-?[0-9]+$ ]] || exit 2\necho "sum=$(( n + 1 ))" >> "$BATON_OUTPUT"';
    const cwd = writeFiles(tempDir(), { 'wf.yaml': blueprint(script) });
    const { marker, value } = hostile(cwd);
    expect((await baton(['validate', 'wf.yaml'], { cwd })).code).toBe(0);
    const good = await runJson(cwd, 'wf.yaml', ['-i', 'x=41']);
    expect(good.summary.tasks.t.output).toEqual({ sum: '42' });
    const bad = await runJson(cwd, 'wf.yaml', ['-i', `x=${value}`]);
    expect(bad.summary.tasks.t).toMatchObject({ status: 'failed', exit_code: 2 });
    expect(fs.existsSync(marker)).toBe(false);
  });

  it('values that are surely numbers stay allowed: integer inputs, index, $count()', async () => {
    const script = 'echo "a=$(( ${{ inputs.n }} + 1 ))" >> "$BATON_OUTPUT"\necho "b=$(( ${{ $count([1,2]) }} * 2 ))" >> "$BATON_OUTPUT"';
    const loop = `  - id: each\n    for_each: [p, q]\n    do:\n      - id: i\n        run: echo $(( \${{ index }} + 10 ))\n        output: text\n`;
    const cwd = writeFiles(tempDir(), { 'wf.yaml': blueprint(script) + loop });
    const r = await runJson(cwd, 'wf.yaml');
    expect(r.code).toBe(0);
    expect(r.summary.tasks.t.output).toEqual({ a: '42', b: '4' });
    expect(r.summary.tasks.each.output).toEqual(['10', '11']);
  });
});

// Sequences a hostile task or user may print: title, clipboard write, a link, a charset switch, clear screen.
const EVIL = '\\033]0;OWNED\\007\\033]52;c;aGk=\\007\\033]8;;http://evil\\007link\\033]8;;\\007\\033(0\\033[2J';
const EVIL_RAW = '\x1b]0;OWNED\x07\x1b]52;c;aGk=\x07\x1b]8;;http://evil\x07link\x1b]8;;\x07\x1b(0\x1b[2J';
const CONTROL_LEAK = /\x1b\]|\x07|\x1b\(|\x1b\[2J/;

describe('terminal escape sequences never reach the terminal', () => {
  const failing = `name: evil\ntasks:\n  - id: boom\n    name: "b\\e]0;NAME\\aoom"\n    run: printf 'before ${EVIL} after\\n' >&2; exit 3\n`;

  it('run (not a TTY) and status print the failed task log tail without them', async () => {
    const cwd = writeFiles(tempDir(), { 'wf.yaml': failing });
    const run = await baton(['run', 'wf.yaml'], { cwd });
    expect(run.code).toBe(1);
    expect(run.stdout + run.stderr).toContain('before link after');
    expect(run.stdout + run.stderr).not.toMatch(CONTROL_LEAK);
    const status = await baton(['status', 'last'], { cwd });
    expect(status.stdout).toContain('before link after');
    expect(status.stdout + status.stderr).not.toMatch(CONTROL_LEAK);
    // The log on disk keeps the task's bytes: it is data.
    expect(fs.readFileSync(path.join(runDirOf(cwd), 'logs', 'boom.1.stderr'), 'utf8')).toContain(EVIL_RAW);
  });

  it('run on a TTY prints the log tail without them', () => {
    const cwd = writeFiles(tempDir(), { 'wf.yaml': failing });
    const r = spawnSync('script', ['-qec', `${process.execPath} ${BIN} run wf.yaml`, '/dev/null'], {
      cwd, encoding: 'utf8', env: { ...process.env, CI: '', TERM: 'xterm' },
    });
    expect(r.stdout).toContain('before link after');
    expect(r.stdout).not.toMatch(CONTROL_LEAK);
  });

  it('status prints a signal --fail --reason without them', async () => {
    const cwd = writeFiles(tempDir(), { 'wf.yaml': 'name: gate\ntasks:\n  - id: wait_go\n    wait: { signal: go }\n' });
    const run = baton(['run', 'wf.yaml', '--run-id', 'g1'], { cwd });
    let signalled = { code: null as number | null, stderr: '' };
    for (let i = 0; i < 200; i++) {
      signalled = await baton(['signal', 'g1', 'go', '--fail', '--reason', '\x1b]0;X\x07\x1b[2Jrejected'], { cwd });
      if (signalled.code === 0) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(signalled.code).toBe(0);
    await run;
    const status = await baton(['status', 'g1'], { cwd });
    expect(status.stdout).toContain('rejected');
    expect(status.stdout + status.stderr).not.toMatch(CONTROL_LEAK);
    expect(readState(cwd, 'g1').tasks.wait_go.error).toContain('\x1b]0;X');
  });

  it('graph prints task names without them', async () => {
    const cwd = writeFiles(tempDir(), { 'wf.yaml': failing });
    for (const format of ['mermaid', 'dot']) {
      const r = await baton(['graph', 'wf.yaml', '--format', format], { cwd });
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('boom');
      expect(r.stdout).not.toMatch(/[\x1b\x07]/);
    }
  });
});

describe('logs are never written through a symbolic link', () => {
  const FAILING = 'name: f\ntasks:\n  - id: t\n    run: echo attempt; exit 1\n';

  it('a run folder whose logs/ is a symbolic link is refused (exit 2), nothing written there', async () => {
    const cwd = writeFiles(tempDir(), { 'wf.yaml': FAILING });
    expect((await baton(['run', 'wf.yaml'], { cwd })).code).toBe(1);
    const logs = path.join(runDirOf(cwd), 'logs');
    const elsewhere = path.join(cwd, 'elsewhere');
    fs.mkdirSync(elsewhere);
    fs.rmSync(logs, { recursive: true });
    fs.symlinkSync(elsewhere, logs);
    const r = await baton(['retry', 'last'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/logs is a symbolic link/);
    expect(fs.readdirSync(elsewhere)).toEqual([]);
  });

  it('a log file that is a symbolic link is not followed: the attempt fails, the target is untouched', async () => {
    const cwd = writeFiles(tempDir(), { 'wf.yaml': FAILING, 'victim.txt': 'precious\n' });
    expect((await baton(['run', 'wf.yaml'], { cwd })).code).toBe(1);
    fs.symlinkSync(path.join(cwd, 'victim.txt'), path.join(runDirOf(cwd), 'logs', 't.2.stdout'));
    const r = await baton(['retry', 'last', '--json'], { cwd });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).tasks.t.error).toMatch(/symbolic link/);
    expect(fs.readFileSync(path.join(cwd, 'victim.txt'), 'utf8')).toBe('precious\n');
  });

  it('nor read: `baton logs` and `baton logs --json` show a log that is a link as empty, not what it points at', async () => {
    const cwd = writeFiles(tempDir(), { 'wf.yaml': FAILING, 'secret.txt': 'TOP-SECRET\n' });
    expect((await baton(['run', 'wf.yaml', '--run-id', 'l1'], { cwd })).code).toBe(1);
    const log = path.join(runDirOf(cwd, 'l1'), 'logs', 't.1.stdout');
    fs.rmSync(log);
    fs.symlinkSync(path.join(cwd, 'secret.txt'), log);
    const json = await baton(['logs', 'l1', 't', '--json'], { cwd });
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout).logs).toEqual([{ key: 't', attempt: 1, stdout: '', stderr: '' }]);
    const text = await baton(['logs', 'l1', 't'], { cwd });
    expect(text.stdout + text.stderr).not.toContain('TOP-SECRET');
  });
});
