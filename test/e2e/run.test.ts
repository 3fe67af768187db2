// `baton run` end to end: real blueprints in temp folders, real subprocesses, real files.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { baton, isAlive, readState, runDirOf, runJson, runYaml, start, tempDir, waitFor, writeFiles } from '../helpers/cli.js';


describe('command tasks', () => {
  it('runs command argv without a shell, with env, cwd and stdin', async () => {
    const r = await runYaml(`
name: t
env: { GREETING: hi }
tasks:
  - id: mk
    run: mkdir -p sub && echo inside > sub/f.txt
  - id: argv
    command: [sh, -c, 'printf "%s|%s|%s" "$1" "$GREETING" "$(cat f.txt)"', x, "a b; echo pwned"]
    cwd: sub
    output: text
  - id: feed
    command: [cat]
    stdin: "from \${{ tasks.argv.output }}"
    output: text
`);
    expect(r.code).toBe(0);
    expect(r.summary.tasks.argv.output).toBe('a b; echo pwned|hi|inside');
    expect(r.summary.tasks.feed.output).toBe('from a b; echo pwned|hi|inside');
  });

  it('gives every task the BATON_* variables', async () => {
    const r = await runYaml(`
name: vars
tasks:
  - id: show
    run: |
      echo "run=$BATON_RUN_ID" >> "$BATON_OUTPUT"
      echo "task=$BATON_TASK_ID" >> "$BATON_OUTPUT"
      echo "attempt=$BATON_ATTEMPT" >> "$BATON_OUTPUT"
      echo "dir=$BATON_RUN_DIR" >> "$BATON_OUTPUT"
      echo "inv=$BATON_INVOCATION_DIR" >> "$BATON_OUTPUT"
`, ['--run-id', 'my-run']);
    expect(r.code).toBe(0);
    expect(r.summary.tasks.show.output).toEqual({ run: 'my-run', task: 'show', attempt: '1', dir: path.join(r.cwd, '.baton', 'runs', 'my-run'), inv: r.cwd });
  });

  it('parses output: json and lines, and JSON written to $BATON_OUTPUT', async () => {
    const r = await runYaml(`
name: outputs
tasks:
  - id: j
    run: |
      echo '{"a": [1, 2]}'
    output: json
  - id: l
    run: printf 'x\\n\\ny\\n'
    output: lines
  - id: f
    run: |
      echo '{"n": 3}' > "$BATON_OUTPUT"
  - id: none
    run: "true"
outputs:
  sum: \${{ $sum(tasks.j.output.a) + tasks.f.output.n }}
  lines: \${{ tasks.l.output }}
  none: \${{ tasks.none.output }}
`);
    expect(r.code).toBe(0);
    expect(r.summary.outputs).toEqual({ sum: 6, lines: ['x', 'y'], none: null });
  });

  it('fails an attempt whose output: json is not JSON, with a clear message', async () => {
    const r = await runYaml(`
name: badjson
tasks:
  - id: j
    run: echo 'not json'
    output: json
`);
    expect(r.code).toBe(1);
    expect(r.summary.tasks.j.status).toBe('failed');
    expect(r.summary.error.message).toMatch(/JSON/);
  });

  it('never executes values holding $(...), backticks, quotes or ;', async () => {
    const cwd = tempDir();
    const marker = path.join(cwd, 'pwned');
    const hostile = [`$(touch ${marker})`, `\`touch ${marker}\``, `'; touch ${marker}; '`, `"; touch ${marker}; "`, `x; touch ${marker}`];
    writeFiles(cwd, {
      'wf.yaml': `
name: inject
inputs:
  v: { type: string }
tasks:
  - id: quoted
    run: printf '%s' "\${{ inputs.v }}"
    output: text
  - id: unquoted
    run: echo \${{ inputs.v }} > /dev/null
  - id: env
    run: printf '%s' "$V"
    env: { V: "\${{ inputs.v }}" }
    output: text
`,
    });
    for (const value of hostile) {
      const r = await baton(['run', 'wf.yaml', '--json', '-i', `v=${value}`], { cwd });
      expect(r.code, r.stderr).toBe(0);
      const summary = JSON.parse(r.stdout);
      expect(summary.tasks.quoted.output).toBe(value);
      expect(summary.tasks.env.output).toBe(value);
      expect(fs.existsSync(marker)).toBe(false);
    }
  });
});

