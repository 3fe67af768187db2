// `baton completion bash|zsh|fish`: print a shell completion script built from the commands registered here.
import { Argument, type Command } from 'commander';
import type { CompletionArg, CompletionCommand, CompletionOption } from '../../app/completion.js';
import type { CommandContext } from '../shared.js';
import { COMPLETE_WORDS_COMMAND } from './complete-words.js';

/** What an argument completes to, by `command.argument` (or by argument name). */
const ARG_KINDS: Record<string, CompletionArg['kind']> = {
  run: 'run',
  blueprint: 'blueprint',
  'graph.target': 'target',
  'signal.target': 'waiting',
  'logs.task': 'task',
  'test.paths': 'blueprint', // .yaml files, test files among them
};
/** Option values that only the run knows, by `command.--flag`. */
const OPTION_VALUES: Record<string, CompletionOption['value']> = { 'rerun.--from': 'task' };

/** What completion needs to know about a command: its flags (and their values), arguments and subcommands. */
function describe(command: Command): CompletionCommand {
  const options: CompletionOption[] = command.options
    .filter((o) => !o.hidden)
    .map((o) => {
      const takesValue = o.required || o.optional;
      const name = o.attributeName().toLowerCase();
      const value: CompletionOption['value'] = !takesValue
        ? null
        : OPTION_VALUES[`${command.name()}.${o.long}`] ?? (o.argChoices ? { choices: o.argChoices }
        : name.endsWith('dir') ? 'dir'
        : name.endsWith('file') ? 'file'
        : 'other');
      return { ...(o.long ? { long: o.long } : {}), ...(o.short ? { short: o.short } : {}), description: o.description, value };
    });
  const args: CompletionArg[] = command.registeredArguments.map((a) => ({
    kind: a.argChoices ? { choices: a.argChoices } : (ARG_KINDS[`${command.name()}.${a.name()}`] ?? ARG_KINDS[a.name()] ?? 'other'),
    variadic: a.variadic,
  }));
  return { name: command.name(), description: command.description(), options, args, subcommands: command.commands.map(describe) };
}

export function register(program: Command, { io, setExit }: CommandContext): void {
  program
    .command('completion')
    .description('print a shell completion script (commands, flags, run ids)')
    .addArgument(new Argument('<shell>', 'the shell').choices(['bash', 'zsh', 'fish']))
    .addHelpText(
      'after',
      '\nExamples:\n  source <(baton completion bash)            # in ~/.bashrc\n  source <(baton completion zsh)             # in ~/.zshrc, after compinit\n  baton completion fish > ~/.config/fish/completions/baton.fish',
    )
    .action(async (shell: 'bash' | 'zsh' | 'fish') => {
      const { printCompletion } = await import('../../app/completion.js');
      setExit(printCompletion(io, shell, program.commands.filter((c) => c.name() !== 'help' && c.name() !== COMPLETE_WORDS_COMMAND).map(describe)));
    });
}
