// A blueprint as a small graph (nodes, edges, nested clusters) that the mermaid and dot renderers draw; optionally coloured by a run.
import { isGraph, type Blueprint, type TaskSpec } from '../blueprint/model.js';
import { childLists, frameLists, type TaskList } from '../blueprint/visit.js';
import { topologicalOrder } from '../engine/core/order.js';
import type { RunState } from '../engine/core/state.js';
import { childKey, keyPattern, subRunPrefix } from '../engine/core/keys.js';
import type { TaskStatus } from '../engine/core/status.js';
import { formatDuration } from './format.js';

export type NodeShape = 'task' | 'set' | 'wait' | 'terminate' | 'for_each' | 'fork' | 'join' | 'switch' | 'loop' | 'workflow';
type ClusterKind = 'body' | 'workflow' | 'handlers' | 'on_failure' | 'finally';

export interface GraphNode {
  id: string;
  /** Lines of text; the first is the task id. */
  label: string[];
  shape: NodeShape;
  /** The instance key with iteration indexes removed (`fe.x`, `wf/c1`): what a run's instances are matched by. */
  pattern: string;
  /** Innermost cluster holding the node, or null at top level. */
  cluster: string | null;
}

interface GraphEdge {
  from: string;
  to: string;
  label?: string;
  /** The loop back-edge: drawn dashed and not used for layout ranking. */
  back?: boolean;
}

export interface GraphCluster {
  id: string;
  label: string;
  kind: ClusterKind;
  parent: string | null;
}

export interface GraphModel {
  title: string;
  nodes: GraphNode[];
  edges: GraphEdge[];
  clusters: GraphCluster[];
}

/** Node id → what its task instances are (aggregated over for_each / loop iterations). */
export type NodeStatuses = Map<string, TaskStatus>;

interface Exit {
  node: string;
  /** Label for the edge leaving through this exit (a switch case with no tasks). */
  label?: string;
}

interface Part {
  entry: string;
  exits: Exit[];
}

const MAX_TEXT = 40;

/** The tasks of a for_each / loop body (the per-item list). */
function bodyOf(spec: TaskSpec): TaskSpec[] {
  return childLists(spec).find((l) => l.nesting === 'per-item')?.tasks ?? [];
}

/** `names`: display names to show instead of a task's `name:` as written (a run's evaluated `${{ }}`). */
export function buildGraph(blueprint: Blueprint, names: ReadonlyMap<TaskSpec, string> = new Map()): GraphModel {
  const builder = new GraphBuilder(names);
  builder.frame(frameLists(blueprint), '', null);
  return { title: blueprint.name, nodes: builder.nodes, edges: builder.edges, clusters: builder.clusters };
}

class GraphBuilder {
  constructor(private readonly names: ReadonlyMap<TaskSpec, string>) {}

  readonly nodes: GraphNode[] = [];
  readonly edges: GraphEdge[] = [];
  readonly clusters: GraphCluster[] = [];

  /** A task list in order: each task's exits lead to the next task's entry. */
  list(specs: TaskSpec[], prefix: string, cluster: string | null): Part | null {
    if (isGraph(specs)) return this.graphList(specs, prefix, cluster);
    let first: Part | null = null;
    let exits: Exit[] = [];
    for (const spec of specs) {
      const part = this.task(spec, prefix, cluster);
      if (first === null) first = part;
      else this.connect(exits, part.entry);
      exits = part.exits;
    }
    return first === null ? null : { entry: first.entry, exits };
  }

  /** A `needs:` list: an edge from each need to the task that needs it; several starting tasks share a fork. */
  private graphList(specs: TaskSpec[], prefix: string, cluster: string | null): Part {
    const parts = new Map<string, Part>();
    for (const spec of topologicalOrder(specs)) {
      const part = this.task(spec, prefix, cluster);
      parts.set(spec.id, part);
      for (const need of spec.needs ?? []) this.connect(parts.get(need)?.exits ?? [], part.entry);
    }
    const needed = new Set(specs.flatMap((s) => s.needs ?? []));
    const roots = specs.filter((s) => (s.needs ?? []).length === 0).map((s) => parts.get(s.id)!.entry);
    const exits = specs.filter((s) => !needed.has(s.id)).flatMap((s) => parts.get(s.id)!.exits);
    if (roots.length === 1) return { entry: roots[0]!, exits };
    const fork = this.node('fork', ['needs'], `${prefix}#needs`, cluster);
    for (const root of roots) this.edge(fork, root);
    return { entry: fork, exits };
  }

  /** A frame's lists: the main tasks in line, the handlers boxed apart. */
  frame(lists: TaskList[], prefix: string, parent: string | null): Part | null {
    const main = lists.find((l) => l.role === 'tasks');
    const part = main ? this.list(main.tasks, prefix, parent) : null;
    const handlers = lists.filter((l) => l.role !== 'tasks' && l.tasks.length > 0);
    if (handlers.length === 0) return part;
    const box = this.cluster('handlers', 'handlers', parent);
    for (const list of handlers) this.list(list.tasks, prefix, this.cluster(list.role as 'on_failure' | 'finally', list.label, box));
    return part;
  }

