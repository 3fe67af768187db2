// `npm run bench`: runs baton and its floors (bash loop, xargs -P, bare node; Dagu where installable) interleaved in
// the same run, and prints medians, ratios, peak memory and which goal each meets, as text and as markdown.
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findDagu } from './dagu.js';
import { executorBench } from './executor.js';
import { folderBytes, measure, median, memoryMethod } from './measure.js';
import { fmtBytes, fmtMs, markdownTable, textTable } from './table.js';
import { uiBench } from './ui.js';
import { BIG_FAN_ITEMS, CHAIN_LENGTH, FAN_CONCURRENCY, FAN_ITEMS, writeWorkloads } from './workloads.js';

const BIN = fileURLToPath(new URL('../../bin/baton.js', import.meta.url));
const QUICK = process.env.BENCH_QUICK === '1';
const rounds = (n) => (QUICK ? 1 : n);
const ROUNDS = { chain: rounds(5), dagu: rounds(3), fan: rounds(3), startup: rounds(10), query: rounds(3), executor: rounds(3) };
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
const freshDir = (name) => mkdtempSync(join(work, `${name}-`));

async function chainBench(dagu) {
  log(`chain: ${CHAIN_LENGTH} × run: "true" (${ROUNDS.chain} rounds)`);
  const contenders = {
    floor: () => measure(['bash', '-c', `for i in $(seq ${CHAIN_LENGTH}); do bash -eo pipefail -c true || exit 1; done`], { cwd: work, env }),
    baton: () => batonOk(['run', files.chain, '--quiet'], freshDir('chain')),
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
    baton: () => batonOk(['run', files.fan, '--quiet'], freshDir('fan')),
  });
  return [{ name: `for_each of ${FAN_ITEMS} command: [true], concurrency ${FAN_CONCURRENCY}`, batonMs: m.baton, floorName: `xargs -P${FAN_CONCURRENCY}`, floorMs: m.floor, rssKb: rss.baton, goal: '≤ 2.0×', met: m.baton <= 2.0 * m.floor }];
}

async function startupBench() {
  log(`start-up: baton validate of a small file vs node -e 0 (${ROUNDS.startup} rounds)`);
  const { median: m, rss } = await interleaved('start-up', ROUNDS.startup, {
    floor: () => measure([process.execPath, '-e', '0'], { cwd: work, env }),
    baton: () => batonOk(['validate', files.small], work),
  });
  return [{ name: 'validate a small file (start-up)', batonMs: m.baton, floorName: 'node -e 0', floorMs: m.floor, rssKb: rss.baton, goal: '≤ 2.5×', met: m.baton <= 2.5 * m.floor }];
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
  log(`executor alone: direct spawn, spawn helpers and execa (${ROUNDS.executor} rounds)`);
  const result = await executorBench(ROUNDS.executor, log);
  return [
    { name: `executor only: chain of ${CHAIN_LENGTH}, child_process.spawn`, batonMs: result.chain.direct, floorName: 'execa', floorMs: result.chain.execa, goal: '(info)', met: null },
    { name: `executor only: ${FAN_ITEMS} × true, ${FAN_CONCURRENCY} at once, child_process.spawn`, batonMs: result.fan.direct, floorName: 'execa', floorMs: result.fan.execa, goal: '(info)', met: null },
    { name: `executor only: ${FAN_ITEMS} × true, ${FAN_CONCURRENCY} at once, spawn helpers`, batonMs: result.fan.auto, floorName: 'execa', floorMs: result.fan.execa, goal: '(info)', met: null },
  ];
}

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
  const rows = [...(await chainBench(dagu)), ...(await fanBench()), ...(await startupBench()), ...(await bigFanBench()), ...(await executorRows())];
  rows.push(...(await uiBench({ big: { dir: bigDir, id: BIG_RUN_ID }, work, env, log, runBaton: batonOk })));
  const notes = [
    `machine: ${machine}`,
    `medians of ${QUICK ? 1 : `${ROUNDS.chain} (chain; Dagu ${ROUNDS.dagu}), ${ROUNDS.fan} (fan-out), ${ROUNDS.startup} (start-up), 1 (10,000 items; ${ROUNDS.query} for its queries), ${ROUNDS.executor} (executor only)`} interleaved rounds; baton runs with --quiet, CI=true`,
    'executor only: execute() called in-process without engine or CLI; its ratio column is against execa to the same log files',
    memoryMethod(),
    `total bench time ${fmtMs(performance.now() - startedAt)}`,
  ];
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
