// `baton graph <blueprint | run>`: the workflow as a mermaid or dot diagram; given a run, nodes coloured by status.
import fs from 'node:fs';
import path from 'node:path';
import { hasErrors } from '../blueprint/diagnostics.js';
import { loadBlueprint } from '../blueprint/load.js';
import type { Blueprint } from '../blueprint/model.js';
import type { RunState } from '../engine/state.js';
import { renderDot } from '../report/graph-dot.js';
import { renderMermaid } from '../report/graph-mermaid.js';
import { diagnosticsJson, printDiagnostics } from '../report/diagnostics.js';
import { buildGraph, nodeStatuses, type GraphModel, type NodeStatuses } from '../report/graph-model.js';
import { EXIT, UsageError, type CommandIO } from './io.js';
import { printWarnings, readRunView } from './run-view.js';

export type GraphFormat = 'mermaid' | 'dot';

export interface GraphOptions {
  /** A .yaml / .yml blueprint file, or else a run reference. */
  target: string;
  format: GraphFormat;
  stateDir?: string;
  /** One JSON document on stdout: the graph's nodes (with each run status), edges and clusters, or the error. */
  json?: boolean;
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
      if (o.json) io.stdout.write(`${JSON.stringify({ error: `${o.target}: invalid, nothing drawn`, diagnostics: diagnosticsJson(loaded.diagnostics, loaded.sources) }, null, 2)}\n`);
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
  if (o.json) io.stdout.write(`${JSON.stringify(graphJson(model, statuses, state), null, 2)}\n`);
  else io.stdout.write(o.format === 'dot' ? renderDot(model, statuses) : renderMermaid(model, statuses));
  return EXIT.ok;
}

function graphJson(model: GraphModel, statuses: NodeStatuses | null, state: RunState | null): unknown {
  return {
    title: model.title,
    run: state ? state.id : null,
    nodes: model.nodes.map((n) => ({ ...n, ...(statuses ? { status: statuses.get(n.id) ?? null } : {}) })),
    edges: model.edges,
    clusters: model.clusters,
  };
}

function isBlueprintFile(file: string): boolean {
  if (!/\.ya?ml$/i.test(file)) return false;
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}