describe('conditions, optional, set, terminate', () => {
  it('skips a task whose if is false and goes on after an optional failure', async () => {
    const r = await runYaml(`
name: cond
inputs:
  deploy: { type: boolean, default: false }
tasks:
  - id: maybe
    if: inputs.deploy
    run: echo deploying
  - id: flaky
    run: exit 4
    optional: true
  - id: after
    run: echo "\${{ tasks.maybe.status }} \${{ tasks.flaky.status }}"
    output: text
`);
    expect(r.code).toBe(0);
    expect(r.summary.tasks.maybe.status).toBe('skipped');
    expect(r.summary.tasks.flaky).toMatchObject({ status: 'failed', exit_code: 4 });
    expect(r.summary.tasks.after.output).toBe('skipped failed');
  });

  it('an if that cannot be evaluated fails the task without retries', async () => {
    const r = await runYaml(`
name: badif
tasks:
  - id: t
    if: \${{ $number("x") + 1 }}
    run: echo no
    retry: 3
`);
    expect(r.code).toBe(1);
    expect(r.summary.tasks.t.status).toBe('failed');
    expect(r.summary.tasks.t.attempts).toBe(0);
    expect(r.summary.error.message).toMatch(/^if: /);
  });

  it('set writes run variables; terminate ends the run early with its output', async () => {
    const r = await runYaml(`
name: term
tasks:
  - id: s
    set: { n: 2, msg: "n is \${{ 1 + 1 }}" }
  - id: stop
    terminate: { status: completed, output: { n: "\${{ vars.n }}", msg: "\${{ vars.msg }}" } }
  - id: never
    run: echo never
`);
    expect(r.code).toBe(0);
    expect(r.summary.outputs).toEqual({ n: 2, msg: 'n is 2' });
    expect(r.summary.tasks.never).toBeUndefined();
  });

  it('terminate failed sets run.error and runs on_failure', async () => {
    const r = await runYaml(`
name: term2
tasks:
  - id: stop
    terminate: { status: failed, reason: "nothing to do" }
on_failure:
  - id: report
    run: |
      echo "\${{ run.error.task }}: \${{ run.error.message }}"
    output: text
`);
    expect(r.code).toBe(1);
    expect(r.summary.error).toEqual({ task: 'stop', message: 'nothing to do' });
    expect(r.summary.tasks.report.output).toBe('stop: nothing to do');
  });
});

