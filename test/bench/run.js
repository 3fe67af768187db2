// `npm run bench`: runs baton and its floors (bash loop, xargs -P, bare node; Dagu where installable) interleaved in
// the same run, and prints medians, ratios, peak memory and which goal each meets, as text and as markdown.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findDagu } from './dagu.js';
import { executorBench } from './executor.js';
import { workersBench } from './workers.js';
import { folderBytes, measure, median, memoryMethod } from './measure.js';
import { fmtBytes, fmtMs, markdownTable, textTable } from './table.js';
import { uiBench } from './ui.js';
import { BIG_FAN_ITEMS, CHAIN_LENGTH, FAN_CONCURRENCY, FAN_ITEMS, TEST_CASES, TESTED_TASKS, writeWorkloads } from './workloads.js';

const BIN = fileURLToPath(new URL('../../bin/baton.js', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const QUICK = process.env.BENCH_QUICK === '1';
const rounds = (n) => (QUICK ? 1 : n);
const ROUNDS = { chain: rounds(5), dagu: rounds(3), fan: rounds(3), startup: rounds(10), query: rounds(3), executor: Number(process.env.BENCH_ROUNDS ?? rounds(5)), tests: rounds(3), workers: rounds(3), ui: rounds(5) };
const BIG_RUN_ID = 'bench-bigfan';

const work = mkdtempSync(join(tmpdir(), 'baton-bench-'));
const files = writeWorkloads(work);
// Non-TTY, uncoloured, no inherited state dir: what CI sees. `--quiet` everywhere: the floors print nothing either.
const env = { ...process.env, CI: 'true', NO_COLOR: '1' };
delete env.BATON_STATE_DIR;
delete env.FORCE_COLOR;

const log = (text) => process.stderr.write(`${text}\n`);
const baton = (...args) => [process.execPath, BIN, ...args];

/** Runs a baton command that must succeed, in `cwd` (its state goes to cwd/.baton). */
async function batonOk(args, cwd) {
  const result = await measure(baton(...args), { cwd, env });
  if (result.code !== 0) throw new Error(`baton ${args.join(' ')} exited ${result.code}:\n${result.stderr}${result.stdout}`);
  return result;
}

/** Runs each contender once per round, in turn, so drift on a shared machine hits them all alike. */
async function interleaved(label, count, contenders, roundsOf = {}) {
  const times = Object.fromEntries(Object.keys(contenders).map((name) => [name, []]));
  const rss = Object.fromEntries(Object.keys(contenders).map((name) => [name, 0]));
  for (let round = 1; round <= count; round++) {
    for (const [name, run] of Object.entries(contenders)) {
      if (round > (roundsOf[name] ?? count)) continue;
      const result = await run();
      times[name].push(result.ms);
      rss[name] = Math.max(rss[name], result.rssKb);
    }
    log(`  ${label}: round ${round}/${count}: ${Object.entries(times).map(([n, t]) => `${n} ${fmtMs(t[t.length - 1])}`).join(', ')}`);
  }
  return { median: Object.fromEntries(Object.entries(times).map(([n, t]) => [n, median(t)])), rss };
}

/** A new folder per baton run, so every run starts with an empty .baton. */
const freshDir = (name, parent = work) => mkdtempSync(join(parent, `${name}-`));

/** Files (not folders) under `dir`, counted. */
const countFiles = (dir) => readdirSync(dir, { recursive: true, withFileTypes: true }).filter((entry) => !entry.isDirectory()).length;

/** Files in the one run folder a baton run left in `cwd`, and how many of them are attempt logs/outputs (logs/). */
function runFiles(cwd) {
  const runs = join(cwd, '.baton', 'runs');
  const [id] = readdirSync(runs);
  return { total: countFiles(join(runs, id)), logs: countFiles(join(runs, id, 'logs')) };
}

/** Where a folder lives: the mount's filesystem type and device, from /proc/mounts (longest mount point that holds it). */
function diskOf(dir) {
  try {
    const mounts = readFileSync('/proc/mounts', 'utf8').split('\n').map((line) => line.split(' ')).filter((f) => f.length > 2);
    const holder = mounts.filter(([, point]) => dir === point || dir.startsWith(point.endsWith('/') ? point : `${point}/`)).sort((a, b) => b[1].length - a[1].length)[0];
    return holder ? `${holder[2]} on ${holder[0]}` : 'unknown';
  } catch {
    return 'unknown';
  }
}

/** Files left per attempt by the last chain and fan-out runs (silent tasks), against the floors' none. */
const filesSeen = { chain: null, fan: null };

async function chainBench(dagu) {
  log(`chain: ${CHAIN_LENGTH} × run: "true" (${ROUNDS.chain} rounds)`);
  const contenders = {
    floor: () => measure(['bash', '-c', `for i in $(seq ${CHAIN_LENGTH}); do bash -eo pipefail -c true || exit 1; done`], { cwd: work, env }),
    baton: async () => {
      const cwd = freshDir('chain');
      const result = await batonOk(['run', files.chain, '--quiet'], cwd);
      filesSeen.chain = runFiles(cwd);
      return result;
    },
  };
  if (dagu.binary) {
    contenders.dagu = async () => {
      const result = await measure([dagu.binary, 'start', files.daguChain], { cwd: work, env: { ...env, DAGU_HOME: freshDir('dagu-home') } });
      if (result.code !== 0) throw new Error(`dagu exited ${result.code}:\n${result.stderr.slice(-2000)}`);
      return result;
    };
  }
  const { median: m, rss } = await interleaved('chain', ROUNDS.chain, contenders, { dagu: ROUNDS.dagu });
  const rows = [
    { name: `chain of ${CHAIN_LENGTH} run: "true"`, batonMs: m.baton, floorName: 'bash loop', floorMs: m.floor, rssKb: rss.baton, goal: '≤ 1.6×', met: m.baton <= 1.6 * m.floor },
  ];
  if (dagu.binary) {
    rows.push({ name: `same chain on Dagu ${dagu.version}`, batonMs: m.dagu, floorName: 'bash loop', floorMs: m.floor, rssKb: rss.dagu, goal: '(peer)', met: null, value: `${fmtMs(m.dagu)} (Dagu)` });
  }
  return rows;
}

async function fanBench() {
  log(`fan-out: for_each of ${FAN_ITEMS} × command: [true], concurrency ${FAN_CONCURRENCY} (${ROUNDS.fan} rounds)`);
  const { median: m, rss } = await interleaved('fan-out', ROUNDS.fan, {
    floor: () => measure(['sh', '-c', `seq ${FAN_ITEMS} | xargs -P${FAN_CONCURRENCY} -n1 true`], { cwd: work, env }),
    baton: async () => {
      const cwd = freshDir('fan');
      const result = await batonOk(['run', files.fan, '--quiet'], cwd);
      filesSeen.fan = runFiles(cwd);
      return result;
    },
  });
  return [{ name: `for_each of ${FAN_ITEMS} command: [true], concurrency ${FAN_CONCURRENCY}`, batonMs: m.baton, floorName: `xargs -P${FAN_CONCURRENCY}`, floorMs: m.floor, rssKb: rss.baton, goal: '≤ 2.0×', met: m.baton <= 2.0 * m.floor }];
}

/** Files an attempt of a silent task creates (its logs and $BATON_OUTPUT), from the chain and fan-out runs above. */
function filesRows() {
  const { chain, fan } = filesSeen;
  const perAttempt = (seen, attempts) => (seen === null ? NaN : seen.logs / attempts);
  const row = (name, seen, attempts, floorName) => ({
    name: `files created per attempt: ${name}`,
    value: seen === null ? 'n/a' : `${perAttempt(seen, attempts)} (run folder: ${seen.total} files)`,
    floorName,
    goal: '0',
    met: seen === null ? null : seen.logs === 0,
  });
  return [row(`chain of ${CHAIN_LENGTH} run: "true"`, chain, CHAIN_LENGTH, 'bash loop: 0'), row(`for_each of ${FAN_ITEMS} command: [true]`, fan, FAN_ITEMS, 'xargs: 0')];
}

/**
 * The chain again in a folder on the disk the checkout is on (not the temp folder, which may be a tmpfs): there,
 * creating a file costs a journal write, which is what "files created per attempt" saves.
 */
async function diskChainBench() {
  const parent = mkdtempSync(join(ROOT, '.bench-disk-'));
  try {
    const disk = diskOf(parent);
    log(`chain on the bench's disk (${disk}; temp folder: ${diskOf(work)}) (${ROUNDS.chain} rounds)`);
    const { median: m, rss } = await interleaved('chain on disk', ROUNDS.chain, {
      floor: () => measure(['bash', '-c', `for i in $(seq ${CHAIN_LENGTH}); do bash -eo pipefail -c true || exit 1; done`], { cwd: parent, env }),
      baton: () => batonOk(['run', files.chain, '--quiet'], freshDir('chain', parent)),
    });
    return [{ name: `chain of ${CHAIN_LENGTH} run: "true" on the bench's disk (${disk})`, batonMs: m.baton, floorName: 'bash loop', floorMs: m.floor, rssKb: rss.baton, goal: '≤ 1.6×', met: m.baton <= 1.6 * m.floor }];
  } finally {
    rmSync(parent, { recursive: true, force: true });
  }
}

async function startupBench() {
  log(`start-up: baton validate of a small file vs node -e 0 (${ROUNDS.startup} rounds)`);
  const { median: m, rss } = await interleaved('start-up', ROUNDS.startup, {
    floor: () => measure([process.execPath, '-e', '0'], { cwd: work, env }),
    baton: () => batonOk(['validate', files.small], work),
  });
  return [{ name: 'validate a small file (start-up)', batonMs: m.baton, floorName: 'node -e 0', floorMs: m.floor, rssKb: rss.baton, goal: '≤ 2.5×', met: m.baton <= 2.5 * m.floor }];
}

/** `baton test`: the whole command (start-up, loading, every case on the real driver with mocks), against an absolute goal. */
async function blueprintTestBench() {
  log(`baton test: ${TEST_CASES} cases of a ${TESTED_TASKS}-task blueprint (${ROUNDS.tests} rounds)`);
  const { median: m, rss } = await interleaved('baton test', ROUNDS.tests, {
    floor: () => measure([process.execPath, '-e', '0'], { cwd: work, env }),
    baton: () => batonOk(['test', files.tests], work),
  });
  return [{ name: `baton test: ${TEST_CASES} cases of a ${TESTED_TASKS}-task blueprint`, batonMs: m.baton, floorName: 'node -e 0', floorMs: m.floor, rssKb: rss.baton, goal: '< 2 s', met: m.baton < 2000 }];
}

/**
 * A command on the finished big run, timed; "n/a (not built yet)" when the CLI does not know it yet. A refusal
 * (e.g. resume of a finished run exits 2, "nothing to resume") is still timed, with its exit code shown.
 */
async function queryRow(name, args, cwd) {
  const times = [];
  let refusal = '';
  for (let round = 0; round < ROUNDS.query; round++) {
    const result = await measure(baton(...args), { cwd, env });
    if (result.code === 2 && /unknown command/i.test(result.stderr)) return { name, value: 'n/a (not built yet)', goal: '< 1 s', met: null };
    if (result.code !== 0) refusal = ` (exit ${result.code})`;
    times.push(result.ms);
  }
  const ms = median(times);
  return { name, batonMs: ms, value: `${fmtMs(ms)}${refusal}`, goal: '< 1 s', met: ms < 1000 };
}

/** The executor alone: child_process.spawn and the spawn helpers (what baton uses) against execa to the same log files. */
async function executorRows() {
  log(`executor alone: direct spawn, spawn helpers and execa (${ROUNDS.executor} interleaved rounds)`);
  const { medians: result, ratios } = await executorBench(ROUNDS.executor, log);
  const spread = (list) => `${Math.min(...list).toFixed(2)}–${Math.max(...list).toFixed(2)}× per round`;
  executorSpread = Object.entries(ratios)
    .map(([name, bySpawner]) => `${name} ${Object.entries(bySpawner).filter(([s]) => s !== 'direct').map(([s, r]) => `${s} ${spread(r)}`).join(', ')}`)
    .join('; ');
  return [
    { name: `executor only: chain of ${CHAIN_LENGTH}, child_process.spawn`, batonMs: result.chain.direct, floorName: 'execa', floorMs: result.chain.execa, goal: '(info)', met: null },
    { name: `executor only: chain of ${CHAIN_LENGTH}, spawn helper`, batonMs: result.chain.helper, floorName: 'direct', floorMs: result.chain.direct, goal: '(info)', met: null },
    { name: `executor only: ${FAN_ITEMS} × true, ${FAN_CONCURRENCY} at once, child_process.spawn`, batonMs: result.fan.direct, floorName: 'execa', floorMs: result.fan.execa, goal: '(info)', met: null },
    { name: `executor only: ${FAN_ITEMS} × true, ${FAN_CONCURRENCY} at once, spawn helpers (auto)`, batonMs: result.fan.auto, floorName: 'direct', floorMs: result.fan.direct, goal: '(info)', met: null },
    { name: `executor only: ${FAN_ITEMS} × true, ${FAN_CONCURRENCY} at once, spawn helpers (always)`, batonMs: result.fan.helper, floorName: 'direct', floorMs: result.fan.direct, goal: '(info)', met: null },
  ];
}

/** Each round's executor time against the same round's direct spawn, min–max (set by executorRows). */
let executorSpread = '';
/** The folder of the finished 10,000-item run, for the web UI rows. */
let bigDir = null;

async function bigFanBench() {
  log(`big fan-out: for_each of ${BIG_FAN_ITEMS} × command: [true] (once; then status --json and resume of it)`);
  const dir = freshDir('bigfan');
  bigDir = dir;
  const run = await batonOk(['run', files.bigFan, '--quiet', '--run-id', BIG_RUN_ID], dir);
  log(`  big fan-out: ${fmtMs(run.ms)}`);
  const state = folderBytes(join(dir, '.baton', 'runs', BIG_RUN_ID));
  return [
    { name: `for_each of ${BIG_FAN_ITEMS}: run (peak memory)`, batonMs: run.ms, rssKb: run.rssKb, goal: '< 150 MB', met: run.rssKb > 0 ? run.rssKb < 150 * 1024 : null },
    { name: `for_each of ${BIG_FAN_ITEMS}: state folder (${state.method})`, value: fmtBytes(state.bytes), goal: '< 20 MB', met: state.bytes < 20 * 1024 * 1024 },
    await queryRow(`for_each of ${BIG_FAN_ITEMS}: status --json`, ['status', '--json', BIG_RUN_ID], dir),
    await queryRow(`for_each of ${BIG_FAN_ITEMS}: resume (finished run)`, ['resume', BIG_RUN_ID, '--quiet'], dir),
  ];
}

async function main() {
  const startedAt = performance.now();
  const machine = `${availableParallelism()} CPUs (${cpus()[0]?.model.trim() ?? 'unknown'}), node ${process.version}, ${process.platform}-${process.arch}`;
  log(`baton bench${QUICK ? ' (BENCH_QUICK=1: one round each)' : ''} in ${work}\n${machine}`);
  const dagu = findDagu();
  log(dagu.binary ? `Dagu ${dagu.version}: ${dagu.binary}` : `Dagu skipped: ${dagu.skipped}`);
  // BENCH_ONLY=chain,disk,fan,startup,tests,bigfan,executor,workers,ui runs some of the groups (files rows come with chain and fan).
  const only = process.env.BENCH_ONLY?.split(',');
  const pick = async (name, bench) => (only === undefined || only.includes(name) ? bench() : []);
  const rows = [
    ...(await pick('chain', () => chainBench(dagu))),
    ...(await pick('disk', diskChainBench)),
    ...(await pick('fan', fanBench)),
    ...filesRows(),
    ...(await pick('startup', startupBench)),
    ...(await pick('tests', blueprintTestBench)),
    ...(await pick('bigfan', bigFanBench)),
    ...(await pick('executor', executorRows)),
    ...(await pick('workers', () => workersBench({ work, env, bin: BIN, measure, interleaved, rounds: ROUNDS.workers, log }))),
    ...(await pick('ui', () => uiBench({ big: { dir: bigDir, id: BIG_RUN_ID, file: files.bigFan }, work, env, log, runBaton: batonOk, rounds: ROUNDS.ui }))),
  ];
  const notes = [
    `machine: ${machine}`,
    `medians of ${QUICK ? 1 : `${ROUNDS.chain} (chain, also on disk; Dagu ${ROUNDS.dagu}), ${ROUNDS.fan} (fan-out), ${ROUNDS.startup} (start-up), ${ROUNDS.tests} (baton test), 1 (10,000 items; ${ROUNDS.query} for its queries), ${ROUNDS.executor} (executor only), ${ROUNDS.ui} (web UI pages, each on a server started anew)`} interleaved rounds; baton runs with --quiet, CI=true`,
    `load while benching: ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')} (1/5/15 min)`,
    memoryMethod(),
    `total bench time ${fmtMs(performance.now() - startedAt)}`,
  ];
  if (executorSpread !== '') {
    notes.push(
      'executor only: execute() called in-process without engine or CLI, every path reading the same pipes; its ratio column is against execa or the direct spawn (floor column)',
      `executor only, each round against its direct spawn: ${executorSpread}`,
    );
  }
  if (!dagu.binary) notes.push(`Dagu: skipped (${dagu.skipped})`);
  const missed = rows.filter((row) => row.met === false).map((row) => row.name);
  notes.push(missed.length === 0 ? 'every measured goal is met' : `goals NOT met: ${missed.join('; ')}`);
  process.stdout.write(`\n${textTable(rows)}\n\n${notes.join('\n')}\n\nMarkdown:\n\n${markdownTable(rows)}\n\n${notes.map((n) => `- ${n}`).join('\n')}\n`);
  rmSync(work, { recursive: true, force: true });
}

main().catch((error) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.message : String(error)}\n(work folder kept: ${work})\n`);
  process.exitCode = 1;
});
