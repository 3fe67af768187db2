// The executor alone (no engine, no CLI): the 300-step chain and the 2,000-item fan-out through execute(), started
// with child_process.spawn ('direct', the default) or with execa to the same log files ('execa'), to compare the two.
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

const WORKLOADS = {
  chain: [CHAIN_LENGTH, 1, 'bash', ['-eo', 'pipefail', '-c', 'true']],
  fan: [FAN_ITEMS, FAN_CONCURRENCY, 'true', []],
};

/** {chain: {direct, execa}, fan: {direct, execa}}: medians in ms over interleaved rounds. */
export async function executorBench(rounds, log = () => {}) {
  const times = {};
  for (let round = 1; round <= rounds; round++) {
    for (const [name, [count, concurrency, file, args]] of Object.entries(WORKLOADS)) {
      for (const spawner of ['direct', 'execa']) {
        const ms = await timed(spawner, count, concurrency, file, args);
        ((times[name] ??= {})[spawner] ??= []).push(ms);
      }
    }
    log(`  executor: round ${round}/${rounds}: ${Object.entries(times).map(([n, t]) => `${n} direct ${t.direct.at(-1).toFixed(0)} ms / execa ${t.execa.at(-1).toFixed(0)} ms`).join(', ')}`);
  }
  return Object.fromEntries(Object.entries(times).map(([n, t]) => [n, { direct: median(t.direct), execa: median(t.execa) }]));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const result = await executorBench(Number(process.argv[2] ?? 3), (line) => console.error(line));
  for (const [name, { direct, execa }] of Object.entries(result)) {
    console.log(`${name}: direct spawn ${direct.toFixed(0)} ms, execa ${execa.toFixed(0)} ms (execa/direct ${(execa / direct).toFixed(2)}×)`);
  }
}