describe('timeouts and processes', () => {
  it('a timeout kills the whole process group, background grandchildren included', async () => {
    const cwd = tempDir();
    writeFiles(cwd, {
      'wf.yaml': `
name: tmo
tasks:
  - id: slow
    run: |
      sleep 300 &
      echo $! > grandchild.pid
      sleep 300
    timeout: 500ms
    kill_grace: 200ms
`,
    });
    const r = await baton(['run', 'wf.yaml', '--json'], { cwd });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).tasks.slow.status).toBe('timed_out');
    const pid = Number(fs.readFileSync(path.join(cwd, 'grandchild.pid'), 'utf8'));
    await waitFor(() => !isAlive(pid), 5000, `grandchild ${pid} to be gone`);
  });

  it('processes a completed task left behind are killed at the end of the run and named', async () => {
    const cwd = tempDir();
    writeFiles(cwd, {
      'wf.yaml': `
name: leftover
tasks:
  - id: bg
    run: |
      sleep 300 &
      echo $! > bg.pid
  - id: next
    run: "true"
`,
    });
    const r = await baton(['run', 'wf.yaml'], { cwd });
    expect(r.code).toBe(0);
    const pid = Number(fs.readFileSync(path.join(cwd, 'bg.pid'), 'utf8'));
    expect(r.stderr).toMatch(new RegExp(`bg left processes running.*${pid}`));
    await waitFor(() => !isAlive(pid), 5000, `leftover ${pid} to be gone`);
  });

  it('the run timeout ends the run timed_out and runs on_failure', async () => {
    const r = await runYaml(`
name: runtmo
timeout: 500ms
tasks:
  - id: slow
    run: sleep 30
    kill_grace: 100ms
on_failure:
  - id: h
    run: echo "\${{ run.status }}"
    output: text
`);
    expect(r.code).toBe(1);
    expect(r.summary.status).toBe('timed_out');
    expect(r.summary.tasks.slow.status).toBe('canceled');
    expect(r.summary.tasks.h.output).toBe('timed_out');
  });

  it('--concurrency caps the tasks running at once', async () => {
    const r = await runYaml(`
name: conc
tasks:
  - id: p
    parallel:
      - [{ id: a, run: 'echo start >> log; sleep 0.3; echo end >> log' }]
      - [{ id: b, run: 'echo start >> log; sleep 0.3; echo end >> log' }]
      - [{ id: c, run: 'echo start >> log; sleep 0.3; echo end >> log' }]
`, ['--concurrency', '1']);
    expect(r.code).toBe(0);
    expect(fs.readFileSync(path.join(r.cwd, 'log'), 'utf8')).toBe('start\nend\nstart\nend\nstart\nend\n');
  });

  it('SIGTERM to the driver kills running tasks, leaves the run interrupted and exits 143', async () => {
    const cwd = writeFiles(tempDir(), {
      'wf.yaml': `
name: sig
tasks:
  - id: slow
    run: echo $$ > task.pid; sleep 300
    kill_grace: 200ms
`,
    });
    const { child, done } = start(['run', 'wf.yaml'], { cwd });
    await waitFor(() => fs.existsSync(path.join(cwd, 'task.pid')) && fs.readFileSync(path.join(cwd, 'task.pid'), 'utf8').endsWith('\n'));
    const pid = Number(fs.readFileSync(path.join(cwd, 'task.pid'), 'utf8'));
    child.kill('SIGTERM');
    const r = await done;
    expect(r.code).toBe(143);
    expect(isAlive(pid)).toBe(false);
    const state = readState(cwd);
    expect(state.status).toBe('interrupted');
    expect(state.tasks.slow.status).toBe('pending');
  });
});

describe('plain output', () => {
  it('prints one line per task event and a failed task\'s log tail', async () => {
    const cwd = writeFiles(tempDir(), {
      'wf.yaml': `
name: plain
tasks:
  - id: ok
    run: echo fine
  - id: bad
    run: |
      echo "something broke" >&2
      exit 2
`,
    });
    const r = await baton(['run', 'wf.yaml'], { cwd });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/✔ ok completed/);
    expect(r.stderr).toMatch(/✖ bad failed \(exit code 2\)/);
    expect(r.stderr).toMatch(/something broke/);
    expect(r.stderr).not.toMatch(/\x1b\[/);
  });
});

