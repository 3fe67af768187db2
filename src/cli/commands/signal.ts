// `baton signal <run> <task|signal-name>`: complete or fail waiting `wait: {signal}` tasks.
import type { Command } from 'commander';
import { type CommandContext, STATE_DIR_HELP } from '../shared.js';

export function register(program: Command, { io, setExit }: CommandContext): void {
  program
    .command('signal')
    .description('complete (or fail) the wait: {signal} tasks a run is waiting in')
    .argument('<run>', 'run id, a unique part of one, or "last"')
    .argument('<target>', 'an instance key, or a signal name (every task waiting for it)')
    .option('--data <json>', "the waiting task's output, as JSON")
    .option('--fail', 'fail the waiting task instead (an approval gate that says no)', false)
    .option('--reason <text>', 'why, with --fail (becomes the task error)')
    .option('--json', 'print {"run", "keys", "signal", "failed", "delivery"} as one JSON document', false)
    .option('--state-dir <dir>', STATE_DIR_HELP)
    .addHelpText('after', '\nIf nothing is waiting, exit 2 and nothing changes.\n\nExamples:\n  baton signal last approve --data \'{"by": "ana"}\'\n  baton signal last approve --fail --reason "not on a Friday"')
    .action(async (ref: string, target: string, opts) => {
      const { signalRun } = await import('../../app/signal.js');
      setExit(await signalRun(io, ref, target, { data: opts.data, fail: Boolean(opts.fail), reason: opts.reason, stateDir: opts.stateDir, json: Boolean(opts.json) }));
    });
}
