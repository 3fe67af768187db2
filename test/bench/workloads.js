// Writes the benchmark blueprints (chain, fan-outs, a small file to validate, the Dagu chain) into a folder.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

// BENCH_CHAIN / BENCH_FAN shrink the two workloads, e.g. to recheck the spawn paths on a machine too loaded for the full size.
export const CHAIN_LENGTH = Number(process.env.BENCH_CHAIN ?? 300);
export const FAN_ITEMS = Number(process.env.BENCH_FAN ?? 2000);
export const BIG_FAN_ITEMS = 10000;
export const FAN_CONCURRENCY = 4;
export const TESTED_TASKS = 50;
export const TEST_CASES = 100;

function chain(steps) {
  const tasks = Array.from({ length: steps }, (_, i) => `  - id: t${i}\n    run: "true"\n`);
  return `name: chain\ntasks:\n${tasks.join('')}`;
}

function fanOut(name, items) {
  return [
    `name: ${name}`,
    `concurrency: ${FAN_CONCURRENCY}`,
    'tasks:',
    '  - id: each',
    `    for_each: \${{ [1..${items}] }}`,
    `    concurrency: ${FAN_CONCURRENCY}`,
    '    do:',
    '      - id: t',
    '        command: ["true"]',
    '',
  ].join('\n');
}

/** A chain of tasks that read inputs and the task before them: what `baton test` runs, mocked. */
function tested(tasks) {
  const lines = ['name: tested', 'inputs:', '  who: { type: string, default: world }', 'tasks:'];
  for (let i = 0; i < tasks; i++) lines.push(`  - id: t${i}`, `    run: echo "\${{ inputs.who }} \${{ ${i === 0 ? '0' : `tasks.t${i - 1}.output.n + 1`} }}"`, '    output: json');
  lines.push('outputs:', `  last: \${{ tasks.t${tasks - 1}.output.n }}`);
  return `${lines.join('\n')}\n`;
}

/** Test cases of `tested`: case k fails task k mod 50 when k is odd, else all complete. */
function testedTests(tasks, cases) {
  const lines = ['blueprint: tested.yaml', 'mocks:'];
  for (let i = 0; i < tasks; i++) lines.push(`  t${i}: { output: { n: ${i} }, duration: 1s }`);
  lines.push('tests:');
  for (let k = 0; k < cases; k++) {
    const failing = k % tasks;
    lines.push(`  - name: case ${k}`);
    if (k % 2 === 1) {
      lines.push('    mocks:', `      t${failing}: { exit: 1 }`, '    expect:', '      status: failed', `      tasks: { t${failing}: failed }`);
    } else {
      lines.push('    expect:', '      status: completed', `      outputs: { last: ${tasks - 1} }`);
    }
  }
  return `${lines.join('\n')}\n`;
}

const SMALL = `name: small
inputs:
  who: { type: string, default: world }
tasks:
  - id: greet
    run: echo "hello \${{ inputs.who }}"
    output: text
  - id: shout
    command: [echo, "\${{ tasks.greet.output }}!"]
`;

/** The same chain for Dagu: each step names the one before it in \`depends\`, as in the issue's measurement. */
function daguChain(steps) {
  const lines = ['name: chain', 'steps:'];
  for (let i = 0; i < steps; i++) {
    lines.push(`  - name: s${i}`, '    command: "true"');
    if (i > 0) lines.push(`    depends: [s${i - 1}]`);
  }
  return `${lines.join('\n')}\n`;
}

/** Writes every workload into `dir` and returns their paths. */
export function writeWorkloads(dir) {
  const files = {
    chain: ['chain.yaml', chain(CHAIN_LENGTH)],
    fan: ['fan.yaml', fanOut('fan', FAN_ITEMS)],
    bigFan: ['big-fan.yaml', fanOut('bigfan', BIG_FAN_ITEMS)],
    small: ['small.yaml', SMALL],
    daguChain: ['dagu-chain.yaml', daguChain(CHAIN_LENGTH)],
    tested: ['tested.yaml', tested(TESTED_TASKS)],
    tests: ['tested.test.yaml', testedTests(TESTED_TASKS, TEST_CASES)],
  };
  const paths = {};
  for (const [key, [name, text]] of Object.entries(files)) {
    paths[key] = join(dir, name);
    writeFileSync(paths[key], text);
  }
  return paths;
}
