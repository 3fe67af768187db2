// `baton graph <blueprint | run>`: the workflow as a mermaid or dot diagram; given a run, nodes coloured by status.
import fs from 'node:fs';
import path from 'node:path';
import { BlueprintError, hasErrors } from '../blueprint/diagnostics.js';
import { loadBlueprint } from '../blueprint/load.js';
import type { Blueprint, TaskSpec } from '../blueprint/model.js';
import { frameLists, walkTasks, withinBlueprint } from '../blueprint/visit.js';
import { renderText, rootNames, splitTemplate, type EvalContext } from '../expr/index.js';
import type { RunState } from '../engine/core/state.js';
import { renderDot } from '../report/graph-dot.js';
import { renderMermaid } from '../report/graph-mermaid.js';
import { diagnosticsJson, printDiagnostics } from '../report/diagnostics.js';
import { buildGraph, nodeStatuses, type GraphModel, type NodeStatuses } from '../report/graph-model.js';
import { EXIT, type CommandIO } from './io.js';
import { printWarnings, readRunView } from './run-view.js';

type GraphFormat = 'mermaid' | 'dot';

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
    if (!view.blueprint) throw new BlueprintError(`cannot draw run ${view.state.id}: its blueprint cannot be loaded`);
    blueprint = view.blueprint;
    state = view.state;
  }
  const model = buildGraph(blueprint, state ? await runNames(blueprint, state) : new Map());
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

/** Names a task instance binds: a name reading them differs per instance, so one graph node shows it as written. */
const INSTANCE_NAMES = ['tasks', 'item', 'index', 'iteration'] as const;

/**
 * A run's task names that hold `${{ }}`, evaluated with what the run had (inputs, vars, env); a name that reads a
 * task or a body's item stays as written. Only the run's own tasks: a sub-run has inputs of its own.
 */
export async function runNames(bp: Blueprint, state: RunState): Promise<Map<TaskSpec, string>> {
  const names = new Map<TaskSpec, string>();
  const ctx: EvalContext = {
    inputs: state.inputs,
    env: { ...process.env },
    vars: state.vars,
    tasks: {},
    run: { id: state.id, name: bp.name, dir: '', invocation_dir: state.invocation_dir, started_at: state.started_at, status: state.status, error: state.error },
  };
  for (const { spec } of walkTasks(frameLists(bp), withinBlueprint)) {
    if (spec.name?.includes('${{') && perRun(spec.name)) {
      try {
        names.set(spec, await renderText(spec.name, ctx));
      } catch {
        // An expression that fails here is shown as written.
      }
    }
  }
  return names;
}

function perRun(name: string): boolean {
  const { parts, error } = splitTemplate(name);
  return !error && parts.every((part) => part.kind !== 'expr' || rootNames(part.source, INSTANCE_NAMES).length === 0);
}
