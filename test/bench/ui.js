// `npm run bench` rows for the web UI, measured in headless chromium: the run page of a 10,000-item for_each, the
// runs list of 1,000 runs, and the server's memory with 10 pages following live runs.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { median } from './measure.js';
import { fmtBytes, fmtMs } from './table.js';

const BIN = fileURLToPath(new URL('../../bin/baton.js', import.meta.url));
const CHROMIUM = ['/usr/bin/chromium', '/usr/lib/chromium/chromium'].find((p) => existsSync(p));
const LIST_RUNS = 1000;
const LIVE_PAGES = 10;
const LIVE_CLICKS = 10;
const LIVE_WARMUP_MS = 15_000;

/** `baton ui --port 0` over `stateDir`; resolves with its origin, pid and a stop function. */
export function startUi(stateDir, env) {
  const child = spawn(process.execPath, [BIN, 'ui', '--port', '0', '--state-dir', stateDir], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  const closed = new Promise((resolve) => child.on('close', resolve));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await closed;
  };
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (d) => {
      out += d;
      if (out.includes('\n')) resolve({ origin: new URL(out.split('\n')[0].trim()).origin, pid: child.pid, stop });
    });
    child.on('close', (code) => reject(new Error(`baton ui exited ${code}: ${err}`)));
  });
}

/** Peak resident memory of a process so far (VmHWM), in KiB. */
function peakRssKb(pid) {
  const m = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : 0;
}

/** Copies one finished run `count` times under new ids (the list reads each run's state.json). */
function cloneRuns(stateDir, sourceId, count) {
  const runs = join(stateDir, 'runs');
  const state = JSON.parse(readFileSync(join(runs, sourceId, 'state.json'), 'utf8'));
  for (let i = 0; i < count; i++) {
    const started = new Date(Date.parse(state.started_at) - i * 60_000);
    const id = `${started.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}-${state.workflow}-b${String(i).padStart(3, '0')}`;
    const dir = join(runs, id);
    cpSync(join(runs, sourceId), dir, { recursive: true });
    const copy = { ...state, id, started_at: started.toISOString(), ended_at: new Date(started.getTime() + 1000).toISOString() };
    writeFileSync(join(dir, 'state.json'), JSON.stringify(copy));
    const journal = readFileSync(join(dir, 'events.jsonl'), 'utf8').split(sourceId).join(id);
    writeFileSync(join(dir, 'events.jsonl'), journal);
  }
}

async function timed(fn) {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

/**
 * `timedVisit(origin, page)` (resolving to the milliseconds it timed) on a server started anew each round (its first reading of the runs is what a person opening
 * the UI gets), after one untimed visit to `/` as a person would make first; the median of `rounds`.
 */
async function coldServerMedian(browser, stateDir, env, rounds, timedVisit) {
  const times = [];
  for (let round = 0; round < rounds; round++) {
    const ui = await startUi(stateDir, env);
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      await page.goto(`${ui.origin}/`);
      await page.locator('#runs .run-row').first().waitFor({ timeout: 60_000 });
      times.push(await timedVisit(ui.origin, page));
      await page.close();
    } finally {
      await ui.stop();
    }
  }
  return { ms: median(times), times };
}

/**
 * The run page of the same 10,000-item for_each while it runs: how fast a fold click answers (the median of
 * LIVE_CLICKS) and the longest main-thread task meanwhile, as the page takes in the journal's events.
 */
async function liveRunPage(browser, work, env, log, blueprint) {
  log(`web UI: run page of a live 10,000-item for_each (${LIVE_CLICKS} clicks)`);
  const dir = join(work, 'ui-live-big');
  mkdirSync(dir, { recursive: true });
  cpSync(blueprint, join(dir, 'wf.yaml'));
  const driver = spawn(process.execPath, [BIN, 'run', 'wf.yaml', '--quiet', '--run-id', 'live-big'], { cwd: dir, env, stdio: 'ignore' });
  const ended = new Promise((resolve) => driver.on('close', resolve));
  let ui;
  try {
    await new Promise((r) => setTimeout(r, LIVE_WARMUP_MS)); // some thousands of instances in, and going on
    ui = await startUi(join(dir, '.baton'), env);
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.addInitScript(() => {
      window.longTasks = [];
      new PerformanceObserver((list) => window.longTasks.push(...list.getEntries().map((e) => e.duration))).observe({ type: 'longtask', buffered: true });
    });
    await page.goto(`${ui.origin}/runs/live-big`);
    const fold = page.locator('.task-row .fold-btn').first();
    await fold.waitFor({ timeout: 60_000 });
    // Loading thousands of instances takes tasks over 50 ms: none seen means the observer sees nothing here.
    await page.waitForFunction(() => window.longTasks.length > 0, null, { timeout: 10_000 }).catch(() => {
      throw new Error('no long task seen while the page loaded: this browser does not report them, the row would mean nothing');
    });
    await page.evaluate(() => (window.longTasks = []));
    const clicks = [];
    for (let i = 0; i < LIVE_CLICKS; i++) {
      const before = await fold.getAttribute('title');
      clicks.push(await timed(async () => {
        await fold.click();
        await page.waitForFunction((title) => document.querySelector('.task-row .fold-btn')?.getAttribute('title') !== title, before, { timeout: 30_000 });
      }));
      await new Promise((r) => setTimeout(r, 500));
    }
    const longest = Math.max(0, ...(await page.evaluate(() => window.longTasks)));
    if (driver.exitCode !== null) throw new Error('the live run ended before the clicks did: the row would not be about a live run');
    const ms = median(clicks);
    log(`  a fold click answers in ${fmtMs(ms)} (clicks: ${clicks.map(fmtMs).join(', ')}); longest main-thread task ${fmtMs(longest)}`);
    await page.close();
    return { name: 'web UI: run page of a live 10,000-item for_each, a click answers (longest task)', value: `${fmtMs(ms)} (${fmtMs(longest)})`, goal: '< 500 ms (< 200 ms)', met: ms < 500 && longest < 200 };
  } finally {
    await ui?.stop();
    driver.kill('SIGTERM');
    await ended;
  }
}