describe('state', () => {
  it('events.jsonl only grows: one line per transition', async () => {
    const r = await runYaml(`
name: journal
tasks:
  - { id: a, run: "true" }
  - { id: b, run: "true" }
`);
    const dir = runDirOf(r.cwd);
    const lines = fs.readFileSync(path.join(dir, 'events.jsonl'), 'utf8').trim().split('\n');
    const types = lines.map((l) => JSON.parse(l).type);
    expect(types.filter((t) => t === 'attempt_started')).toHaveLength(2);
    expect(types.filter((t) => t === 'attempt_ended')).toHaveLength(2);
    expect(fs.readdirSync(path.join(dir, 'logs'))).toEqual([]); // silent tasks: log files appear only when written
  });

  it('--state-dir and BATON_STATE_DIR choose where runs are kept', async () => {
    const cwd = writeFiles(tempDir(), { 'wf.yaml': 'name: sd\ntasks:\n  - { id: a, run: "true" }\n' });
    expect((await baton(['run', 'wf.yaml', '--state-dir', 'elsewhere'], { cwd })).code).toBe(0);
    expect(fs.readdirSync(path.join(cwd, 'elsewhere', 'runs'))).toHaveLength(1);
    expect((await baton(['run', 'wf.yaml'], { cwd, env: { BATON_STATE_DIR: path.join(cwd, 'env-dir') } })).code).toBe(0);
    expect(fs.readdirSync(path.join(cwd, 'env-dir', 'runs'))).toHaveLength(1);
    expect(fs.existsSync(path.join(cwd, '.baton'))).toBe(false);
  });

  it('--run-id naming a run that exists is refused with exit 2', async () => {
    const cwd = writeFiles(tempDir(), { 'wf.yaml': 'name: dup\ntasks:\n  - { id: a, run: "true" }\n' });
    expect((await baton(['run', 'wf.yaml', '--run-id', 'one'], { cwd })).code).toBe(0);
    const before = fs.readFileSync(path.join(cwd, '.baton/runs/one/state.json'), 'utf8');
    const again = await baton(['run', 'wf.yaml', '--run-id', 'one'], { cwd });
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/run one already exists/);
    expect(fs.readFileSync(path.join(cwd, '.baton/runs/one/state.json'), 'utf8')).toBe(before);
  });

  it('the hint for a taken --run-id leads somewhere: retry for a failed run, rerun for a completed one, never resume', async () => {
    const cwd = writeFiles(tempDir(), { 'wf.yaml': 'name: dup\ntasks:\n  - { id: a, run: "test -e ok" }\n' });
    expect((await baton(['run', 'wf.yaml', '--run-id', 'one'], { cwd })).code).toBe(1);
    const failed = await baton(['run', 'wf.yaml', '--run-id', 'one'], { cwd });
    expect(failed.stderr).toMatch(/hint: it failed; pick another --run-id, or re-run what failed with: baton retry one\n/);
    fs.writeFileSync(path.join(cwd, 'ok'), '');
    expect((await baton(['retry', 'one'], { cwd })).code).toBe(0);
    const completed = await baton(['run', 'wf.yaml', '--run-id', 'one'], { cwd });
    expect(completed.stderr).toMatch(/hint: it completed; pick another --run-id, or run tasks of it again with: baton rerun one --from <task>\n/);
    expect(completed.stderr).not.toMatch(/resume|retry/);
    const resumed = await baton(['resume', 'one'], { cwd });
    expect(resumed.stderr).toMatch(/nothing to resume\nhint: run tasks of it again with: baton rerun one --from <task>\n/);
    expect((await baton(['rerun', 'one', '--from', 'a'], { cwd })).code).toBe(0);
  });
});

describe('secrets', () => {
  it('are masked in logs, outputs, state and summaries, with a warning; nothing in the run folder keeps them', async () => {
    const cwd = writeFiles(tempDir(), {
      'wf.yaml': `
name: sec
secrets: [TOKEN]
tasks:
  - id: leak
    run: |
      echo "token is $TOKEN"
      echo "oops $TOKEN" >&2
      echo "t=$TOKEN" >> "$BATON_OUTPUT"
  - id: use
    run: echo "\${{ tasks.leak.output.t }}"
    output: text
  - id: keep
    set: { copy: "\${{ env.TOKEN }}" }
`,
    });
    const r = await runJson(cwd, 'wf.yaml', [], { TOKEN: 'hunter2-secret' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/secret's value was masked \(\*\*\*\) in the output of leak/);
    expect(r.summary.tasks.leak.output).toEqual({ t: '***' });
    expect(r.summary.tasks.use.output).toBe('***');
    expect(JSON.stringify(r.summary)).not.toContain('hunter2');
    const grep = spawnSync('grep', ['-rl', 'hunter2', path.join(cwd, '.baton')], { encoding: 'utf8' });
    expect(grep.stdout).toBe('');
    expect(grep.status).toBe(1); // grep: no match
  });
});
