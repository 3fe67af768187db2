// `baton run <blueprint>`: start a new run.
import type { Command } from 'commander';
import { collect, withDriveOptions, withEnvFileOption, withExecutor, type CommandContext } from '../shared.js';

export function register(program: Command, { io, setExit }: CommandContext): void {
  withEnvFileOption(withDriveOptions(
    program
      .command('run')
      .description('start a new run of a blueprint')
      .argument('[blueprint]', 'the blueprint file (.yaml / .yml); default: baton.yaml or .baton.yaml here')
      .option('-i, --input <key=value>', 'an input (repeatable); overrides --input-file', collect, [])
      .option('--input-file <file>', 'inputs from a JSON or YAML file')
      .option('--run-id <id>', 'the new run id (default: <time>-<workflow>-<random>)')
      .option('--resume-existing', 'with --run-id: if that run exists from the same blueprint and inputs, go on with it', false)
      .option('--only <task>', 'run only this top-level task (repeatable); the others are recorded as skipped', collect, [])
      .option('--with-needs', "with --only: also run what those tasks need (their `needs:`, transitively)", false)
      .option('--dry-run', 'print what would run, in order, with rendered commands (secrets masked); run nothing', false),
  ))
    .addHelpText('after', '\nExamples:\n  baton run workflows/hello.yaml\n  baton run deploy.yaml -i env=prod -i replicas=3 --json\n  baton run ci.yaml --run-id "ci-$GITHUB_RUN_ID" --keep-going\n  baton run --only build --dry-run     # baton.yaml in this folder')
    .action(async (blueprint: string | undefined, opts) => {
      const { startRun } = await import('../../app/start-run.js');
      setExit(await withExecutor(io, opts, (flags) => startRun(io, { blueprint, inputs: opts.input, inputFile: opts.inputFile, runId: opts.runId, resumeExisting: Boolean(opts.resumeExisting), only: opts.only, withNeeds: Boolean(opts.withNeeds), dryRun: Boolean(opts.dryRun), ...flags })));
    });
}