  private task(spec: TaskSpec, prefix: string, cluster: string | null): Part {
    const pattern = childKey(prefix, spec.id);
    const name = this.names.get(spec) ?? spec.name;
    const title = name && name !== spec.id ? [spec.id, name] : [spec.id];
    const node = (shape: NodeShape, detail: string[] = [], inCluster = cluster): string => this.node(shape, [...title, ...detail], pattern, inCluster);
    switch (spec.kind) {
      case 'run':
      case 'command':
        return single(node('task'));
      case 'set':
        return single(node('set', [`set ${Object.keys(spec.values).join(', ')}`]));
      case 'wait':
        return single(node('wait', [spec.signal !== undefined ? `wait for signal ${spec.signal}` : `wait ${formatDuration(spec.durationMs ?? 0)}`]));
      case 'terminate':
        return single(node('terminate', [`terminate ${spec.status}`]));
      case 'parallel': {
        const fork = node('fork', ['parallel']);
        const join = this.node('join', [`join ${spec.id}`], pattern, cluster);
        for (const branch of childLists(spec)) {
          const part = this.list(branch.tasks, prefix, cluster);
          if (!part) this.edge(fork, join);
          else {
            this.edge(fork, part.entry);
            this.connect(part.exits, join);
          }
        }
        return { entry: fork, exits: [{ node: join }] };
      }
      case 'switch': {
        const decision = node('switch', [`switch ${short(spec.value)}`]);
        const exits: Exit[] = [];
        for (const { label, tasks } of childLists(spec)) {
          const part = this.list(tasks, prefix, cluster);
          if (!part) exits.push({ node: decision, label });
          else {
            this.edge(decision, part.entry, label);
            exits.push(...part.exits);
          }
        }
        return { entry: decision, exits };
      }
      case 'for_each': {
        const each = spec.matrix && Array.isArray(spec.items) ? `matrix of ${spec.items.length}` : `for each ${short(templateText(spec.items))}`;
        const stacked = node('for_each', [each]);
        const body = this.list(bodyOf(spec), `${pattern}.`, this.cluster('body', `${spec.id}: each ${spec.matrix ? 'combination' : 'item'}`, cluster));
        if (!body) return single(stacked);
        this.edge(stacked, body.entry);
        return { entry: stacked, exits: body.exits };
      }
      case 'loop': {
        const head = node('loop', [`loop, at most ${spec.maxIterations}`]);
        const body = this.list(bodyOf(spec), `${pattern}.`, this.cluster('body', `${spec.id}: do … while`, cluster));
        if (!body) return single(head);
        this.edge(head, body.entry);
        for (const exit of body.exits) this.edges.push({ from: exit.node, to: head, label: `while ${short(spec.while)}`, back: true });
        return { entry: head, exits: body.exits };
      }
      case 'workflow': {
        const box = this.cluster('workflow', `${spec.id}: ${spec.child.name} (${spec.path})`, cluster);
        const call = node('workflow', [`workflow ${spec.path}`], box);
        const inner = this.frame(childLists(spec), subRunPrefix(pattern), box);
        if (!inner) return single(call);
        this.edge(call, inner.entry);
        return { entry: call, exits: inner.exits };
      }
    }
  }

  private node(shape: NodeShape, label: string[], pattern: string, cluster: string | null): string {
    const id = `n${this.nodes.length + 1}`;
    this.nodes.push({ id, label, shape, pattern, cluster });
    return id;
  }

  private cluster(kind: ClusterKind, label: string, parent: string | null): string {
    const id = `c${this.clusters.length + 1}`;
    this.clusters.push({ id, label, kind, parent });
    return id;
  }

  private edge(from: string, to: string, label?: string): void {
    this.edges.push(label === undefined ? { from, to } : { from, to, label });
  }

  private connect(exits: Exit[], to: string): void {
    for (const exit of exits) this.edge(exit.node, to, exit.label);
  }
}

function single(node: string): Part {
  return { entry: node, exits: [{ node }] };
}

/** An expression or value as one short line (`${{ }}` wrapper removed). */
function templateText(value: unknown): string {
  if (typeof value !== 'string') return JSON.stringify(value) ?? '';
  const match = /^\s*\$\{\{([\s\S]*)\}\}\s*$/.exec(value);
  return (match ? (match[1] ?? '') : value).trim();
}

function short(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > MAX_TEXT ? `${flat.slice(0, MAX_TEXT - 1)}…` : flat;
}

/** Priority when a node stands for several instances: what needs attention first. */
const AGGREGATE_ORDER: TaskStatus[] = ['running', 'failed', 'timed_out', 'canceled', 'waiting', 'pending', 'completed', 'skipped'];

/** The status of each node in a run: its instances' (a for_each body node shows the most pressing of its items'). */
export function nodeStatuses(model: GraphModel, state: RunState): NodeStatuses {
  const byPattern = new Map<string, Set<TaskStatus>>();
  for (const task of Object.values(state.tasks)) {
    const pattern = keyPattern(task.key);
    const set = byPattern.get(pattern) ?? new Set<TaskStatus>();
    set.add(task.status);
    byPattern.set(pattern, set);
  }
  const statuses: NodeStatuses = new Map();
  for (const node of model.nodes) {
    const seen = byPattern.get(node.pattern);
    if (!seen) continue;
    const onlySkipped = seen.size === 1 && seen.has('skipped');
    const status = onlySkipped ? 'skipped' : AGGREGATE_ORDER.find((s) => s !== 'skipped' && seen.has(s));
    if (status) statuses.set(node.id, status);
  }
  return statuses;
}
