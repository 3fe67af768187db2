// Issue 16 items 3-4 end to end: env_file / --env-file, run --only, --dry-run, the default blueprint, baton init.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, baton, readState, tempDir, writeFiles } from '../helpers/cli.js';

/** Every file under dir, concatenated: to check that a secret never reaches the run folder. */
function allText(dir: string): string {
  if (!fs.existsSync(dir)) return '';
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => fs.readFileSync(path.join(e.parentPath, e.name), 'utf8'))
    .join('\n');
}

const PRECEDENCE = `name: env
env_file: [conf/bp.env, {path: conf/missing.env, required: false}]
secrets: [TOKEN]
env: { P4: blueprint-env }
tasks:
  - id: show
    env_file: conf/task.env
    env: { P6: task-env }
    run: |
      echo "$P1|$P2|$P3|$P4|$P5|$P6" > "$BATON_INVOCATION_DIR/seen.txt"
      test -f "$BATON_INVOCATION_DIR/ok" || { echo "token $TOKEN"; exit 3; }
      echo "token=$TOKEN" >> "$BATON_OUTPUT"
`;

describe('env_file and --env-file', () => {
  it('layers process env < --env-file < blueprint env_file < env < task env_file < env; resume/retry reread the files; secrets masked', async () => {
    const dir = writeFiles(tempDir(), {
      'flow.yaml': PRECEDENCE,
      // Each Pn is set at layer n and every layer below it, so the value seen names the layer that won.
      'cli.env': 'P2=cli\nP3=cli\nP4=cli\nP5=cli\nP6=cli\n',
      'conf/bp.env': 'P3=bp-file\nP4=bp-file\nP5=bp-file\nP6=bp-file\nTOKEN=hunter2-secret\n',
      'conf/task.env': 'export P5="task-file"\nP6=task-file\n',
    });
    const env = { P1: 'process', P2: 'process', P3: 'process', P4: 'process', P5: 'process', P6: 'process' };
    const first = await baton(['run', 'flow.yaml', '--env-file', 'cli.env', '--quiet'], { cwd: dir, env });
    expect(first.code).toBe(1);
    expect(fs.readFileSync(path.join(dir, 'seen.txt'), 'utf8').trim()).toBe('process|cli|bp-file|blueprint-env|task-file|task-env');
    // retry with no --env-file: the run's recorded file is read again (a changed value is seen).
    fs.writeFileSync(path.join(dir, 'cli.env'), 'P2=cli-again\n');
    fs.writeFileSync(path.join(dir, 'ok'), '');
    const retried = await baton(['retry', 'last', '--json'], { cwd: dir, env });
    expect(retried.code).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'seen.txt'), 'utf8').split('|')[1]).toBe('cli-again');
    expect(JSON.parse(retried.stdout).tasks.show.output).toEqual({ token: '***' });
    expect(readState(dir).options.env_files).toEqual([path.join(dir, 'cli.env')]);
    const stored = allText(path.join(dir, '.baton'));
    expect(stored).toContain('token ***');
    expect(stored).not.toContain('hunter2-secret');
  });

  it('a missing --env-file or env_file is exit 2 and records nothing', async () => {
    const dir = writeFiles(tempDir(), { 'flow.yaml': 'name: t\nenv_file: .env\ntasks: [{id: a, run: "true"}]\n' });
    const noFlagFile = await baton(['run', 'flow.yaml', '--env-file', 'nope.env'], { cwd: dir });
    expect(noFlagFile.code).toBe(2);
    expect(noFlagFile.stderr).toContain(`--env-file: no such file: ${path.join(dir, 'nope.env')}`);
    const noBlueprintFile = await baton(['validate', 'flow.yaml'], { cwd: dir });
    expect(noBlueprintFile.code).toBe(2);
    expect(noBlueprintFile.stderr).toContain('flow.yaml:2:11: error: env_file `.env`: no such file');
    expect(fs.existsSync(path.join(dir, '.baton'))).toBe(false);
    // The bin run by its shebang (as `baton` on PATH is): Node must not take `--env-file` as its own (exit 9).
    const direct = spawnSync(BIN, ['run', 'flow.yaml', '--env-file', 'nope.env'], { cwd: dir, encoding: 'utf8', env: { ...process.env, BATON_STATE_DIR: undefined } });
    expect([direct.status, direct.stderr]).toEqual([2, expect.stringContaining('baton: error: --env-file: no such file')]);
    // Deleted after the run: status still reads the run; a new driver (rerun) stops, exit 2, naming the file.
    fs.writeFileSync(path.join(dir, '.env'), 'A=1\n');
    expect((await baton(['run', 'flow.yaml', '--quiet'], { cwd: dir })).code).toBe(0);
    fs.rmSync(path.join(dir, '.env'));
    expect((await baton(['status', 'last'], { cwd: dir })).code).toBe(0);
    const rerun = await baton(['rerun', 'last', '--from', 'a'], { cwd: dir });
    expect(rerun.code).toBe(2);
    expect(rerun.stderr).toContain('env_file `.env`: no such file');
  });
});

