// `baton run <blueprint>`: start a new run.
import type { Command } from 'commander';
import { collect, withDriveOptions, withExecutor, type CommandContext } from '../shared.js';

export function register(program: Command, { io, setExit }: CommandContext): void {
  withDriveOptions(
    program
      .command('run')
      .description('start a new run of a blueprint')
      .argument('<blueprint>', 'the blueprint file (.yaml / .yml)')
      .option('-i, --input <key=value>', 'an input (repeatable); overrides --input-file', collect, [])
      .option('--input-file <file>', 'inputs from a JSON or YAML file')
      .option('--run-id <id>', 'the new run id (default: <time>-<workflow>-<random>)')
      .option('--resume-existing', 'with --run-id: if that run exists from the same blueprint and inputs, go on with it', false),
  )
    .addHelpText('after', '\nExamples:\n  baton run workflows/hello.yaml\n  baton run deploy.yaml -i env=prod -i replicas=3 --json\n  baton run ci.yaml --run-id "ci-$GITHUB_RUN_ID" --keep-going')
    .action(async (blueprint: string, opts) => {
      const { startRun } = await import('../../app/start-run.js');
      setExit(await withExecutor(io, opts, (flags) => startRun(io, { blueprint, inputs: opts.input, inputFile: opts.inputFile, runId: opts.runId, resumeExisting: Boolean(opts.resumeExisting), ...flags })));
    });
}
