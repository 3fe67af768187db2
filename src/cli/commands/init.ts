// `baton init`: write a starter baton.yaml and ignore .baton/ in git.
import type { Command } from 'commander';
import type { CommandContext } from '../shared.js';

export function register(program: Command, { io, setExit }: CommandContext): void {
  program
    .command('init')
    .description('write a commented starter blueprint baton.yaml here and add .baton/ to .gitignore')
    .addHelpText('after', '\nRefuses to overwrite an existing baton.yaml or .baton.yaml (exit 2).\n\nExamples:\n  baton init && baton run')
    .action(async () => {
      const { initProject } = await import('../../app/init.js');
      setExit(initProject(io));
    });
}
