// `baton __complete <kind> [run]` (hidden): the dynamic words the completion scripts ask for, one a line.
import { Argument, type Command } from 'commander';
import { type CommandContext, STATE_DIR_HELP } from '../shared.js';

export const COMPLETE_WORDS_COMMAND = '__complete';

export function register(program: Command, { io, setExit }: CommandContext): void {
  program
    .command(COMPLETE_WORDS_COMMAND, { hidden: true })
    .description('print completion words: run ids, the task keys of a run, or what a run is waiting for')
    .addArgument(new Argument('<kind>').choices(['runs', 'tasks', 'waiting']))
    .argument('[run]')
    .option('--state-dir <dir>', STATE_DIR_HELP)
    .action(async (kind: 'runs' | 'tasks' | 'waiting', run: string | undefined, opts) => {
      const { printCompletionWords } = await import('../../app/completion-words.js');
      setExit(printCompletionWords(io, kind, run, opts.stateDir));
    });
}
