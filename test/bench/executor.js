// The executor alone (no engine, no CLI): the 300-step chain and the 2,000-item fan-out through execute(), started
// with child_process.spawn from this process ('direct'), by the spawn helpers once attempts overlap ('auto', what
// baton does), always by a helper ('helper'), or with execa ('execa'), each reading the same pipes, to compare them.
// Usage: node test/bench/executor.js [rounds=5]   (needs a build: npx tsc -p tsconfig.json)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from './measure.js';
import { CHAIN_LENGTH, FAN_CONCURRENCY, FAN_ITEMS } from './workloads.js';

const { execute } = await import(new URL('../../dist/executor/execute.js', import.meta.url).href);

function request(dir, n, file, args) {
  const base = join(dir, 'logs', `t${n}`);
  return {
    file,
    args,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', BATON_OUTPUT: `${base}.output` },
    cwd: dir,
    stdoutPath: `${base}.stdout`,
    stderrPath: `${base}.stderr`,
    outputMode: 'file',
    outputFile: `${base}.output`,
    killGraceMs: 5000,
    secrets: [],
  };
}

async function timed(spawner, count, concurrency, file, args) {
  const dir = mkdtempSync(join(tmpdir(), 'baton-bench-exec-'));
  const startedAt = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const outcome = await execute(request(dir, next++, file, args), spawner);
      if (outcome.status !== 'completed') throw new Error(`${file} ${outcome.status}: ${outcome.error}`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const ms = performance.now() - startedAt;
  rmSync(dir, { recursive: true, force: true });
  return ms;
}

// A chain never overlaps, so 'auto' is 'direct' there and is not run.
const WORKLOADS = {
  chain: [CHAIN_LENGTH, 1, 'bash', ['-eo', 'pipefail', '-c', 'true'], ['direct', 'helper', 'execa']],
  fan: [FAN_ITEMS, FAN_CONCURRENCY, 'true', [], ['direct', 'auto', 'helper', 'execa']],
};

/**
 * {medians: {chain: {direct, helper, execa}, fan: {direct, auto, helper, execa}}, ratios: {fan: {auto: [...], ...}}}:
 * medians in ms over interleaved rounds, and each round's time against that round's 'direct' (drift on a shared
 * machine hits a round's contenders alike, so the spread of these ratios says whether a path wins by a margin).
 */
export async function executorBench(rounds, log = () => {}) {
  const times = {};
  for (let round = 1; round <= rounds; round++) {
    for (const [name, [count, concurrency, file, args, spawners]] of Object.entries(WORKLOADS)) {
      for (const spawner of spawners) {
        const ms = await timed(spawner, count, concurrency, file, args);
        ((times[name] ??= {})[spawner] ??= []).push(ms);
      }
    }
    const last = (t) => Object.entries(t).map(([spawner, ms]) => `${spawner} ${ms.at(-1).toFixed(0)} ms`).join(' / ');
    log(`  executor: round ${round}/${rounds}: ${Object.entries(times).map(([n, t]) => `${n} ${last(t)}`).join(', ')}`);
  }
  const medians = Object.fromEntries(Object.entries(times).map(([n, t]) => [n, Object.fromEntries(Object.entries(t).map(([s, ms]) => [s, median(ms)]))]));
  const ratios = Object.fromEntries(
    Object.entries(times).map(([n, t]) => [n, Object.fromEntries(Object.entries(t).map(([s, ms]) => [s, ms.map((one, i) => one / t.direct[i])]))]),
  );
  return { medians, ratios };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { medians: result, ratios } = await executorBench(Number(process.argv[2] ?? 5), (line) => console.error(line));
  for (const [name, medians] of Object.entries(result)) {
    console.log(`${name}: ${Object.entries(medians).map(([spawner, ms]) => `${spawner} ${ms.toFixed(0)} ms`).join(', ')}`);
    console.log(`  per round vs direct: ${Object.entries(ratios[name]).filter(([s]) => s !== 'direct').map(([s, r]) => `${s} ${r.map((x) => x.toFixed(2)).join('/')}`).join('; ')}`);
  }
}
