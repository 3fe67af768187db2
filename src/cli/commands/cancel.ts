// `baton cancel <run>`: stop a run; its tasks are killed, finally runs, it ends canceled.
import type { Command } from 'commander';
import { driveFlags, positiveInt, withDriveOptions, type CommandContext } from '../shared.js';

export function register(program: Command, { io, setExit }: CommandContext): void {
  withDriveOptions(
    program
      .command('cancel')
      .description('stop a run: its running tasks are killed, finally runs, and it ends canceled')
      .argument('<run>', 'run id, a unique part of one, or "last"')
      .option('--wait <seconds>', 'how long to wait for the driver to stop', positiveInt, 60)
      .option('--reload', "(interrupted runs) use the blueprint file as it is now", false),
  )
    .addHelpText('after', '\nExamples:\n  baton cancel last\n  baton cancel 20261126T101500Z-deploy-k3x9 --wait 10')
    .action(async (ref: string, opts) => {
      const { cancelRun } = await import('../../app/cancel.js');
      setExit(await cancelRun(io, ref, { ...driveFlags(opts), reload: Boolean(opts.reload), wait: Number(opts.wait) * 1000 }));
    });
}
