// `baton graph <blueprint | run>`: the workflow as a mermaid or dot diagram; given a run, nodes coloured by status.
import fs from 'node:fs';
import path from 'node:path';
import { hasErrors } from '../blueprint/diagnostics.js';
import { loadBlueprint } from '../blueprint/load.js';
import type { Blueprint } from '../blueprint/model.js';
import type { RunState } from '../engine/state.js';
import { printDiagnostics } from '../report/diagnostics.js';
import { renderDot } from '../report/graph-dot.js';
import { renderMermaid } from '../report/graph-mermaid.js';
import { buildGraph, nodeStatuses } from '../report/graph-model.js';
import { EXIT, UsageError, type CommandIO } from './io.js';
import { printWarnings, readRunView } from './run-view.js';

export type GraphFormat = 'mermaid' | 'dot';

export interface GraphOptions {
  /** A .yaml / .yml blueprint file, or else a run reference. */
  target: string;
  format: GraphFormat;
  stateDir?: string;
}

export async function showGraph(io: CommandIO, o: GraphOptions): Promise<number> {
  let blueprint: Blueprint;
  let state: RunState | null = null;
  const file = path.resolve(io.cwd, o.target);
  if (isBlueprintFile(file)) {
    const loaded = loadBlueprint(file);
    if (!loaded.blueprint || hasErrors(loaded.diagnostics)) {
      await printDiagnostics(io, loaded.diagnostics, loaded.sources);
      io.stderr.write(`${o.target}: invalid, nothing drawn\n`);
      return EXIT.usage;
    }
    blueprint = loaded.blueprint;
  } else {
    const view = readRunView(io, o.target, o.stateDir);
    printWarnings(io, view.warnings);
    if (!view.blueprint) throw new UsageError(`cannot draw run ${view.state.id}: its blueprint cannot be loaded`);
    blueprint = view.blueprint;
    state = view.state;
  }
  const model = buildGraph(blueprint);
  const statuses = state ? nodeStatuses(model, state) : null;
  io.stdout.write(o.format === 'dot' ? renderDot(model, statuses) : renderMermaid(model, statuses));
  return EXIT.ok;
}

function isBlueprintFile(file: string): boolean {
  if (!/\.ya?ml$/i.test(file)) return false;
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}
