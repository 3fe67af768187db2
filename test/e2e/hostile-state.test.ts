// Damaged run state (state.json with a valid header but a broken body, journal events naming what does not exist):
// every command reports it with exit 2, naming the file and where in it, and writes nothing, not even a lock.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { baton, tempDir, writeFiles, type Result } from '../helpers/cli.js';
import { mountTmpfs, unmountTmpfs } from '../helpers/tmpfs.js';

const BLUEPRINT = `
name: hostile
tasks:
  - { id: a, run: "echo a" }
  - { id: b, run: "exit 1" }
`;

let pristine: string;
beforeAll(async () => {
  pristine = writeFiles(tempDir('baton-hostile-'), { 'wf.yaml': BLUEPRINT });
  const r = await baton(['run', 'wf.yaml', '--run-id', 'r'], { cwd: pristine });
  expect(r.code, r.stderr).toBe(1);
});

/** A copy of the recorded failed run `r` (a completed, b failed), in a fresh folder. */
function copyOfRun(): { cwd: string; dir: string; stateFile: string; journal: string } {
  const cwd = tempDir('baton-hostile-');
  fs.cpSync(pristine, cwd, { recursive: true });
  const dir = path.join(cwd, '.baton', 'runs', 'r');
  return { cwd, dir, stateFile: path.join(dir, 'state.json'), journal: path.join(dir, 'events.jsonl') };
}

function editState(file: string, edit: (state: any) => void): void {
  const state = JSON.parse(fs.readFileSync(file, 'utf8'));
  edit(state);
  fs.writeFileSync(file, JSON.stringify(state, null, 2));
}

function appendEvent(journal: string, event: Record<string, unknown>): void {
  const lines = fs.readFileSync(journal, 'utf8').trim().split('\n');
  const seq = JSON.parse(lines[lines.length - 1]!).seq + 1;
  fs.appendFileSync(journal, `${JSON.stringify({ seq, at: '2026-01-01T00:00:00.000Z', ...event })}\n`);
}

/** Every file under `dir` with its content: to show a command wrote nothing (no lock, no rewritten state). */
function contents(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    out[path.relative(dir, file)] = fs.readFileSync(file, 'utf8');
  }
  return out;
}

function expectRefused(r: Result, message: RegExp): void {
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr).toMatch(message);
  expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
  expect(r.stderr).not.toMatch(/TypeError|internal:/);
}

describe('a state.json whose body is damaged', () => {
  it('tasks.b.history not an array: retry and resume refuse, name the file and the path, write nothing, leave no lock', async () => {
    const run = copyOfRun();
    editState(run.stateFile, (s) => (s.tasks.b.history = 'x'));
    const before = contents(run.dir);
    for (const args of [['retry', 'r'], ['resume', 'r'], ['rerun', 'r', '--from', 'a']]) {
      const r = await baton(args, { cwd: run.cwd });
      expectRefused(r, new RegExp(`${run.stateFile.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is damaged: tasks\\.b\\.history should be an array, not the string "x"`));
      expect(r.stderr).not.toMatch(/retried|resumed|rerun \(/);
      expect(contents(run.dir)).toEqual(before);
    }
  });

  it('"tasks": "x" and "status": 42 are refused by retry and rerun; the file stays as it was', async () => {
    for (const [edit, where] of [
      [(s: any) => (s.tasks = 'x'), /tasks should be an object, not the string "x"/],
      [(s: any) => (s.status = 42), /status should be one of running, .*, not number 42/],
    ] as const) {
      const run = copyOfRun();
      editState(run.stateFile, edit);
      const before = contents(run.dir);
      expectRefused(await baton(['retry', 'r'], { cwd: run.cwd }), where);
      expectRefused(await baton(['rerun', 'r', '--from', 'a'], { cwd: run.cwd }), where);
      expect(contents(run.dir)).toEqual(before);
    }
  });

  it('readers (status, status --json, logs, graph) exit 2 with the path, no stack trace', async () => {
    const run = copyOfRun();
    editState(run.stateFile, (s) => (s.tasks.a.history[0].n = '1'));
    const before = contents(run.dir);
    for (const args of [['status', 'r'], ['status', 'r', '--json'], ['logs', 'r', 'a'], ['graph', 'r']]) {
      expectRefused(await baton(args, { cwd: run.cwd }), /state\.json is damaged: tasks\.a\.history\[0\]\.n should be an integer >= 1, not the string "1"/);
    }
    const json = await baton(['status', 'r', '--json'], { cwd: run.cwd });
    expect(JSON.parse(json.stdout).error).toMatch(/tasks\.a\.history\[0\]\.n/);
    expect(contents(run.dir)).toEqual(before);
  });

  it('an instance stored under another key is damage too', async () => {
    const run = copyOfRun();
    editState(run.stateFile, (s) => (s.tasks.b.key = 'c'));
    expectRefused(await baton(['status', 'r'], { cwd: run.cwd }), /tasks\.b\.key should be "b", not the string "c"/);
  });

  it('`runs` skips a damaged run with a warning and lists the others', async () => {
    const run = copyOfRun();
    const other = await baton(['run', 'wf.yaml', '--run-id', 'ok'], { cwd: run.cwd });
    expect(other.code).toBe(1);
    editState(run.stateFile, (s) => (s.status = 42));
    const r = await baton(['runs', '--json'], { cwd: run.cwd });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).map((row: { id: string }) => row.id)).toEqual(['ok']);
    expect(r.stderr).toMatch(/warning: skipping run r: .*state\.json is damaged: status should be/);
    const table = await baton(['runs'], { cwd: run.cwd });
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^ok\s/m);
  });
});

