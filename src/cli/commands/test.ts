// `baton test [FILES|DIRS]`: unit tests for blueprints, run by the real decider with mocked tasks (no process started).
import type { Command } from 'commander';
import type { CommandContext } from '../shared.js';

export function register(program: Command, { io, setExit }: CommandContext): void {
  program
    .command('test')
    .description('run blueprint tests (*.test.yaml): the real decider, with mocked tasks on a virtual clock')
    .argument('[paths...]', 'test files, or folders searched for *.test.yaml (default: the current folder)')
    .option('--json', 'print the results as one JSON document', false)
    .option('--junit <file>', 'also write the results as a JUnit XML report to <file>')
    .addHelpText('after', '\nExamples:\n  baton test\n  baton test workflows/\n  baton test deploy.test.yaml --json\n  baton test --junit reports/blueprints.xml')
    .action(async (paths: string[], opts) => {
      const { runBlueprintTests } = await import('../../app/blueprint-test/run-tests.js');
      setExit(await runBlueprintTests(io, paths, { json: opts.json, ...(opts.junit === undefined ? {} : { junit: opts.junit as string }) }));
    });
}
