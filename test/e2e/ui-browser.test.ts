// The web UI in real headless chromium: the runs list, a task going live from running to completed, logs in colour,
// task text shown as text (no XSS), many tabs on many live runs over one stream, and --read-only without actions.
import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage } from '../helpers/browser.js';
import { baton, start, tempDir, waitFor, writeFiles } from '../helpers/cli.js';
import { events } from '../helpers/journal.js';
import { startUi, type Ui } from '../helpers/ui.js';

const XSS = '<img src=x onerror=alert(1)>';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe('baton ui in a browser', { timeout: 90_000 }, () => {
  it('a run started by the CLI appears in the list and its task turns from running to completed without reload', async () => {
    const cwd = writeFiles(tempDir('baton-ui-'), {
      'wf.yaml': 'name: gated\ntasks:\n  - { id: hold, run: "while [ ! -f gate ]; do sleep 0.05; done; echo released" }\n  - { id: after, run: echo after }\n',
    });
    const ui = await startUi(cwd);
    try {
      const { page, errors } = await openPage(browser, `${ui.origin}/`);
      await page.locator('#no-runs').waitFor();
      const driver = start(['run', 'wf.yaml', '--run-id', 'live1'], { cwd });
      await waitFor(() => events(cwd, 'live1').some((e) => e.type === 'attempt_spawned'), 15_000, 'the task to start');
      const row = page.locator('.run-row[data-run="live1"]');
      await row.waitFor({ timeout: 20_000 });
      await expect.poll(() => row.locator('.badge').textContent(), { timeout: 20_000 }).toBe('running');
      await row.locator('a').click();
      expect(new URL(page.url()).pathname).toBe('/runs/live1');
      const hold = page.locator('.task-row[data-key="hold"]');
      await expect.poll(() => hold.getAttribute('data-status'), { timeout: 20_000 }).toBe('running');
      await expect.poll(() => page.locator('#diagram [data-key="hold"]').getAttribute('data-status'), { timeout: 20_000 }).toBe('running');
      let loads = 0;
      page.on('load', () => loads++);
      fs.writeFileSync(path.join(cwd, 'gate'), '');
      await expect.poll(() => hold.getAttribute('data-status'), { timeout: 20_000 }).toBe('completed');
      expect((await driver.done).code).toBe(0);
      await expect.poll(() => page.locator('.run-header .badge').first().textContent(), { timeout: 20_000 }).toBe('completed');
      expect(loads).toBe(0);
      await page.screenshot({ path: path.join(cwd, 'run-page.png'), fullPage: true });
      // A deep link survives a reload.
      await page.reload();
      await page.locator('.task-row[data-key="after"]').waitFor();
      expect(errors).toEqual([]);
    } finally {
      fs.writeFileSync(path.join(cwd, 'gate'), ''); // a failed test leaves no task looping for it
      await ui.stop();
    }
  });

  it("a failed task's log is on its task page in colour, and task text with markup is shown as text", async () => {
    const cwd = writeFiles(tempDir('baton-ui-'), {
      'wf.yaml': `name: hostile
tasks:
  - id: out
    name: '${XSS}'
    run: |
      printf '{"v": "%s"}' '${XSS}' > "$BATON_OUTPUT"
  - id: bad
    run: |
      printf '\\033[31mred failure\\033[0m\\n'
      echo '${XSS}'
      exit 3
`,
    });
    const r = await baton(['run', 'wf.yaml', '--run-id', 'x1'], { cwd });
    expect(r.code, r.stderr).toBe(1);
    const ui = await startUi(cwd);
    try {
      const watched = await openPage(browser, `${ui.origin}/runs/x1/tasks/bad`);
      const { page } = watched;
      const log = page.locator('#log');
      await expect.poll(() => log.textContent(), { timeout: 20_000 }).toContain('red failure');
      expect(await log.textContent()).toContain(XSS);
      const red = await log.locator('span', { hasText: 'red failure' }).evaluate((el) => getComputedStyle(el).color);
      const [rr, gg, bb] = red.match(/\d+/g)!.map(Number);
      expect(rr).toBeGreaterThan(100);
      expect(rr).toBeGreaterThan(gg! + 50);
      expect(rr).toBeGreaterThan(bb! + 50);
      await expect.poll(() => page.locator('#attempts td').nth(2).textContent()).toBe('3');
      await page.screenshot({ path: path.join(cwd, 'task-page.png'), fullPage: true });

      await page.goto(`${ui.origin}/runs/x1/tasks/out`);
      await expect.poll(() => page.locator('#task-output').textContent(), { timeout: 20_000 }).toContain(XSS);
      await page.goto(`${ui.origin}/runs/x1`);
      await expect.poll(() => page.locator('#diagram').textContent(), { timeout: 20_000 }).toContain(XSS);
      await page.locator('.task-row[data-key="bad"]').waitFor();
      expect(await page.locator('img').count()).toBe(0);
      expect(watched.dialogs).toEqual([]);
      expect(watched.errors).toEqual([]);
    } finally {
      await ui.stop();
    }
  });

  it('eight tabs of one browser all follow their run live (a browser opens at most 6 connections per host)', async () => {
    const cwd = writeFiles(tempDir('baton-ui-'), { 'wf.yaml': 'name: tabs\ntasks:\n  - { id: hold, run: "while [ ! -f gate ]; do sleep 0.05; done" }\n' });
    const driver = start(['run', 'wf.yaml', '--run-id', 't1'], { cwd });
    await waitFor(() => events(cwd, 't1').some((e) => e.type === 'attempt_spawned'), 30_000, 'the task to start');
    const ui = await startUi(cwd);
    const context = await browser.newContext();
    try {
      const pages = await Promise.all(Array.from({ length: 8 }, async () => {
        const page = await context.newPage();
        await page.goto(`${ui.origin}/runs/t1`, { waitUntil: 'domcontentloaded' });
        return page;
      }));
      const last = pages[7]!.locator('.task-row[data-key="hold"]');
      await expect.poll(() => last.getAttribute('data-status'), { timeout: 20_000 }).toBe('running');
      fs.writeFileSync(path.join(cwd, 'gate'), '');
      expect((await driver.done).code).toBe(0);
      await expect.poll(() => last.getAttribute('data-status'), { timeout: 20_000 }).toBe('completed');
      await expect.poll(() => pages[0]!.locator('.task-row[data-key="hold"]').getAttribute('data-status'), { timeout: 20_000 }).toBe('completed');
    } finally {
      fs.writeFileSync(path.join(cwd, 'gate'), ''); // a failed test leaves no task looping for it
      await context.close();
      await ui.stop();
    }
  }, 150_000);

  it('ten tabs of one browser each follow a different live run over one multiplexed stream, all see their run complete', async () => {
    const cwd = writeFiles(tempDir('baton-ui-'), { 'wf.yaml': 'name: many\ntasks:\n  - { id: hold, run: "while [ ! -f gate ]; do sleep 0.1; done" }\n' });
    const ids = Array.from({ length: 10 }, (_, i) => `m${i}`);
    const drivers = ids.map((id) => start(['run', 'wf.yaml', '--run-id', id], { cwd }));
    for (const id of ids) await waitFor(() => events(cwd, id).some((e) => e.type === 'attempt_spawned'), 90_000, `${id}'s task to start`);
    const ui = await startUi(cwd);
    const context = await browser.newContext();
    try {
      // One tab after another, each while the tabs before it hold their runs live: a 7th stream would never load.
      const pages = [];
      for (const id of ids) {
        const page = await context.newPage();
        await page.goto(`${ui.origin}/runs/${id}`, { waitUntil: 'domcontentloaded', timeout: 60_000 });
        await expect.poll(() => page.locator('.task-row[data-key="hold"]').getAttribute('data-status'), { timeout: 60_000 }).toBe('running');
        pages.push(page);
      }
      const hold = (i: number) => pages[i]!.locator('.task-row[data-key="hold"]');
      fs.writeFileSync(path.join(cwd, 'gate'), '');
      for (const d of drivers) expect((await d.done).code).toBe(0);
      for (let i = 0; i < ids.length; i++) {
        await expect.poll(() => hold(i).getAttribute('data-status'), { timeout: 20_000 }).toBe('completed');
        await expect.poll(() => pages[i]!.locator('.run-header .badge').first().textContent(), { timeout: 20_000 }).toBe('completed');
      }
    } finally {
      fs.writeFileSync(path.join(cwd, 'gate'), ''); // a failed test leaves no task looping for it
      await context.close();
      await ui.stop();
      for (const d of drivers) d.child.kill('SIGKILL');
    }
  }, 300_000);

  it('--read-only hides the actions', async () => {
    const cwd = writeFiles(tempDir('baton-ui-'), { 'wf.yaml': 'name: ro\ntasks:\n  - { id: bad, run: exit 1 }\n' });
    expect((await baton(['run', 'wf.yaml', '--run-id', 'ro1'], { cwd })).code).toBe(1);
    const servers: Ui[] = await Promise.all([startUi(cwd), startUi(cwd, ['--read-only'])]);
    try {
      const writable = (await openPage(browser, `${servers[0]!.origin}/runs/ro1`)).page;
      await writable.locator('#action-retry').waitFor({ timeout: 20_000 });
      const { page } = await openPage(browser, `${servers[1]!.origin}/runs/ro1`);
      await page.locator('#read-only').waitFor({ timeout: 20_000 });
      await page.locator('.task-row[data-key="bad"]').waitFor();
      expect(await page.locator('#actions, #action-retry, #action-rerun').count()).toBe(0);
      await page.goto(`${servers[1]!.origin}/runs/ro1/tasks/bad`);
      await page.locator('#attempts').waitFor();
      expect(await page.locator('#action-rerun-task').count()).toBe(0);
    } finally {
      await Promise.all(servers.map((s) => s.stop()));
    }
  });
});
