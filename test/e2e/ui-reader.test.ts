// The UI's run reader keeps a run's state and applies only the journal's new lines: the result must be exactly what
// `baton status --json` gets by replaying everything.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { RunReader } from '../../src/ui/api.js';
import { RunsFeed } from '../../src/ui/runs-feed.js';
import { summarize } from '../../src/report/summary.js';
import { baton, tempDir, writeFiles } from '../helpers/cli.js';
import { events, startUntil } from '../helpers/journal.js';

describe('the UI reader of a growing journal', () => {
  it('applies appended events to its kept state exactly as a full replay does', async () => {
    const cwd = writeFiles(tempDir('baton-ui-rd-'), {
      'gate.yaml': 'name: gate\ntasks:\n  - { id: before, run: echo before }\n  - id: approve\n    wait: { signal: approve }\n  - { id: deploy, run: echo deploy }\n',
    });
    const driver = await startUntil(cwd, ['run', 'gate.yaml', '--run-id', 'k1'], () => events(cwd, 'k1').some((e) => e.type === 'run_status' && e.status === 'waiting'));
    driver.child.kill('SIGKILL');
    await driver.done;
    const runDir = path.join(cwd, '.baton', 'runs', 'k1');
    const snapshot = fs.readFileSync(path.join(runDir, 'state.json'), 'utf8');
    const before = fs.readFileSync(path.join(runDir, 'events.jsonl'), 'utf8');
    expect((await baton(['signal', 'k1', 'approve', '--data', '{"by": "ana"}'], { cwd })).code).toBe(0);
    const after = fs.readFileSync(path.join(runDir, 'events.jsonl'), 'utf8');
    expect(after.startsWith(before) && after.length > before.length).toBe(true);

    // A copy of the run as it was before the signal, read once; then only its journal grows.
    const stateDir = path.join(tempDir('baton-ui-rd2-'), '.baton');
    const copy = path.join(stateDir, 'runs', 'k1');
    fs.cpSync(runDir, copy, { recursive: true });
    fs.writeFileSync(path.join(copy, 'state.json'), snapshot);
    fs.writeFileSync(path.join(copy, 'events.jsonl'), before);
    const reader = new RunReader(stateDir);
    expect(reader.view('k1').state.tasks['approve']?.status).toBe('waiting');
    fs.appendFileSync(path.join(copy, 'events.jsonl'), after.slice(before.length));

    const view = reader.view('k1');
    const cli = await baton(['status', 'k1', '--json', '--state-dir', stateDir], { cwd });
    expect({ ...summarize(view.state), status: view.status }).toEqual(JSON.parse(cli.stdout));
    expect(reader.fullReads).toBe(1);
    expect(view.state.tasks['approve']).toMatchObject({ status: 'completed', output: { by: 'ana' } });
    expect(JSON.parse(await reader.run('k1')).journalLines).toBe(after.trim().split('\n').length);
  });
});

describe('the UI reader of a run the runs list has read', () => {
  /** How often `file` is read while `fn` runs. */
  async function readsOf(file: string, fn: () => Promise<unknown>): Promise<number> {
    const spy = vi.spyOn(fs, 'readFileSync');
    try {
      await fn();
      return spy.mock.calls.filter(([f]) => f === file).length;
    } finally {
      spy.mockRestore();
    }
  }

  it('starts from the state.json the list read while the folder is unchanged, if it is big (else reads it again)', async () => {
    const cwd = writeFiles(tempDir('baton-ui-offer-'), { 'wf.yaml': 'name: w\ntasks:\n  - { id: a, run: echo a }\n' });
    for (const id of ['big', 'small']) expect((await baton(['run', 'wf.yaml', '--run-id', id], { cwd })).code).toBe(0);
    const stateDir = path.join(cwd, '.baton');
    const file = (id: string): string => path.join(stateDir, 'runs', id, 'state.json');
    // As big as a few hundred instances' state: worth keeping for the run page.
    const padded = { ...JSON.parse(fs.readFileSync(file('big'), 'utf8')), vars: { pad: 'x'.repeat(300_000) } };
    fs.writeFileSync(file('big'), JSON.stringify(padded));

    const reader = new RunReader(stateDir);
    new RunsFeed(stateDir, { snapshotRead: (...args) => reader.offer(...args) }).scan();
    let doc = '';
    expect(await readsOf(file('big'), async () => (doc = await reader.run('big')))).toBe(0);
    expect(doc).toBe(await new RunReader(stateDir).run('big'));
    expect(await readsOf(file('small'), () => reader.run('small'))).toBe(1);

    // The folder changed after the list read it: the file is read again.
    const other = new RunReader(stateDir);
    new RunsFeed(stateDir, { snapshotRead: (...args) => other.offer(...args) }).scan();
    fs.writeFileSync(file('big'), JSON.stringify({ ...padded, vars: { pad: 'changed' } }));
    expect(await readsOf(file('big'), async () => (doc = await other.run('big')))).toBe(1);
    expect(other.view('big').state.vars).toEqual({ pad: 'changed' });
  });
});
