// `baton graph <blueprint | run>`: draw a workflow as mermaid or Graphviz dot.
import { Option, type Command } from 'commander';
import { type CommandContext, STATE_DIR_HELP } from '../shared.js';

export function register(program: Command, { io, setExit }: CommandContext): void {
  program
    .command('graph')
    .description("draw a blueprint's tasks and control flow; given a run, colour each task by its status")
    .argument('<target>', 'a blueprint file (.yaml / .yml), or a run (id, unique part of one, or `last`)')
    .addOption(new Option('--format <format>', 'output format').choices(['mermaid', 'dot']).default('mermaid'))
    .option('--json', 'print the graph as one JSON document: {title, run, nodes (with status), edges, clusters}', false)
    .option('--state-dir <dir>', STATE_DIR_HELP)
    .addHelpText(
      'after',
      '\nExamples:\n  baton graph workflows/hello.yaml\n  baton graph last --format dot | dot -Tsvg > run.svg\n  baton graph deploy.yaml > docs/deploy.mmd',
    )
    .action(async (target: string, opts) => {
      const { showGraph } = await import('../../app/graph.js');
      setExit(await showGraph(io, { target, format: opts.format, stateDir: opts.stateDir, json: Boolean(opts.json) }));
    });
}
