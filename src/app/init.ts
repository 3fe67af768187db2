// `baton init`: a commented starter blueprint that validates and runs, and `.baton/` in .gitignore.
import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_BLUEPRINTS } from './only.js';
import { EXIT, UsageError, type CommandIO } from './io.js';

const STARTER = `# A baton blueprint: \`baton run\` (no file) runs this baton.yaml; \`baton validate baton.yaml\` checks it.
# Reference: baton's README (Blueprints, Tasks, Control flow, Expressions); \`baton help run\`.
name: starter
description: A starter workflow; rename it and replace the tasks.

inputs:                       # baton run -i who=you
  who: { type: string, default: world }

# env_file: .env              # dotenv files for every task (relative to this file)
env:                          # added to every task's environment
  GREETING: hello
# secrets: [API_TOKEN]        # variables whose values are masked (***) wherever baton writes

defaults:                     # every command task inherits these
  timeout: 5m

tasks:                        # run in order; each starts when the one before completed
  - id: greet
    run: echo "$GREETING, \${{ inputs.who }}"
    output: text              # tasks.greet.output is its stdout
  - id: checks
    parallel:                 # branches run at once
      - - id: lint
          run: echo "lint ok"
      - - id: unit
          run: echo "tests ok"
          retry: { count: 2, delay: 1s }
  - id: report
    run: echo "greet said \${{ tasks.greet.output }}"

outputs:
  greeting: \${{ tasks.greet.output }}
`;

export function initProject(io: CommandIO): number {
  const existing = DEFAULT_BLUEPRINTS.map((name) => path.join(io.cwd, name)).find((f) => fs.existsSync(f));
  if (existing) throw new UsageError(`${existing} already exists; baton init does not overwrite it`, 'run it with: baton run');
  const file = path.join(io.cwd, DEFAULT_BLUEPRINTS[0]);
  fs.writeFileSync(file, STARTER, { flag: 'wx' });
  io.stderr.write(`wrote ${file}\n`);
  const ignore = path.join(io.cwd, '.gitignore');
  const text = fs.existsSync(ignore) ? fs.readFileSync(ignore, 'utf8') : '';
  if (!text.split(/\r?\n/).some((line) => /^\/?\.baton\/?$/.test(line.trim()))) {
    fs.appendFileSync(ignore, `${text === '' || text.endsWith('\n') ? '' : '\n'}.baton/\n`);
    io.stderr.write(`added .baton/ (where runs are kept) to ${ignore}\n`);
  }
  io.stderr.write('next: baton run   (or baton run --dry-run to see what it would do)\n');
  return EXIT.ok;
}