const THREE = `name: three
secrets: [TOKEN]
inputs: { who: { default: world } }
tasks:
  - id: build
    run: echo "build \${{ inputs.who }} \${{ env.TOKEN }}" > built.txt
  - id: test
    command: [echo, "\${{ tasks.build.output }}", "\${{ inputs.who }}"]
  - id: lint
    run: echo lint > linted.txt
finally:
  - id: bye
    run: echo bye
`;

describe('run --only, --dry-run and the default blueprint', () => {
  it('--only runs one top-level task; the others are recorded skipped', async () => {
    const dir = writeFiles(tempDir(), { 'baton.yaml': THREE });
    const r = await baton(['run', '--only', 'lint', '--json'], { cwd: dir });
    expect(r.code).toBe(0);
    const tasks = JSON.parse(r.stdout).tasks;
    expect([tasks.build.status, tasks.test.status, tasks.lint.status, tasks.bye.status]).toEqual(['skipped', 'skipped', 'completed', 'completed']);
    expect(fs.existsSync(path.join(dir, 'built.txt'))).toBe(false);
    const bad = await baton(['run', '--only', 'lnt'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--only lnt: no top-level task has that id; did you mean `lint`?');
    const handler = await baton(['run', '--only', 'bye'], { cwd: dir });
    expect(handler.code).toBe(2);
    expect(handler.stderr).toContain('--only bye: the task is in `finally` (a handler)');
  });

  it('--with-needs adds what the --only tasks need, transitively, and nothing else', async () => {
    const dir = writeFiles(tempDir(), {
      'baton.yaml': `name: graph
tasks:
  - { id: deps, run: echo deps >> ran.txt }
  - { id: build, needs: [deps], run: echo build >> ran.txt }
  - { id: docs, run: echo docs >> ran.txt }
  - { id: test, needs: build, run: echo test >> ran.txt }
`,
    });
    const r = await baton(['run', '--only', 'test', '--with-needs', '--json'], { cwd: dir });
    expect(r.code).toBe(0);
    const tasks = JSON.parse(r.stdout).tasks;
    expect([tasks.deps.status, tasks.build.status, tasks.test.status, tasks.docs.status]).toEqual(['completed', 'completed', 'completed', 'skipped']);
    expect(fs.readFileSync(path.join(dir, 'ran.txt'), 'utf8')).toBe('deps\nbuild\ntest\n');
    const alone = await baton(['run', '--with-needs'], { cwd: dir });
    expect(alone.code).toBe(2);
    expect(alone.stderr).toContain('--with-needs adds what the --only tasks need');
  });

  it('--dry-run prints rendered commands in order, secrets masked, and records nothing', async () => {
    const dir = writeFiles(tempDir(), { '.baton.yaml': THREE });
    const r = await baton(['run', '--dry-run', '-i', 'who=you'], { cwd: dir, env: { TOKEN: 's3cr3t-value' } });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('  build: run\n    | echo "build you ***" > built.txt\n  test: command ["echo","${{ tasks.build.output }}","you"]\n  lint: run');
    expect(r.stdout).toContain('finally (at the end)\n  bye: run');
    expect(r.stdout).not.toContain('s3cr3t-value');
    expect(fs.existsSync(path.join(dir, '.baton'))).toBe(false);
    expect(fs.existsSync(path.join(dir, 'built.txt'))).toBe(false);
    const only = await baton(['run', '--dry-run', '--only', 'lint', '--json'], { cwd: dir });
    expect(JSON.parse(only.stdout)).toMatchObject({ dry_run: true, workflow: 'three', lines: expect.arrayContaining(['  lint: run']) });
    expect(only.stdout).not.toContain('build: run');
  });

  it('no blueprint and no baton.yaml / .baton.yaml is exit 2 naming both', async () => {
    const r = await baton(['run'], { cwd: tempDir() });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/neither `baton\.yaml` nor `\.baton\.yaml` is in /);
  });
});

describe('baton init', () => {
  it('writes a starter baton.yaml that validates and runs, ignores .baton/ once, never overwrites', async () => {
    const dir = writeFiles(tempDir(), { '.gitignore': 'node_modules' });
    expect((await baton(['init'], { cwd: dir })).code).toBe(0);
    expect(fs.readFileSync(path.join(dir, '.gitignore'), 'utf8')).toBe('node_modules\n.baton/\n');
    expect((await baton(['validate', 'baton.yaml'], { cwd: dir })).code).toBe(0);
    const run = await baton(['run', '--quiet'], { cwd: dir });
    expect(run.code).toBe(0);
    const before = fs.readFileSync(path.join(dir, 'baton.yaml'), 'utf8');
    fs.rmSync(path.join(dir, '.gitignore'));
    fs.writeFileSync(path.join(dir, '.gitignore'), '.baton/\n');
    const again = await baton(['init'], { cwd: dir });
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('baton.yaml already exists');
    expect(fs.readFileSync(path.join(dir, 'baton.yaml'), 'utf8')).toBe(before);
    expect(fs.readFileSync(path.join(dir, '.gitignore'), 'utf8')).toBe('.baton/\n');
  });
});