/** The UI rows. `big` is the folder and id of the finished 10,000-item run; `runBaton(args, cwd)` runs the CLI. */
export async function uiBench({ big, work, env, log, runBaton, rounds }) {
  if (!CHROMIUM) return [{ name: 'web UI (chromium)', value: 'n/a (chromium not installed)', goal: '', met: null }];
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  const rows = [];
  let ui;
  try {
    log(`web UI: run page of the 10,000-item for_each (${rounds} rounds)`);
    const runPage = await coldServerMedian(browser, join(big.dir, '.baton'), env, rounds, (origin, page) => timed(async () => {
      await page.goto(`${origin}/runs/${big.id}`);
      await page.locator('#diagram').waitFor({ timeout: 60_000 });
      await page.locator('.task-row').first().waitFor({ timeout: 60_000 });
      // Interactive: unfolding the 10,000 instances answers.
      await page.locator('.task-row .fold-btn').first().click();
      await page.locator('.task-row[data-key*="[0]"]').first().waitFor({ timeout: 60_000 });
    }));
    rows.push({ name: 'web UI: run page of a 10,000-item for_each, interactive', batonMs: runPage.ms, goal: '< 2 s', met: runPage.ms < 2000 });
    log(`  run page of the 10,000-item for_each: ${fmtMs(runPage.ms)} (rounds: ${runPage.times.map(fmtMs).join(', ')})`);

    log(`web UI: runs list of ${LIST_RUNS} runs (${rounds} rounds)`);
    const listDir = join(work, 'ui-list');
    mkdirSync(listDir, { recursive: true });
    writeFileSync(join(listDir, 'wf.yaml'), 'name: listed\ntasks:\n  - { id: a, run: "true" }\n');
    await runBaton(['run', 'wf.yaml', '--quiet', '--run-id', 'seed'], listDir);
    cloneRuns(join(listDir, '.baton'), 'seed', LIST_RUNS - 1);
    const list = await coldServerMedian(browser, join(listDir, '.baton'), env, rounds, async (origin, page) => {
      // Away and back: the list is loaded anew, as on opening the UI.
      await page.goto(`${origin}/runs/seed/blueprint`);
      await page.locator('.blueprint-page').waitFor({ timeout: 60_000 });
      const ms = await timed(async () => {
        await page.goto(`${origin}/`);
        await page.locator('#runs .run-row').first().waitFor({ timeout: 60_000 });
      });
      const shown = await page.locator('#runs .muted.small').textContent();
      if (!shown.startsWith(String(LIST_RUNS))) throw new Error(`the list shows "${shown}", not ${LIST_RUNS} runs`);
      return ms;
    });
    rows.push({ name: `web UI: runs list of ${LIST_RUNS} runs, loaded`, batonMs: list.ms, goal: '< 1 s', met: list.ms < 1000 });
    log(`  runs list of ${LIST_RUNS} runs: ${fmtMs(list.ms)} (rounds: ${list.times.map(fmtMs).join(', ')})`);

    rows.push(await liveRunPage(browser, work, env, log, big.file));

    log(`web UI: server memory with ${LIVE_PAGES} pages following live runs`);
    const liveDir = join(work, 'ui-live');
    mkdirSync(liveDir, { recursive: true });
    writeFileSync(join(liveDir, 'wf.yaml'), 'name: chatty\ntasks:\n  - { id: talk, run: "i=0; while [ ! -f gate ]; do i=$((i+1)); echo \\"line $i\\"; sleep 0.1; done" }\n');
    const drivers = [];
    for (let i = 0; i < LIVE_PAGES; i++) {
      const child = spawn(process.execPath, [BIN, 'run', 'wf.yaml', '--quiet', '--run-id', `live${i}`], { cwd: liveDir, env, stdio: 'ignore' });
      drivers.push(new Promise((resolve) => child.on('close', resolve)));
    }
    ui = await startUi(join(liveDir, '.baton'), env);
    try {
      // A context per page, as separate browsers: one profile allows 6 connections per host, and each page keeps one open.
      const pages = [];
      for (let i = 0; i < LIVE_PAGES; i++) {
        const context = await browser.newContext();
        const page = await context.newPage();
        await page.goto(`${ui.origin}/runs/live${i}/tasks/talk`, { waitUntil: 'domcontentloaded', timeout: 120_000 });
        pages.push(context);
      }
      await new Promise((r) => setTimeout(r, 8000));
      const kb = peakRssKb(ui.pid);
      rows.push({ name: `web UI: server with ${LIVE_PAGES} pages following live runs (peak memory)`, value: fmtBytes(kb * 1024), rssKb: kb, goal: '< 150 MB', met: kb < 150 * 1024 });
      writeFileSync(join(liveDir, 'gate'), '');
      await Promise.all(drivers);
      for (const context of pages) await context.close();
    } finally {
      writeFileSync(join(liveDir, 'gate'), '');
      await ui.stop();
    }
  } finally {
    await browser.close();
  }
  log(`  server with ${LIVE_PAGES} live pages: ${rows[rows.length - 1]?.value}`);
  return rows;
}

