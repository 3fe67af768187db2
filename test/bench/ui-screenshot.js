// Regenerates docs/ui-run.png, the README's picture of the web UI: workflows/fanout.yaml run once, its run page shot
// in headless chromium. `npm run build && node test/bench/ui-screenshot.js`
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startUi } from './ui.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'baton-shot-'));
const env = { ...process.env, CI: 'true', NO_COLOR: '1' };
delete env.BATON_STATE_DIR;

const run = spawnSync(process.execPath, [join(ROOT, 'bin/baton.js'), 'run', join(ROOT, 'workflows/fanout.yaml'), '--quiet', '--run-id', 'fanout-example', '-i', 'files=8'], { cwd: work, env, encoding: 'utf8' });
if (run.status !== 0) throw new Error(`the example run failed: ${run.stderr}`);
const ui = await startUi(join(work, '.baton'), env);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  await page.goto(`${ui.origin}/runs/fanout-example`);
  await page.locator('#diagram').waitFor();
  await page.locator('.task-row').first().waitFor();
  const out = join(ROOT, 'docs', 'ui-run.png');
  await page.screenshot({ path: out, fullPage: false });
  process.stdout.write(`${out}\n`);
} finally {
  await browser.close();
  await ui.stop();
  rmSync(work, { recursive: true, force: true });
}
