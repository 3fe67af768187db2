// `baton retry <run>`: re-run what failed, timed out or was canceled; keep what completed.
import type { Command } from 'commander';
import { withDriveOptions, withEnvFileOption, withExecutor, type CommandContext } from '../shared.js';

export function register(program: Command, { io, setExit }: CommandContext): void {
  withEnvFileOption(withDriveOptions(
    program
      .command('retry')
      .description('re-run what failed, timed out or was canceled in a finished run; keep what completed')
      .argument('<run>', 'run id, a unique part of one, or "last"')
      .option('--reload', "use the blueprint file as it is now instead of the run's copy", false),
  ))
    .addHelpText('after', '\nFailed tasks get a fresh retry budget; their attempt numbers go on. A failed sub-workflow is\nretried inside the child, not relaunched.\n\nExamples:\n  baton retry last\n  baton retry 20261126T101500Z-deploy-k3x9 --reload --json')
    .action(async (ref: string, opts) => {
      const { retryRun } = await import('../../app/resume.js');
      setExit(await withExecutor(io, opts, (flags) => retryRun(io, ref, { ...flags, reload: Boolean(opts.reload) })));
    });
}
