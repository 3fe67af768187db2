// `baton ui` live events and actions over HTTP: SSE within 1 s and resumable, signal/cancel/retry as the CLI does
// them, foreign Origin / missing CSRF / --read-only refused with nothing changed, the token off loopback.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baton, isAlive, readState, runDirOf, start, tempDir, waitFor, writeFiles } from '../helpers/cli.js';
import { events, startUntil } from '../helpers/journal.js';
import { action, openEvents, request, startUi, type Ui } from '../helpers/ui.js';

const journal = (cwd: string, id: string): string => fs.readFileSync(path.join(runDirOf(cwd, id), 'events.jsonl'), 'utf8');

describe('baton ui: live events and actions', () => {
  let cwd: string;
  let ui: Ui;

  beforeAll(async () => {
    cwd = writeFiles(tempDir('baton-ui-act-'), {
      'gate.yaml': 'name: gate\ntasks:\n  - id: approve\n    wait: { signal: approve }\n  - { id: deploy, run: \'echo "by ${{ tasks.approve.output.by }}" > ledger\' }\n',
      'slow.yaml': "name: slow\ntasks:\n  - { id: slow, run: 'echo $$ > slow.pid; while [ ! -f go ]; do sleep 0.05; done; printf \"\\\\033[32mtick\\\\033[0m <b>\\\\n\"; sleep 30', kill_grace: 200ms }\n",
      'flaky.yaml': 'name: flaky\ntasks:\n  - { id: check, run: test -f fixed }\n',
    });
    ui = await startUi(cwd);
  });
  afterAll(async () => {
    await ui?.stop();
  });

  it('refuses a foreign Origin and a missing CSRF token (nothing changes), then a signal from the page releases the run; SSE shows it within 1 s and resumes from Last-Event-ID', async () => {
    const driver = await startUntil(cwd, ['run', 'gate.yaml', '--run-id', 'g1'], () => events(cwd, 'g1').some((e) => e.type === 'run_status' && e.status === 'waiting'));
    const stream = await openEvents(ui.origin, '/api/runs/g1/live');
    const before = journal(cwd, 'g1');
    const foreign = await action(ui, '/api/runs/g1/signal', { task: 'approve' }, { Origin: 'http://evil.example' });
    expect(foreign.status).toBe(403);
    const noCsrf = await request(ui.origin, '/api/runs/g1/signal', { method: 'POST', body: { task: 'approve' }, headers: { Origin: ui.origin } });
    expect(noCsrf.status).toBe(403);
    const unknown = await action(ui, '/api/runs/g1/signal', { task: 'nope' });
    expect(unknown.status).toBe(409);
    expect(unknown.json.error).toMatch(/nothing in run g1 is waiting for "nope"/);
    expect(journal(cwd, 'g1')).toBe(before);

    // Pushed, not polled: the signal's journal line reaches the open stream within 1 s of being written.
    const sent = action(ui, '/api/runs/g1/signal', { task: 'approve', data: { by: 'ana' } });
    await waitFor(() => events(cwd, 'g1').some((e) => e.type === 'signal_received'), 10_000, 'the signal in the journal');
    const written = Date.now();
    await waitFor(() => stream.events.some((e) => e.event === 'journal' && e.data.event.type === 'signal_received'), 5000, 'the signal on the stream');
    expect(Date.now() - written).toBeLessThan(1000);
    const ok = await sent;
    expect(ok.json).toEqual({ ok: true, message: expect.stringMatching(/signal delivered to approve/) });
    expect((await driver.done).code).toBe(0);
    expect(fs.readFileSync(path.join(cwd, 'ledger'), 'utf8')).toBe('by ana\n');
    await waitFor(() => stream.events.some((e) => e.event === 'journal' && e.data.event.type === 'run_ended'), 5000, 'run_ended on the stream');
    const got = stream.events.find((e) => e.event === 'journal' && e.data.event.type === 'signal_received')!;
    expect(got).toBeDefined();
    stream.close();
    const lines = journal(cwd, 'g1').trim().split('\n');
    const at = lines.findIndex((l) => JSON.parse(l).type === 'signal_received') + 1;
    expect(got.id).toBe(String(at));
    expect(got.data.seq).toBe(JSON.parse(lines[at - 1]!).seq);
    // A reconnecting page gets exactly the lines after its Last-Event-ID.
    const again = await openEvents(ui.origin, '/api/runs/g1/live', { 'Last-Event-ID': String(at) });
    await waitFor(() => again.events.length >= lines.length - at, 5000, 'the missed lines');
    again.close();
    expect(again.events.map((e) => e.id)).toEqual(lines.slice(at).map((_, i) => String(at + i + 1)));
  });

  it('the runs list stream shows a new run and its status change', async () => {
    const list = await openEvents(ui.origin, '/api/live');
    await waitFor(() => list.events.some((e) => e.event === 'runs'), 5000, 'the first list');
    const r = await baton(['run', 'flaky.yaml', '--run-id', 'f1', '--quiet'], { cwd });
    expect(r.code).toBe(1);
    await waitFor(() => list.events.some((e) => e.event === 'run' && e.data.id === 'f1' && e.data.status === 'failed'), 5000, 'f1 failed on the list stream');
    list.close();
  });

  it('one multiplexed stream carries the runs list and several runs, resumes each from Last-Event-ID, and refuses a bad run id', async () => {
    for (const id of ['x1', 'x2']) expect((await baton(['run', 'flaky.yaml', '--run-id', id, '--quiet'], { cwd })).code).toBe(1);
    const lines = (id: string): string[] => journal(cwd, id).trim().split('\n');
    const [n1, n2] = [lines('x1').length, lines('x2').length];
    const stream = await openEvents(ui.origin, '/api/stream?runs=x1,x2,gone&list=1&after=x1:0,x2:1');
    const journalOf = (id: string) => stream.events.filter((e) => e.event === 'journal' && e.data.run === id);
    await waitFor(() => journalOf('x1').length === n1 && journalOf('x2').length === n2 - 1 && stream.events.some((e) => e.event === 'runs'), 5000, 'both runs and the list');
    stream.close();
    expect(journalOf('x2').map((e) => e.data.line)).toEqual(lines('x2').slice(1).map((_, i) => i + 2));
    expect(journalOf('x2').at(-1)!.id).toBe(`x1:${n1},x2:${n2}`);
    expect(stream.events.find((e) => e.event === 'missing')!.data).toEqual({ run: 'gone' });
    // A reconnection resumes every run where its Last-Event-ID says (the header wins over ?after=).
    const again = await openEvents(ui.origin, '/api/stream?runs=x1,x2&after=x1:0,x2:0', { 'Last-Event-ID': `x1:${n1 - 1},x2:${n2}` });
    await waitFor(() => again.events.length >= 1, 5000, 'the missed line');
    await new Promise((r) => setTimeout(r, 300));
    again.close();
    expect(again.events.map((e) => [e.data.run, e.data.line, e.id])).toEqual([['x1', n1, `x1:${n1},x2:${n2}`]]);
    for (const bad of ['x1,bad$id', 'x1,..', Array.from({ length: 51 }, (_, i) => `r${i}`).join(',')]) {
      const r = await request(ui.origin, `/api/stream?runs=${encodeURIComponent(bad)}`);
      expect(r.status, bad).toBe(400);
    }
    expect((await request(ui.origin, '/api/stream?runs=x1', { headers: { Host: 'evil.example' } })).status).toBe(403);
  });

  it('retry from the page makes the failed run complete once the cause is fixed; cancel ends a running one and kills its process', async () => {
    fs.writeFileSync(path.join(cwd, 'fixed'), '');
    const retried = await action(ui, '/api/runs/f1/retry');
    expect(retried.status, retried.body).toBe(200);
    expect(retried.json.ok).toBe(true);
    await waitFor(() => readState(cwd, 'f1').status === 'completed', 15_000, 'the retried run to complete');
    expect(events(cwd, 'f1').filter((e) => e.type === 'run_reset')).toHaveLength(1);
    // Retrying a completed run is refused as the CLI refuses it.
    const twice = await action(ui, '/api/runs/f1/retry');
    expect(twice.status).toBe(409);

    const driver = start(['run', 'slow.yaml', '--run-id', 's1'], { cwd });
    await waitFor(() => fs.existsSync(path.join(cwd, 'slow.pid')) && fs.readFileSync(path.join(cwd, 'slow.pid'), 'utf8').endsWith('\n'), 15_000, 'the slow task');
    const pid = Number(fs.readFileSync(path.join(cwd, 'slow.pid'), 'utf8'));
    // A running attempt's new log text is pushed to the run's stream, as escaped HTML with colour classes.
    const live = await openEvents(ui.origin, '/api/runs/s1/live');
    fs.writeFileSync(path.join(cwd, 'go'), '');
    await waitFor(() => live.events.some((e) => e.event === 'log'), 5000, 'the log text on the stream');
    expect(live.events.find((e) => e.event === 'log')!.data).toEqual({ key: 'slow', attempt: 1, stream: 'stdout', html: '<span class="ansi-fg-2">tick</span> &lt;b&gt;\n', from: 0, to: Buffer.byteLength('\x1b[32mtick\x1b[0m <b>\n') });
    live.close();
    const canceled = await action(ui, '/api/runs/s1/cancel');
    expect(canceled.status, canceled.body).toBe(200);
    expect((await driver.done).code).toBe(1);
    expect(readState(cwd, 's1').status).toBe('canceled');
    expect(events(cwd, 's1').find((e) => e.type === 'cancel_requested')?.by).toMatch(/baton cancel/);
    expect(isAlive(pid)).toBe(false);
  });
});

