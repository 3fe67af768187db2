// The thin CLI: parses flags with commander, calls the application, maps the result to an exit code.
import { createRequire } from 'node:module';
import { Command, CommanderError } from 'commander';
import { EXIT, UsageError, type CommandIO } from '../app/io.js';
import * as cancel from './commands/cancel.js';
import * as rerun from './commands/rerun.js';
import * as resume from './commands/resume.js';
import * as retry from './commands/retry.js';
import * as completion from './commands/completion.js';
import * as graph from './commands/graph.js';
import * as logs from './commands/logs.js';
import * as run from './commands/run.js';
import * as runs from './commands/runs.js';
import * as status from './commands/status.js';
import * as signal from './commands/signal.js';
import * as validate from './commands/validate.js';
import type { CommandContext } from './shared.js';

// The version users see is the one package.json publishes.
const VERSION = (createRequire(import.meta.url)('../../package.json') as { version: string }).version;

/** Each command lives in its own module under commands/ and registers itself here. */
const COMMANDS: { register(program: Command, ctx: CommandContext): void }[] = [run, resume, retry, rerun, cancel, signal, validate, status, runs, logs, graph, completion];

export function buildProgram(ctx: CommandContext): Command {
  const program = new Command('baton')
    .description('Run workflows defined as YAML blueprints, durably, on one machine.')
    .version(VERSION, '-V, --version')
    .showSuggestionAfterError(true)
    .configureOutput({ writeOut: (s) => ctx.io.stdout.write(s), writeErr: (s) => ctx.io.stderr.write(s) })
    .exitOverride();
  for (const command of COMMANDS) command.register(program, ctx);
  return program;
}

export async function main(argv: string[], io: CommandIO = { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() }): Promise<number> {
  let code: number = EXIT.ok;
  const program = buildProgram({ io, setExit: (c) => (code = c) });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    if (err instanceof UsageError || (err instanceof Error && err.name === 'StoreError')) {
      io.stderr.write(`baton: error: ${err.message}\n`);
      if (err instanceof UsageError && err.hint) io.stderr.write(`hint: ${err.hint}\n`);
      if (argv.includes('--json')) io.stdout.write(`${JSON.stringify({ error: err.message, diagnostics: [] })}\n`);
      return EXIT.usage;
    }
    throw err;
  }
}
