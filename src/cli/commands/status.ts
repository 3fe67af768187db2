// `baton status [<run>]`: show a run's task tree, its JSON summary, or watch it until it ends.
import type { Command } from 'commander';
import { type CommandContext, STATE_DIR_HELP } from '../shared.js';

export function register(program: Command, { io, setExit }: CommandContext): void {
  program
    .command('status')
    .description("show a run's tasks as a tree: status, attempts, duration, exit code, and why a task failed")
    .argument('[run]', 'run id, a unique part of one, or `last`', 'last')
    .option('--json', 'print the run summary as one JSON document', false)
    .option('--watch', 'refresh until the run ends', false)
    .option('--exit-status', 'exit 0 if the run completed, 1 if it failed, timed out or was canceled, 3 if not finished', false)
    .option('--state-dir <dir>', STATE_DIR_HELP)
    .addHelpText(
      'after',
      '\nExamples:\n  baton status\n  baton status 20261126T101500Z-hello-k3x9 --json | jq .tasks\n  baton status last --watch\n  baton status "$RUN" --exit-status || echo "not done or not ok"',
    )
    .action(async (run: string, opts) => {
      const { showStatus } = await import('../../app/status.js');
      setExit(await showStatus(io, { run, json: opts.json, watch: opts.watch, exitStatus: opts.exitStatus, stateDir: opts.stateDir }));
    });
}
