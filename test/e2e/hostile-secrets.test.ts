// Hostile secrets: a secret's value must not reach run output, `status`, `--json`, events.jsonl or state.json by
// any path — errors that quote a value, evaluated values, reasons, inputs, numeric and multi-line secrets.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { baton, runDirOf, runJson, tempDir, writeFiles } from '../helpers/cli.js';

const SECRET = 's3cr3tValue123456';

/** Every file under .baton that holds `needle` (grep -rl), so a failure names where it leaked. */
function filesHolding(cwd: string, needle: string): string[] {
  const grep = spawnSync('grep', ['-rlF', '--', needle, path.join(cwd, '.baton')], { encoding: 'utf8' });
  return grep.stdout.split('\n').filter((line) => line !== '');
}

/** Runs the blueprint (--json, plainly, then `status`, `status --json`) and checks no needle appears where baton wrote. */
async function expectNowhere(cwd: string, needles: string | string[], args: string[] = [], env: Record<string, string> = {}) {
  const run = await runJson(cwd, 'wf.yaml', args, env);
  const plain = await baton(['run', 'wf.yaml', '--run-id', 'plain', ...args], { cwd, env });
  const status = await baton(['status', 'plain'], { cwd, env });
  const statusJson = await baton(['status', 'plain', '--json'], { cwd, env });
  const shown = { run: run.stdout + run.stderr, plain: plain.stdout + plain.stderr, status: status.stdout + status.stderr, statusJson: statusJson.stdout };
  for (const needle of [needles].flat()) {
    for (const [where, text] of Object.entries(shown)) expect(text, `${where}:\n${text}`).not.toContain(needle);
    expect(filesHolding(cwd, needle)).toEqual([]);
  }
  return { run, plain, status, statusJson };
}

