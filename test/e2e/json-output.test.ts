// `--json` end to end: every command that takes it prints exactly one JSON document on stdout, whatever happens.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { baton, start, tempDir, waitFor, writeFiles, type Result } from '../helpers/cli.js';

let cwd: string;

/** stdout is one JSON document (JSON.parse takes nothing less and nothing more). */
function json(r: Result): any {
  expect(() => JSON.parse(r.stdout), `stdout of a --json command:\n${r.stdout}\nstderr:\n${r.stderr}`).not.toThrow();
  return JSON.parse(r.stdout);
}

beforeAll(async () => {
  cwd = writeFiles(tempDir(), {
    'ok.yaml': 'name: ok\ntasks:\n  - { id: hello, run: "echo hi; echo oops >&2" }\n',
    'gate.yaml': 'name: gate\ntasks:\n  - id: approve\n    wait: { signal: go }\n',
    'bad.yaml': 'name: bad\ntasks:\n  - { id: a }\n',
  });
  expect((await baton(['run', 'ok.yaml', '--run-id', 'ok1'], { cwd })).code).toBe(0);
  const driver = start(['run', 'gate.yaml', '--run-id', 'gate1'], { cwd });
  const journal = path.join(cwd, '.baton/runs/gate1/events.jsonl');
  await waitFor(() => fs.existsSync(journal) && fs.readFileSync(journal, 'utf8').includes('"status":"waiting"'), 15_000, 'the run to wait');
  driver.child.kill('SIGINT');
  await driver.done;
}, 60_000);

describe('--json', () => {
  it('is one JSON error document after a flag error, a bad value or an unknown run, for every command that has it', async () => {
    const cases = [
      ['run', 'ok.yaml', '--json', '--bogus'],
      ['run', 'ok.yaml', '--json', '--concurrency', '0'],
      ['resume', 'nope', '--json'],
      ['retry', 'ok1', '--json', '--concurrency', 'x'],
      ['rerun', 'ok1', '--json'],
      ['cancel', 'nope', '--json'],
      ['validate', '--json', '--bogus', 'ok.yaml'],
      ['status', 'nope', '--json'],
      ['runs', '--json', '--limit', '0'],
      ['runs', 'prune', '--json'],
      ['signal', 'ok1', 'go', '--json'],
      ['logs', 'ok1', 'nope', '--json'],
      ['graph', 'nope', '--json'],
      ['graph', 'bad.yaml', '--json'],
    ];
    for (const args of cases) {
      const r = await baton(args, { cwd });
      expect(r.code, args.join(' ')).toBe(2);
      expect(json(r).error, args.join(' ')).toEqual(expect.any(String));
    }
    // A command without --json says so, and prints nothing on stdout.
    const none = await baton(['completion', 'bash', '--json'], { cwd });
    expect(none.code).toBe(2);
    expect(none.stdout).toBe('');
  }, 120_000);

  it('runs prune --json is prune\'s: what it removed, not the list of runs', async () => {
    const r = await baton(['runs', 'prune', '--keep', '5', '--dry-run', '--json'], { cwd });
    expect(r.code, r.stderr).toBe(0);
    expect(json(r)).toEqual({ dry_run: true, removed: [], kept_live: [] });
    const all = json(await baton(['runs', 'prune', '--keep', '0', '--dry-run', '--json'], { cwd }));
    expect(all.removed.sort()).toEqual(['gate1', 'ok1']);
    expect(fs.existsSync(path.join(cwd, '.baton/runs/ok1'))).toBe(true);
  });

  it('logs, graph and signal print their result as JSON', async () => {
    const logs = json(await baton(['logs', 'ok1', 'hello', '--json'], { cwd }));
    expect(logs).toEqual({ run: 'ok1', task: 'hello', logs: [{ key: 'hello', attempt: 1, stdout: 'hi\n', stderr: 'oops\n' }] });
    const graph = json(await baton(['graph', 'ok1', '--json'], { cwd }));
    expect(graph.run).toBe('ok1');
    expect(graph.nodes).toEqual([expect.objectContaining({ label: ['hello'], status: 'completed' })]);
    // (The status of a run waiting for a signal says how to answer it.)
    expect((await baton(['status', 'gate1'], { cwd })).stdout).toMatch(/^baton signal gate1 go$/m);
    const signal = await baton(['signal', 'gate1', 'go', '--json', '--data', '{"by": "ana"}'], { cwd });
    expect(signal.code, signal.stderr).toBe(0);
    expect(json(signal)).toEqual({ run: 'gate1', keys: ['approve'], signal: 'go', failed: false, delivery: 'recorded' });
  });
});
