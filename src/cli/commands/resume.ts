// `baton resume <run>`: go on with an interrupted run.
import type { Command } from 'commander';
import { withDriveOptions, withEnvFileOption, withExecutor, type CommandContext } from '../shared.js';

export function register(program: Command, { io, setExit }: CommandContext): void {
  withEnvFileOption(withDriveOptions(
    program
      .command('resume')
      .description('go on with an interrupted run (its driver died or was stopped)')
      .argument('<run>', 'run id, a unique part of one, or "last"')
      .option('--reload', "use the blueprint file as it is now instead of the run's copy", false),
  ))
    .addHelpText('after', '\nTasks that were running when the driver stopped run again as new attempts (not counted\nagainst their retries); completed tasks never run again.\n\nExamples:\n  baton resume last\n  baton resume 20261126T101500Z-deploy-k3x9 --reload')
    .action(async (ref: string, opts) => {
      const { resumeRun } = await import('../../app/resume.js');
      setExit(await withExecutor(io, opts, (flags) => resumeRun(io, ref, { ...flags, reload: Boolean(opts.reload) })));
    });
}
