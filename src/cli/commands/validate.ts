// `baton validate <blueprint...>`: check blueprints without running anything.
import type { Command } from 'commander';
import type { CommandContext } from '../shared.js';

export function register(program: Command, { io, setExit }: CommandContext): void {
  program
    .command('validate')
    .description('check blueprints and report every problem, without running anything')
    .argument('<blueprint...>', 'blueprint files')
    .option('--json', 'print the diagnostics as one JSON document', false)
    .option('--no-ci-annotations', 'inside GitHub Actions: no ::error / ::warning annotations')
    .addHelpText('after', '\nExamples:\n  baton validate workflows/*.yaml\n  baton validate deploy.yaml --json | jq .files[0].diagnostics')
    .action(async (files: string[], opts) => {
      const { validateFiles } = await import('../../app/validate.js');
      setExit(await validateFiles(io, files, opts.json, opts.ciAnnotations !== false));
    });
}