describe('baton ui: --read-only and the access token', () => {
  let cwd: string;
  beforeAll(async () => {
    cwd = writeFiles(tempDir('baton-ui-ro-'), { 'flaky.yaml': 'name: flaky\ntasks:\n  - { id: check, run: test -f fixed }\n' });
    expect((await baton(['run', 'flaky.yaml', '--run-id', 'f1', '--quiet'], { cwd })).code).toBe(1);
  });

  it('--read-only says so and refuses every action, changing nothing', async () => {
    const ui = await startUi(cwd, ['--read-only']);
    try {
      expect((await request(ui.origin, '/api/session')).json.readOnly).toBe(true);
      const before = journal(cwd, 'f1');
      for (const [name, body] of [['retry', {}], ['rerun', { from: 'check' }], ['resume', {}], ['cancel', {}], ['signal', { task: 'check' }]] as const) {
        expect((await action(ui, `/api/runs/f1/${name}`, body)).status, name).toBe(403);
      }
      expect(journal(cwd, 'f1')).toBe(before);
    } finally {
      await ui.stop();
    }
  });

  it('off loopback a token is required: printed in the URL, then a cookie; without it 401', async () => {
    let ui: Ui;
    try {
      ui = await startUi(cwd, ['--host', '127.0.0.2']);
    } catch (err) {
      if (/127\.0\.0\.2/.test(String(err))) return; // no 127.0.0.2 on this machine's loopback
      throw err;
    }
    try {
      const token = new URL(ui.url).searchParams.get('token');
      expect(ui.url).toMatch(/^http:\/\/127\.0\.0\.2:\d+\/\?token=[\w-]{20,}$/);
      expect((await request(ui.origin, '/api/runs')).status).toBe(401);
      expect((await request(ui.origin, '/api/runs?token=wrong')).status).toBe(401);
      const first = await request(ui.origin, `/api/runs?token=${token}`);
      expect(first.status).toBe(200);
      const cookie = String(first.headers['set-cookie']);
      expect(cookie).toMatch(/HttpOnly/);
      expect(cookie).toMatch(/SameSite=Strict/);
      expect((await request(ui.origin, '/api/runs', { headers: { Cookie: cookie.split(';')[0]! } })).status).toBe(200);
      expect((await request(ui.origin, '/api/runs', { headers: { Authorization: `Bearer ${token}` } })).status).toBe(200);
    } finally {
      await ui.stop();
    }
  });
});
