// `baton ui` over HTTP (no browser): the URL line, the read API, escaping, path validation, headers, SIGTERM.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baton, runDirOf, tempDir, writeFiles } from '../helpers/cli.js';
import { request, startUi, type Ui } from '../helpers/ui.js';

describe('baton ui: reading runs', () => {
  let cwd: string;
  let ui: Ui;

  beforeAll(async () => {
    cwd = writeFiles(tempDir('baton-ui-'), {
      'wf.yaml': `
name: shown
tasks:
  - id: a
    run: printf '\\033[31mred\\033[0m\\033]0;title\\007 <img src=x onerror=alert(1)>\\n'
  - id: fe
    for_each: \${{ [1, 2, 3] }}
    do:
      - { id: x, run: 'echo item \${{ item }}' }
`,
      'secret.txt': 'TOP-SECRET-CONTENT\n',
    });
    const r = await baton(['run', 'wf.yaml', '--run-id', 'r1', '--quiet'], { cwd });
    expect(r.code, r.stderr).toBe(0);
    ui = await startUi(cwd);
  });
  afterAll(async () => {
    await ui?.stop();
  });

  it('prints its URL (the real port) as the first line, and lists runs newest first', async () => {
    expect(ui.url).toMatch(/^http:\/\/127\.0\.0\.1:(\d+)\/$/);
    expect(ui.url).not.toMatch(/:7345\//);
    const list = await request(ui.origin, '/api/runs');
    expect(list.status).toBe(200);
    expect(list.json.runs).toEqual([expect.objectContaining({ id: 'r1', workflow: 'shown', status: 'completed', done: 5, total: 5, error: null, durationMs: expect.any(Number) })]);
    expect((await request(ui.origin, '/api/runs?status=failed')).json.runs).toEqual([]);
    expect((await request(ui.origin, '/api/runs?q=r1&workflow=shown')).json.runs).toHaveLength(1);
    const session = await request(ui.origin, '/api/session');
    expect(session.json).toEqual({ csrf: expect.stringMatching(/^[\w-]{20,}$/), readOnly: false, version: expect.any(String) });
    expect(session.headers['content-security-policy']).toBe("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'");
    expect(session.headers['x-content-type-options']).toBe('nosniff');
    expect(session.headers['referrer-policy']).toBe('no-referrer');
  });

  it('a run: exactly the `status --json` document, a laid-out diagram with counts per status, the timeline', async () => {
    const detail = await request(ui.origin, '/api/runs/r1');
    expect(detail.status).toBe(200);
    const cli = await baton(['status', 'r1', '--json'], { cwd });
    expect(detail.json.status).toEqual(JSON.parse(cli.stdout));
    const nodes = detail.json.diagram.nodes as any[];
    expect(nodes.find((n) => n.key === 'a')).toMatchObject({ kind: 'task', status: 'completed', counts: { completed: 1 } });
    // The for_each body is one node standing for every item's instance, inside the body cluster.
    const x = nodes.find((n) => n.key === 'fe.x');
    expect(x).toMatchObject({ status: 'completed', counts: { completed: 3 }, parent: expect.any(String) });
    expect(nodes.find((n) => n.id === x.parent)).toMatchObject({ kind: 'cluster' });
    for (const n of nodes) expect(n.width).toBeGreaterThan(0);
    expect(detail.json.diagram.edges.length).toBeGreaterThan(0);
    expect(detail.json.timeline.map((t: any) => t.key)).toEqual(expect.arrayContaining(['a', 'fe[0].x', 'fe[2].x']));
  });

  it('a task and its log: ANSI colours as spans, other terminal sequences dropped, everything else escaped', async () => {
    const task = await request(ui.origin, '/api/runs/r1/tasks/a');
    expect(task.json).toMatchObject({ key: 'a', instance: { status: 'completed', exit_code: 0 }, attempts: [{ attempt: 1, status: 'completed', exitCode: 0, signal: null }] });
    const log = await request(ui.origin, '/api/runs/r1/tasks/a/log?attempt=1');
    expect(log.status).toBe(200);
    expect(log.json.html).toContain('<span class="ansi-fg-1">red</span>');
    expect(log.json.html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(log.json.html).not.toMatch(/<img|title|\x1b|\x07/);
    expect(log.json).toMatchObject({ truncated: false, bytes: expect.any(Number) });
    expect((await request(ui.origin, `/api/runs/r1/tasks/${encodeURIComponent('fe[1].x')}/log`)).json.html).toBe('item 2\n');
    expect((await request(ui.origin, '/api/runs/r1/tasks/a/log?attempt=7')).status).toBe(404);
    const bp = await request(ui.origin, '/api/runs/r1/blueprint');
    expect(bp.json).toMatchObject({ path: path.join(cwd, 'wf.yaml'), source: expect.stringContaining('name: shown'), diagnostics: [] });
  });

  it('refuses traversal, encoded separators, NUL, links out of the state folder, and a foreign Host', async () => {
    const bad = [
      '/api/runs/..%2f..%2fetc/tasks/a',
      '/api/runs/%2e%2e/blueprint',
      '/api/runs/../../package.json',
      '/assets/../../package.json',
      '/assets/%2e%2e/%2e%2e/package.json',
      '/api/runs/r1/tasks/a%00/log',
      '/api/runs/r1/tasks/..%5c..%5ca/log',
      '/api/runs/r1/tasks/a.b..c',
    ];
    for (const url of bad) {
      const r = await request(ui.origin, url);
      expect([400, 404], url).toContain(r.status);
      expect(r.body).not.toContain('"version"');
    }
    expect((await request(ui.origin, '/api/runs/nope')).status).toBe(404);
    // A run folder that is a link, and a log file that is a link, both pointing out of .baton/.
    const outside = writeFiles(tempDir('baton-ui-out-'), { 'state.json': fs.readFileSync(path.join(runDirOf(cwd, 'r1'), 'state.json'), 'utf8') });
    fs.symlinkSync(outside, path.join(cwd, '.baton', 'runs', 'linked'));
    expect((await request(ui.origin, '/api/runs/linked')).status).toBe(404);
    const log = path.join(runDirOf(cwd, 'r1'), JSON.parse(fs.readFileSync(path.join(runDirOf(cwd, 'r1'), 'state.json'), 'utf8')).tasks['fe[0].x'].history[0].stdout_log);
    fs.rmSync(log);
    fs.symlinkSync(path.join(cwd, 'secret.txt'), log);
    const viaLink = await request(ui.origin, `/api/runs/r1/tasks/${encodeURIComponent('fe[0].x')}/log`);
    expect(viaLink.body).not.toContain('TOP-SECRET');
    expect((await request(ui.origin, '/api/runs', { headers: { Host: `evil.example:${new URL(ui.origin).port}` } })).status).toBe(403);
    expect((await request(ui.origin, '/api/runs', { headers: { Host: `localhost:${new URL(ui.origin).port}` } })).status).toBe(200);
  });

  it('serves the view libraries from node_modules, hooks pointed at /vendor/preact.mjs', async () => {
    const hooks = await request(ui.origin, '/vendor/preact-hooks.mjs');
    expect(hooks.status).toBe(200);
    expect(hooks.headers['content-type']).toMatch(/javascript/);
    expect(hooks.body).toContain('"/vendor/preact.mjs"');
    expect(hooks.body).not.toMatch(/from\s*["']preact["']/);
    for (const file of ['preact.mjs', 'htm.mjs', 'ansi.css']) expect((await request(ui.origin, `/vendor/${file}`)).status).toBe(200);
    expect((await request(ui.origin, '/vendor/other.mjs')).status).toBe(404);
  });

  it('the page and its scripts carry an ETag: asked again unchanged, they are a 304 and the browser keeps its copy', async () => {
    for (const url of ['/', '/runs/r1', '/assets/app.js', '/assets/early.js', '/vendor/preact.mjs']) {
      const first = await request(ui.origin, url);
      expect(first.status, url).toBe(200);
      expect(first.headers['cache-control'], url).toBe('no-cache');
      expect(first.headers.etag, url).toMatch(/^"[\w-]{22}"$/);
      const again = await request(ui.origin, url, { headers: { 'If-None-Match': first.headers.etag as string } });
      expect([again.status, again.body], url).toEqual([304, '']);
      expect((await request(ui.origin, url, { headers: { 'If-None-Match': '"other"' } })).status, url).toBe(200);
    }
  });

  it('bad flags and a port in use: exit 2 with one clear message, no stack trace', async () => {
    const port = new URL(ui.origin).port;
    for (const args of [['--port', port], ['--port', 'abc'], ['--token', 'short']]) {
      const r = await baton(['ui', ...args], { cwd });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(args[1] === port ? /port \d+ on 127\.0\.0\.1 is in use/ : /port number|--token must be/);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(r.stdout).toBe('');
    }
  });

  it('SIGTERM stops it with exit code 0', async () => {
    const other = await startUi(cwd);
    const r = await other.stop();
    expect(r.code, r.stderr).toBe(0);
  });
});
