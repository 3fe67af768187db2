// A task page's live log: each piece of text says which bytes of the file it stands for, so a page whose stream was
// reopened (and so missed text meanwhile) fetches the log again instead of showing it with a hole.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { joinLogText } from '../../src/ui/web/log-join.js';
import { start, tempDir, waitFor, writeFiles } from '../helpers/cli.js';
import { openEvents, request, startUi, type Ui } from '../helpers/ui.js';

describe('joining live log text to the fetched log', () => {
  it.each([
    ['follows on', { stdout: 10, stderr: 0 }, { stream: 'stdout', from: 10, to: 20 }, 'append'],
    ['already fetched', { stdout: 20, stderr: 0 }, { stream: 'stdout', from: 10, to: 20 }, 'skip'],
    ['overlaps the end (shown twice rather than lost)', { stdout: 15, stderr: 0 }, { stream: 'stdout', from: 10, to: 20 }, 'append'],
    ['starts past the end: text was missed', { stdout: 10, stderr: 0 }, { stream: 'stdout', from: 14, to: 20 }, 'refetch'],
    ['the other stream counts on its own', { stdout: 99, stderr: 0 }, { stream: 'stderr', from: 0, to: 5 }, 'append'],
    ['no byte range (an older server)', { stdout: 10, stderr: 0 }, { stream: 'stdout', html: 'x' }, 'append'],
    ['before the log was fetched', null, { stream: 'stdout', from: 14, to: 20 }, 'append'],
  ])('%s', (_, sizes, piece, expected) => {
    expect(joinLogText(sizes, piece)).toBe(expected);
  });
});

describe('live log text of a running task', () => {
  let ui: Ui | undefined;
  let gate = '';
  afterAll(async () => {
    if (gate) fs.writeFileSync(gate, '');
    await ui?.stop();
  });

  it('carries its byte range; a stream opened after another closed starts past it, which the page sees as a gap', async () => {
    const cwd = writeFiles(tempDir('baton-ui-logs-'), {
      'wf.yaml': 'name: chatty\ntasks:\n  - { id: talk, run: "i=0; while [ ! -f gate ]; do i=$((i+1)); echo \\"line $i\\"; sleep 0.05; done" }\n',
    });
    gate = path.join(cwd, 'gate');
    const driver = start(['run', 'wf.yaml', '--run-id', 'c1'], { cwd });
    const file = path.join(cwd, '.baton', 'runs', 'c1', 'logs', 'talk.1.stdout');
    await waitFor(() => fs.existsSync(file) && fs.statSync(file).size > 0, 15_000, 'the task to print');
    ui = await startUi(cwd);

    const fetched = (await request(ui.origin, '/api/runs/c1/tasks/talk/log')).json;
    expect(fetched.sizes).toEqual({ stdout: fetched.bytes, stderr: 0 });
    const first = await openEvents(ui.origin, '/api/runs/c1/live');
    const logs = (events: { event: string; data: any }[]): any[] => events.filter((e) => e.event === 'log').map((e) => e.data);
    await waitFor(() => logs(first.events).length >= 3, 15_000, 'three pieces of live log');
    const pieces = logs(first.events);
    for (let i = 1; i < pieces.length; i++) expect(pieces[i].from).toBe(pieces[i - 1].to);
    // Plain lines: the HTML is the text, byte for byte the file's range.
    const text = fs.readFileSync(file);
    expect(pieces.map((p) => p.html).join('')).toBe(text.subarray(pieces[0].from, pieces[pieces.length - 1].to).toString('utf8'));
    const seen = pieces[pieces.length - 1].to;
    first.close();

    // The task prints on while no stream is open; the next stream's follower starts where the file is then.
    await waitFor(() => fs.statSync(file).size > seen + 20, 15_000, 'more lines');
    const second = await openEvents(ui.origin, '/api/runs/c1/live');
    await waitFor(() => logs(second.events).length >= 1, 15_000, 'live log on the second stream');
    const next = logs(second.events)[0];
    expect(next.from).toBeGreaterThan(seen);
    expect(joinLogText({ stdout: seen, stderr: 0 }, next)).toBe('refetch');
    second.close();

    fs.writeFileSync(gate, '');
    expect((await driver.done).code).toBe(0);
  });
});
