// Debian's headless chromium driven through playwright-core: one browser per test file, pages that record trouble.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

function chromiumPath(): string {
  if (fs.existsSync('/usr/bin/chromium')) return '/usr/bin/chromium';
  try {
    return execFileSync('which', ['chromium'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error('chromium is not installed (apt-get install -y chromium; .ci/run does it)');
  }
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), args: ['--no-sandbox'], headless: true });
}

export interface WatchedPage {
  page: Page;
  /** Dialogs (alert, confirm, prompt) the page opened: the UI itself never opens one. */
  dialogs: string[];
  /** Uncaught errors and console errors (not a resource that failed to load: a live stream cut by a reload is one). */
  errors: string[];
}

export async function openPage(browser: Browser, url: string): Promise<WatchedPage> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const watched: WatchedPage = { page, dialogs: [], errors: [] };
  page.on('dialog', (d) => {
    watched.dialogs.push(`${d.type()}: ${d.message()}`);
    void d.dismiss();
  });
  page.on('pageerror', (e) => watched.errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/^Failed to load resource/.test(m.text())) watched.errors.push(m.text());
  });
  await page.goto(url);
  return watched;
}
