// The web UI's actions in real headless chromium: retry, signal and cancel from the run page do what the CLI does.
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage } from '../helpers/browser.js';
import { baton, isAlive, readState, start, tempDir, waitFor, writeFiles } from '../helpers/cli.js';
import { events, lines } from '../helpers/journal.js';
import { startUi } from '../helpers/ui.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** Clicks an action button, confirms it in the dialog and returns the outcome text shown. */
async function act(page: Page, button: string, fill?: (page: Page) => Promise<void>): Promise<string> {
  await page.locator(button).click();
  await page.locator('#confirm-dialog').waitFor();
  if (fill) await fill(page);
  await page.locator('#confirm-action').click();
  await page.locator('#action-outcome').waitFor({ timeout: 20_000 });
  return (await page.locator('#action-outcome').textContent()) ?? '';
}

describe('actions from the web UI', { timeout: 90_000 }, () => {
  it('retry makes a failed run complete once the cause is fixed', async () => {
    const cwd = writeFiles(tempDir('baton-ui-'), { 'wf.yaml': 'name: flaky\ntasks:\n  - { id: check, run: test -f fixed }\n  - { id: next, run: echo next >> ledger }\n' });
    expect((await baton(['run', 'wf.yaml', '--run-id', 'r1'], { cwd })).code).toBe(1);
    const ui = await startUi(cwd);
    try {
      const { page, dialogs } = await openPage(browser, `${ui.origin}/runs/r1`);
      fs.writeFileSync(path.join(cwd, 'fixed'), '');
      const outcome = await act(page, '#action-retry');
      expect(outcome).not.toMatch(/failed/);
      await waitFor(() => readState(cwd, 'r1').status === 'completed', 15_000, 'the retried run to complete');
      expect(lines(path.join(cwd, 'ledger'))).toEqual(['next']);
      await expect.poll(() => page.locator('.run-header .badge').first().textContent(), { timeout: 20_000 }).toBe('completed');
      expect(dialogs).toEqual([]);
    } finally {
      await ui.stop();
    }
  });

  it('signal with JSON data releases a waiting run', async () => {
    const cwd = writeFiles(tempDir('baton-ui-'), {
      'wf.yaml': 'name: gate\ntasks:\n  - id: approve\n    wait: { signal: approve }\n  - { id: deploy, run: \'echo "by ${{ tasks.approve.output.by }}" >> ledger\' }\n',
    });
    const driver = start(['run', 'wf.yaml', '--run-id', 's1'], { cwd });
    await waitFor(() => events(cwd, 's1').some((e) => e.type === 'run_status' && e.status === 'waiting'), 15_000, 'the run to wait');
    const ui = await startUi(cwd);
    try {
      const { page } = await openPage(browser, `${ui.origin}/runs/s1`);
      await act(page, '.signal-btn[data-key="approve"]', (p) => p.locator('#confirm-dialog textarea[name="data"]').fill('{"by": "web"}'));
      expect((await driver.done).code).toBe(0);
      expect(lines(path.join(cwd, 'ledger'))).toEqual(['by web']);
      await expect.poll(() => page.locator('.task-row[data-key="deploy"]').getAttribute('data-status'), { timeout: 20_000 }).toBe('completed');
    } finally {
      await ui.stop();
    }
  });

  it('cancel ends a running run and its processes are gone', async () => {
    const cwd = writeFiles(tempDir('baton-ui-'), { 'wf.yaml': "name: cx\ntasks:\n  - { id: slow, run: 'echo $$ > slow.pid; exec sleep 30', kill_grace: 200ms }\n" });
    const driver = start(['run', 'wf.yaml', '--run-id', 'c1'], { cwd });
    await waitFor(() => fs.existsSync(path.join(cwd, 'slow.pid')) && fs.readFileSync(path.join(cwd, 'slow.pid'), 'utf8').endsWith('\n'), 15_000, 'the task to start');
    const pid = Number(fs.readFileSync(path.join(cwd, 'slow.pid'), 'utf8'));
    const ui = await startUi(cwd);
    try {
      const { page } = await openPage(browser, `${ui.origin}/runs/c1`);
      await act(page, '#action-cancel');
      expect((await driver.done).code).toBe(1);
      expect(isAlive(pid)).toBe(false);
      expect(readState(cwd, 'c1').status).toBe('canceled');
      await expect.poll(() => page.locator('.run-header .badge').first().textContent(), { timeout: 20_000 }).toBe('canceled');
    } finally {
      await ui.stop();
    }
  });
});