describe('a secret quoted by an error or a recorded value is masked everywhere', () => {
  it('if, for_each, command, cwd, switch: each leak path of one run', async () => {
    const cwd = writeFiles(tempDir(), {
      'wf.yaml': `
name: hostile
secrets: [TOK]
tasks:
  - id: all
    fail_fast: false
    parallel:
      - - id: cond
          if: \${{ $number(env.TOK) > 1 }}
          run: "true"
      - - id: each
          for_each: \${{ env.TOK }}
          do: [ { id: never, run: "true" } ]
      - - id: items
          for_each: \${{ [env.TOK] }}
          do: [ { id: use, run: "true" } ]
      - - id: cmd
          command: ["\${{ env.TOK }}"]
      - - id: dir
          command: ["true"]
          cwd: \${{ env.TOK }}
      - - id: pick
          switch: \${{ env.TOK }}
          cases:
            prod: [ { id: p, run: "true" } ]
          default: [ { id: d, run: "true" } ]
`,
    });
    const { run, statusJson } = await expectNowhere(cwd, SECRET, [], { TOK: SECRET });
    const tasks = run.summary.tasks;
    expect(tasks.cond.error).toMatch(/^if: .*"\*\*\*"/);
    expect(tasks.each.error).toBe('for_each: expected an array of items, got string "***"');
    expect(tasks.cmd.error).toContain('***');
    expect(tasks.dir.error).toContain('***');
    expect(tasks.pick.status).toBe('completed');
    expect(tasks.d.status).toBe('completed');
    expect(tasks['items[0].use'].status).toBe('completed');
    expect(JSON.parse(statusJson.stdout).tasks.cmd.error).toContain('***');
    const events = fs.readFileSync(path.join(runDirOf(cwd, 'plain'), 'events.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
    const evaluated = events.filter((e) => e.type === 'task_evaluated');
    expect(evaluated.find((e) => e.key === 'pick').value).toBe('***');
    expect(evaluated.find((e) => e.key === 'items').value).toEqual(['***']);
  });

  it('a switch whose value holds a short secret still takes the case it matched', async () => {
    const cwd = writeFiles(tempDir(), {
      'wf.yaml': `
name: short
secrets: [TOK]
tasks:
  - id: pick
    switch: \${{ "staging" }}
    cases:
      staging: [ { id: s, run: "true" } ]
    default: [ { id: d, run: "true" } ]
`,
    });
    const r = await runJson(cwd, 'wf.yaml', [], { TOK: 'a' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.summary.tasks.s.status).toBe('completed');
    expect(r.summary.tasks.d.status).toBe('skipped');
  });

  it('a terminate reason holding the secret (run.error)', async () => {
    const cwd = writeFiles(tempDir(), {
      'wf.yaml': `
name: stop
secrets: [TOK]
tasks:
  - id: end
    terminate: { status: failed, reason: "token \${{ env.TOK }} refused" }
`,
    });
    const { run } = await expectNowhere(cwd, SECRET, [], { TOK: SECRET });
    expect(run.code).toBe(1);
    expect(run.summary.error.message).toBe('token *** refused');
  });

  it('an input given the secret is stored masked; its type error does not quote it', async () => {
    const cwd = writeFiles(tempDir(), {
      'wf.yaml': `
name: given
secrets: [TOK]
inputs:
  v: { type: string }
tasks:
  - { id: show, run: "echo \\"got \${{ inputs.v }}\\"", output: text }
`,
      'typed.yaml': `
name: typed
secrets: [TOK]
inputs:
  n: { type: number }
tasks:
  - { id: show, run: "true" }
`,
    });
    const { run } = await expectNowhere(cwd, SECRET, ['-i', `v=${SECRET}`], { TOK: SECRET });
    expect(run.code, run.stderr).toBe(0);
    expect(run.summary.tasks.show.output).toBe('got ***');
    expect(run.stderr).toContain("a secret's value was masked (***) in the run's inputs");
    for (const args of [['run', 'typed.yaml', '-i', `n=${SECRET}`], ['run', 'typed.yaml', '-i', `n=${SECRET}`, '--json']]) {
      const bad = await baton(args, { cwd, env: { TOK: SECRET } });
      expect(bad.code, bad.stderr).toBe(2);
      expect(bad.stdout + bad.stderr).not.toContain(SECRET);
      expect(bad.stdout + bad.stderr).toContain('***');
    }
  });
});

describe('numeric and multi-line secrets', () => {
  it('a numeric secret is masked in $BATON_OUTPUT JSON as in set:, and output: json holding it still parses', async () => {
    const cwd = writeFiles(tempDir(), {
      'wf.yaml': `
name: pin
secrets: [PIN]
tasks:
  - id: file
    run: |
      echo "{\\"pin\\": $PIN}" > "$BATON_OUTPUT"
  - id: json
    run: |
      echo "{\\"pin\\": $PIN, \\"ok\\": true}"
    output: json
  - id: keep
    set: { pin: "\${{ $number(env.PIN) }}" }
`,
    });
    const { run } = await expectNowhere(cwd, '4242', [], { PIN: '4242' });
    expect(run.code, run.stderr).toBe(0);
    expect(run.summary.tasks.file.output).toEqual({ pin: '***' });
    expect(run.summary.tasks.json.output).toEqual({ pin: '***', ok: true });
    expect(run.summary.tasks.keep.output).toEqual({ pin: '***' });
  });

  it('a multi-line secret is masked line by line, in the logs and the live (--verbose) output, a line arriving in pieces', async () => {
    const lines = ['first-line-AAAA1111', 'second-line-BBBB2222'];
    const cwd = writeFiles(tempDir(), {
      'wf.yaml': `
name: multi
secrets: [KEY]
tasks:
  - id: half
    run: |
      first="\${KEY%%$'\\n'*}"
      printf 'one %s' "\${first:0:8}"
      sleep 0.1
      printf '%s two\\n' "\${first:8}"
      echo "\${KEY#*$'\\n'}" >&2
`,
    });
    const { run, plain } = await expectNowhere(cwd, lines, ['--verbose'], { KEY: lines.join('\n') });
    expect(run.code, run.stderr).toBe(0);
    expect(plain.stderr).toContain('one *** two');
    expect(fs.readFileSync(path.join(runDirOf(cwd, 'plain'), 'logs', 'half.1.stdout'), 'utf8')).toBe('one *** two\n');
  });
});

describe('validate', () => {
  it('warns when a secret is rendered into command: arguments (visible in ps)', async () => {
    const cwd = writeFiles(tempDir(), {
      'wf.yaml': `
name: argv
secrets: [TOK]
tasks:
  - id: call
    command: [curl, -H, "Authorization: \${{ env.TOK }}", https://example.test]
  - id: fine
    command: [curl, https://example.test]
    env: { AUTH: "\${{ env.TOK }}" }
`,
    });
    const r = await baton(['validate', 'wf.yaml'], { cwd });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/warning.*secret `TOK`.*command/);
    expect(r.stderr).toContain('env:');
    expect(r.stderr.match(/secret `TOK`/g)).toHaveLength(1);
  });
});
