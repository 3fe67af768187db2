// The thin CLI: parses flags with commander, calls the application, maps the result to an exit code.
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { startRun } from '../app/start-run.js';
import { validateFiles } from '../app/validate.js';
import { EXIT, UsageError, type CommandIO } from '../app/io.js';
import { StoreError } from '../store/index.js';

const VERSION = '0.1.0';

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`expected a whole number ≥ 1, got "${value}"`);
  return n;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** Flags shared by the commands that drive a run. */
function driveOptions(cmd: Command): Command {
  return cmd
    .option('--concurrency <n>', 'most command tasks running at once (overrides the blueprint)', positiveInt)
    .option('--keep-going', 'fail_fast: false everywhere: let other branches finish after a failure', false)
    .option('--json', 'print exactly one JSON summary on stdout at the end', false)
    .option('--quiet', 'print only errors', false)
    .option('--verbose', "stream tasks' output to stderr with a [task] prefix", false)
    .option('--state-dir <dir>', 'where runs are kept (default: $BATON_STATE_DIR or ./.baton)');
}

export function buildProgram(io: CommandIO, setExit: (code: number) => void): Command {
  const program = new Command('baton')
    .description('Run workflows defined as YAML blueprints, durably, on one machine.')
    .version(VERSION, '-V, --version')
    .showSuggestionAfterError(true)
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .exitOverride();

  driveOptions(
    program
      .command('run')
      .description('start a new run of a blueprint')
      .argument('<blueprint>', 'the blueprint file (.yaml / .yml)')
      .option('-i, --input <key=value>', 'an input (repeatable); overrides --input-file', collect, [])
      .option('--input-file <file>', 'inputs from a JSON or YAML file')
      .option('--run-id <id>', 'the new run id (default: <time>-<workflow>-<random>)'),
  ).action(async (blueprint: string, opts) => {
    setExit(await startRun(io, { blueprint, inputs: opts.input, inputFile: opts.inputFile, runId: opts.runId, ...driveFlags(opts) }));
  });

  program
    .command('validate')
    .description('check blueprints and report every problem, without running anything')
    .argument('<blueprint...>', 'blueprint files')
    .option('--json', 'print the diagnostics as one JSON document', false)
    .action((files: string[], opts) => setExit(validateFiles(io, files, opts.json)));

  return program;
}

function driveFlags(opts: Record<string, unknown>) {
  return {
    concurrency: opts.concurrency as number | undefined,
    keepGoing: Boolean(opts.keepGoing),
    json: Boolean(opts.json),
    quiet: Boolean(opts.quiet),
    verbose: Boolean(opts.verbose),
    stateDir: opts.stateDir as string | undefined,
  };
}

export async function main(argv: string[], io: CommandIO = { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() }): Promise<number> {
  let code: number = EXIT.ok;
  const program = buildProgram(io, (c) => (code = c));
  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (err) {
    if (err instanceof CommanderError) {
      return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (err instanceof UsageError || err instanceof StoreError) {
      io.stderr.write(`baton: error: ${err.message}\n`);
      if (err instanceof UsageError && err.hint) io.stderr.write(`hint: ${err.hint}\n`);
      const json = argv.includes('--json');
      if (json) io.stdout.write(`${JSON.stringify({ error: err.message, diagnostics: [] })}\n`);
      return EXIT.usage;
    }
    throw err;
  }
}
