// The UI's run reader keeps a run's state and applies only the journal's new lines: the result must be exactly what
// `baton status --json` gets by replaying everything.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RunReader } from '../../src/ui/api.js';
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
