// The executor alone (no engine, no CLI): the 300-step chain and the 2,000-item fan-out through execute(), started
// with child_process.spawn from this process ('direct'), by the spawn helpers once attempts overlap ('auto', what
// baton does), or with execa to the same log files ('execa'), to compare them.
// Usage: node test/bench/executor.js [rounds=3]   (needs a build: npx tsc -p tsconfig.json)
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
  chain: [CHAIN_LENGTH, 1, 'bash', ['-eo', 'pipefail', '-c', 'true'], ['direct', 'execa']],
  fan: [FAN_ITEMS, FAN_CONCURRENCY, 'true', [], ['direct', 'auto', 'execa']],
};

/** {chain: {direct, execa}, fan: {direct, auto, execa}}: medians in ms over interleaved rounds. */
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
  return Object.fromEntries(Object.entries(times).map(([n, t]) => [n, Object.fromEntries(Object.entries(t).map(([s, ms]) => [s, median(ms)]))]));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const result = await executorBench(Number(process.argv[2] ?? 3), (line) => console.error(line));
  for (const [name, medians] of Object.entries(result)) {
    console.log(`${name}: ${Object.entries(medians).map(([spawner, ms]) => `${spawner} ${ms.toFixed(0)} ms`).join(', ')}`);
  }
}
