// `baton logs <run> [<task>]`: print (or follow) the logs of one task instance or of every task.
import type { Command } from 'commander';
import { positiveInt, type CommandContext, STATE_DIR_HELP } from '../shared.js';

export function register(program: Command, { io, setExit }: CommandContext): void {
  program
    .command('logs')
    .description("print a task's log (its stdout to stdout, its stderr to stderr), or every task's with [task] prefixes")
    .argument('<run>', 'run id, a unique part of one, or `last`')
    .argument('[task]', 'an instance key (`build`, `resize[1].convert`, `sub/step`) or a task id naming one instance')
    .option('--attempt <n>', 'that attempt instead of the last', positiveInt)
    .option('--follow', 'keep streaming while the run is running', false)
    .option('--json', 'print {run, task, logs: [{key, attempt, stdout, stderr}]} as one JSON document (with --follow: when it ends)', false)
    .option('--state-dir <dir>', STATE_DIR_HELP)
    .addHelpText(
      'after',
      '\nExamples:\n  baton logs last\n  baton logs last build\n  baton logs 20261126T101500Z-hello-k3x9 "resize[1].convert" --attempt 1\n  baton logs last deploy --follow 2>&1 | grep -i error',
    )
    .action(async (run: string, task: string | undefined, opts) => {
      const { showLogs } = await import('../../app/logs.js');
      setExit(await showLogs(io, { run, task, attempt: opts.attempt, follow: opts.follow, stateDir: opts.stateDir, json: Boolean(opts.json) }));
    });
}
