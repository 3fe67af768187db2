// `baton rerun <run> --from <task>`: reset a task instance and what follows it, then go on.
import type { Command } from 'commander';
import { withDriveOptions, withEnvFileOption, withExecutor, type CommandContext } from '../shared.js';

export function register(program: Command, { io, setExit }: CommandContext): void {
  withEnvFileOption(withDriveOptions(
    program
      .command('rerun')
      .description('reset a task instance and everything after it, then go on')
      .argument('<run>', 'run id, a unique part of one, or "last"')
      .requiredOption('--from <task>', 'instance key (e.g. build, resize[2].convert) or an id with one instance')
      .option('--reload', "use the blueprint file as it is now instead of the run's copy", false),
  ))
    .addHelpText('after', '\nResets that instance, the later tasks in its list, its enclosing tasks, everything after\nthose, and the handlers; sibling branches keep their results; later loop iterations are\ndropped; vars are recomputed from the set tasks kept.\n\nExamples:\n  baton rerun last --from deploy\n  baton rerun 20261126T101500Z-thumbs-k3x9 --from "resize[3].convert"')
    .action(async (ref: string, opts) => {
      const { rerunFrom } = await import('../../app/resume.js');
      setExit(await withExecutor(io, opts, (flags) => rerunFrom(io, ref, opts.from, { ...flags, reload: Boolean(opts.reload) })));
    });
}