describe('a damaged journal line that state.json already covers', () => {
  it('readers show the run from state.json; resume, retry and rerun refuse it before writing anything', async () => {
    const run = copyOfRun();
    const lines = fs.readFileSync(run.journal, 'utf8').split('\n');
    lines[1] = '{not json';
    fs.writeFileSync(run.journal, lines.join('\n'));
    const before = contents(run.dir);
    const status = await baton(['status', 'r', '--json'], { cwd: run.cwd });
    expect(status.code, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout).tasks).toMatchObject({ a: { status: 'completed' }, b: { status: 'failed' } });
    for (const args of [['retry', 'r'], ['rerun', 'r', '--from', 'a'], ['resume', 'r']]) {
      expectRefused(await baton(args, { cwd: run.cwd }), /events\.jsonl: line 2 is not a valid JSON event/);
    }
    expect(contents(run.dir)).toEqual(before);
  });
});

describe('a journal event naming what the run does not have', () => {
  const attemptEnded = {
    type: 'attempt_ended', attempt: 1, status: 'completed', exit_code: 0, signal: null, error: null, output: null,
    stdout: null, stderr: null, retry_at: null, counted: true,
  };

  it('an unknown task: status, logs, graph, signal and resume exit 2 naming the journal line; nothing is written', async () => {
    const run = copyOfRun();
    appendEvent(run.journal, { ...attemptEnded, key: 'nope' });
    const line = fs.readFileSync(run.journal, 'utf8').trim().split('\n').length;
    const before = contents(run.dir);
    for (const args of [['status', 'r'], ['status', 'r', '--json'], ['logs', 'r', 'a'], ['graph', 'r'], ['signal', 'r', 'go'], ['resume', 'r'], ['retry', 'r']]) {
      expectRefused(await baton(args, { cwd: run.cwd }), new RegExp(`events\\.jsonl:${line}: event \\d+ \\(attempt_ended\\) cannot be replayed: task "nope" is not in the run`));
      expect(contents(run.dir)).toEqual(before);
    }
  });

  it('an unknown attempt of a known task, and a damaged field, are refused the same way', async () => {
    const run = copyOfRun();
    appendEvent(run.journal, { ...attemptEnded, key: 'b', attempt: 7 });
    expectRefused(await baton(['status', 'r'], { cwd: run.cwd }), /\(attempt_ended\) cannot be replayed: task "b" has no attempt 7/);
    const other = copyOfRun();
    appendEvent(other.journal, { ...attemptEnded, key: 'b', status: 42 });
    expectRefused(await baton(['resume', 'r'], { cwd: other.cwd }), /\(attempt_ended\) cannot be replayed: status should be one of pending, .*not number 42/);
    expect(fs.existsSync(path.join(other.dir, 'driver.lock'))).toBe(false);
  });
});

describe('a disk that fills while a completion is recorded', () => {
  it('prints no completion that is not on disk; resume runs the task again', async (ctx) => {
    const mnt = mountTmpfs('size=256k');
    if (mnt === null) return ctx.skip('cannot mount a small tmpfs here (needs root)');
    try {
      // Attempt 1 fills the disk, then pads the journal with a blank line (skipped on read) to the end of its page:
      // the next event needs a page the disk no longer has, whatever the size of the events before it.
      const cwd = writeFiles(tempDir(), {
        'wf.yaml': `
name: full
tasks:
  - id: fill
    run: |
      echo "attempt $BATON_ATTEMPT" >> ledger
      if [ "$BATON_ATTEMPT" = 1 ]; then
        dd if=/dev/zero of="$BATON_RUN_DIR/filler" bs=4096 2>/dev/null || true
        page=$(getconf PAGESIZE)
        size=$(stat -c %s "$BATON_RUN_DIR/events.jsonl")
        pad=$(( (page - size % page) % page ))
        if [ "$pad" -gt 0 ]; then { head -c $((pad - 1)) /dev/zero | tr '\\0' ' '; echo; } >> "$BATON_RUN_DIR/events.jsonl" || true; fi
      fi
  - { id: after, run: "true" }
`,
      });
      const r = await baton(['run', 'wf.yaml', '--run-id', 'f', '--state-dir', mnt], { cwd });
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(/disk full while writing .*events\.jsonl/);
      expect(r.stderr).toMatch(/▶ fill started/);
      expect(r.stderr).not.toMatch(/fill completed|1 completed/);
      expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
      const dir = path.join(mnt, 'runs', 'f');
      expect(fs.readFileSync(path.join(dir, 'events.jsonl'), 'utf8')).not.toMatch(/"attempt_ended"/);
      expect(fs.existsSync(path.join(dir, 'driver.lock'))).toBe(false);

      fs.rmSync(path.join(dir, 'filler'));
      const resumed = await baton(['resume', 'f', '--state-dir', mnt], { cwd });
      expect(resumed.code, resumed.stderr).toBe(0);
      expect(resumed.stderr).toMatch(/✔ fill completed/);
      expect(fs.readFileSync(path.join(cwd, 'ledger'), 'utf8')).toBe('attempt 1\nattempt 2\n');
    } finally {
      unmountTmpfs(mnt);
    }
  });
});
