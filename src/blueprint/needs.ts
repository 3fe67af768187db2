// `needs:` checks: each name is a task of the same list, not the task itself, and the list's needs form no cycle.
import { isSeq, type Node } from 'yaml';
import { errorAt } from './diagnostics.js';
import { field, type ConvertContext, type TaskSite } from './convert-context.js';
import { didYouMean } from './suggest.js';
import { rangeOf, resolveNode } from './yaml-nodes.js';

/** A graph list: its task ids by position in the list (sparse where an item is no task), and what each id needs (only names that passed the checks). */
export interface ListGraph {
  ids: string[];
  needs: Map<string, string[]>;
}

function listOf(site: TaskSite): string {
  return site.path[site.path.length - 1]?.list ?? '';
}

/** Checks every `needs:` and returns the graph lists by list name, for the scope check of `tasks.<id>`. */
export function checkNeeds(ctx: ConvertContext): Map<string, ListGraph> {
  const byList = new Map<string, TaskSite[]>();
  for (const site of ctx.sites) {
    if (ctx.ids.get(site.id) !== site) continue;
    const list = listOf(site);
    byList.set(list, [...(byList.get(list) ?? []), site]);
  }
  const graphs = new Map<string, ListGraph>();
  const itemNodes = new Map<string, Map<string, Node>>();
  for (const site of ctx.sites) {
    const raw = field(ctx, site.node, 'needs');
    if (raw === undefined || ctx.ids.get(site.id) !== site) continue;
    const node = resolveNode(raw, ctx.doc);
    const list = listOf(site);
    const siblings = byList.get(list) ?? [];
    if (list === 'finally') {
      ctx.diagnostics.push(errorAt('needs-in-finally', '`needs` does not apply in `finally`: every `finally` task runs, in order', rangeOf(node, ctx.file)));
      continue;
    }
    let graph = graphs.get(list);
    if (!graph) {
      const ids: string[] = [];
      for (const s of siblings) ids[s.path[s.path.length - 1]?.pos ?? 0] = s.id;
      graphs.set(list, (graph = { ids, needs: new Map() }));
    }
    const own: string[] = [];
    const nodes = new Map<string, Node>();
    for (const item of isSeq(node) ? node.items : [node]) {
      const itemNode = resolveNode(item, ctx.doc);
      const name = itemNode && 'value' in itemNode && typeof itemNode.value === 'string' ? itemNode.value : null;
      if (name === null || ctx.invalid.has(itemNode as Node)) continue;
      const range = rangeOf(itemNode, ctx.file);
      const target = ctx.ids.get(name);
      if (name === site.id) {
        ctx.diagnostics.push(errorAt('needs-self', `task \`${site.id}\` needs itself`, range));
      } else if (!target) {
        const hint = didYouMean(name, siblings.map((s) => s.id)) || didYouMean(name, ctx.ids.keys());
        ctx.diagnostics.push(errorAt('needs-unknown', `\`needs\`: no task has the id \`${name}\`${hint}`, range));
      } else if (listOf(target) !== list) {
        const message = `\`needs\`: \`${name}\` is not in the same list as \`${site.id}\`: a task can need only tasks of its own list`;
        ctx.diagnostics.push(errorAt('needs-outside-list', message, range, [{ message: `\`${name}\` is defined here`, range: target.idRange }]));
      } else if (!own.includes(name)) {
        own.push(name);
        nodes.set(name, itemNode as Node);
      }
    }
    graph.needs.set(site.id, own);
    itemNodes.set(site.id, nodes);
  }
  for (const graph of graphs.values()) reportCycle(ctx, graph, itemNodes);
  return graphs;
}

/** One error per cycle, at the `needs` entry that closes it, naming its path (`a → b → a`). */
function reportCycle(ctx: ConvertContext, graph: ListGraph, itemNodes: Map<string, Map<string, Node>>): void {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (id: string): void => {
    state.set(id, 'open');
    stack.push(id);
    for (const need of graph.needs.get(id) ?? []) {
      if (state.get(need) === 'open') {
        const path = [...stack.slice(stack.indexOf(need)), need];
        const node = itemNodes.get(id)?.get(need) ?? null;
        ctx.diagnostics.push(errorAt('needs-cycle', `\`needs\` form a cycle: ${path.map((p) => `\`${p}\``).join(' → ')}`, rangeOf(node, ctx.file)));
        graph.needs.set(id, (graph.needs.get(id) ?? []).filter((n) => n !== need));
      } else if (!state.has(need)) visit(need);
    }
    stack.pop();
    state.set(id, 'done');
  };
  for (const id of graph.ids) if (id !== undefined && !state.has(id)) visit(id);
}

/** Every task `id` waits for, directly or through others. */
export function transitiveNeeds(graph: ListGraph, id: string): Set<string> {
  const out = new Set<string>();
  const walk = (from: string): void => {
    for (const need of graph.needs.get(from) ?? []) {
      if (out.has(need)) continue;
      out.add(need);
      walk(need);
    }
  };
  walk(id);
  return out;
}
