// The thin CLI: parses flags with commander, calls the application, maps the result to an exit code.
import { createRequire } from 'node:module';
import { Command, CommanderError } from 'commander';
import { EXIT, EXIT_OUTPUT_CLOSED, driving, shownInJson, type CommandIO } from '../app/io.js';
import { BatonError } from '../errors/exit.js';
import * as cancel from './commands/cancel.js';
import * as rerun from './commands/rerun.js';
import * as resume from './commands/resume.js';
import * as retry from './commands/retry.js';
import * as completion from './commands/completion.js';
import * as completeWords from './commands/complete-words.js';
import * as graph from './commands/graph.js';
import * as init from './commands/init.js';
import * as logs from './commands/logs.js';
import * as run from './commands/run.js';
import * as runs from './commands/runs.js';
import * as status from './commands/status.js';
import * as signal from './commands/signal.js';
import * as ui from './commands/ui.js';
import * as validate from './commands/validate.js';
import * as test from './commands/test.js';
import * as worker from './commands/worker.js';
import type { CommandContext } from './shared.js';

// The version users see is the one package.json publishes, with the package's name (the command is `baton`, the npm package is not).
const PACKAGE = createRequire(import.meta.url)('../../package.json') as { name: string; version: string };

/** Each command lives in its own module under commands/ and registers itself here. */
const COMMANDS: { register(program: Command, ctx: CommandContext): void }[] = [run, resume, retry, rerun, cancel, signal, validate, test, status, runs, logs, graph, init, worker, ui, completion, completeWords];

export function buildProgram(ctx: CommandContext): Command {
  const program = new Command('baton')
    .description('Run workflows defined as YAML blueprints, durably, on one machine.')
    .version(`${PACKAGE.name} ${PACKAGE.version}`, '-V, --version')
    .addHelpText('after', `\nnpm package: ${PACKAGE.name} ${PACKAGE.version} (npm install -g ${PACKAGE.name})`)
    .showSuggestionAfterError(true)
    .configureOutput({ writeOut: (s) => ctx.io.stdout.write(s), writeErr: (s) => ctx.io.stderr.write(s) })
    .exitOverride()
    // A parent's flags go before its subcommand, so `runs prune --json` is prune's flag, not the list's.
    .enablePositionalOptions();
  for (const command of COMMANDS) command.register(program, ctx);
  return program;
}

export async function main(argv: string[], io: CommandIO = { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() }): Promise<number> {
  let code: number = EXIT.ok;
  const program = buildProgram({ io, setExit: (c) => (code = c) });
  // A command that takes --json prints one JSON document on stdout whatever happens, flag errors included.
  const json = wantsJson(program, argv);
  const jsonError = (message: string, err?: unknown): void => {
    if (json && !shownInJson(err)) io.stdout.write(`${JSON.stringify({ error: message, diagnostics: [] })}\n`);
  };
  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.exitCode === 0) return EXIT.ok;
      jsonError(err.message.replace(/^error: /, ''));
      return EXIT.usage;
    }
    // Every error a user can cause carries its exit code; anything else is a bug and keeps its stack.
    if (err instanceof BatonError) {
      io.stderr.write(`baton: error: ${err.message}\n`);
      if (err.hint) io.stderr.write(`hint: ${err.hint}\n`);
      jsonError(err.message, err);
      return err.exitCode;
    }
    jsonError(`internal error: ${err instanceof Error ? err.message : String(err)}`, err);
    throw err;
  }
}

/** Whether argv asks for --json of a command that has that flag (`runs prune --json` is prune's, not runs'). */
export function wantsJson(program: Command, argv: string[]): boolean {
  const end = argv.indexOf('--');
  const args = end === -1 ? argv : argv.slice(0, end);
  if (!args.includes('--json')) return false;
  let command: Command = program;
  for (const word of args) {
    const sub = word.startsWith('-') ? undefined : command.commands.find((c) => c.name() === word);
    if (sub) command = sub;
    else if (command !== program && !word.startsWith('-')) break;
  }
  return command.options.some((o) => o.long === '--json');
}

/**
 * A reader that goes away (`baton run ci.yaml 2>&1 | head`): while a run is being driven, writes to the closed pipe
 * are dropped and the run goes on; any other command ends quietly with 141, as a shell shows for SIGPIPE.
 */
export function handleClosedOutput(streams: NodeJS.WriteStream[] = [process.stdout, process.stderr]): void {
  for (const stream of streams) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') throw error;
      if (!driving.active) process.exit(EXIT_OUTPUT_CLOSED);
    });
  }
}
