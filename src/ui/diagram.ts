// The run page's diagram: the graph command's model laid out with dagre (clusters as compound nodes), coloured by a run.
import dagre, { type NodeLabel } from '@dagrejs/dagre';
import { keyPattern } from '../engine/core/keys.js';
import type { RunState } from '../engine/core/state.js';
import type { TaskStatus } from '../engine/core/status.js';
import { nodeStatuses, type GraphModel } from '../report/graph-model.js';

export interface DiagramNode {
  id: string;
  /** The instance key pattern (iteration indexes removed: `fe.x`); a cluster's is ''. */
  key: string;
  label: string;
  /** The node's shape (`task`, `for_each`, `fork`, …), or `cluster` for a box (body, sub-workflow, handlers). */
  kind: string;
  status: TaskStatus | null;
  /** Top-left corner and size. */
  x: number;
  y: number;
  width: number;
  height: number;
  /** The cluster holding it, or null. */
  parent: string | null;
  /** Instances per status: a for_each body task stands for every item's instance. */
  counts: Partial<Record<TaskStatus, number>>;
}

export interface Diagram {
  nodes: DiagramNode[];
  edges: { from: string; to: string; label?: string; back?: boolean; points: { x: number; y: number }[] }[];
  width: number;
  height: number;
}

interface Layout {
  nodes: Omit<DiagramNode, 'status' | 'counts'>[];
  edges: Diagram['edges'];
  width: number;
  height: number;
}

const CHAR_WIDTH = 7.5;
const LINE_HEIGHT = 18;

/** Lays the model out once (it depends only on the blueprint); a run's statuses are added per request by `colour`. */
export function layoutGraph(model: GraphModel): Layout {
  const g = new dagre.graphlib.Graph({ compound: true, multigraph: true });
  g.setGraph({ rankdir: 'TB', nodesep: 30, ranksep: 40, marginx: 10, marginy: 10 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const c of model.clusters) g.setNode(c.id, { label: c.label, width: 0, height: 0, paddingTop: 24 } as NodeLabel);
  for (const n of model.nodes) {
    const longest = Math.max(...n.label.map((l) => l.length));
    g.setNode(n.id, { width: Math.max(80, Math.ceil(longest * CHAR_WIDTH) + 24), height: n.label.length * LINE_HEIGHT + 16 });
  }
  for (const c of model.clusters) if (c.parent) g.setParent(c.id, c.parent);
  for (const n of model.nodes) if (n.cluster) g.setParent(n.id, n.cluster);
  model.edges.forEach((e, i) => g.setEdge(e.from, e.to, {}, `e${i}`));
  dagre.layout(g);
  const box = (id: string): { x: number; y: number; width: number; height: number } => {
    const l = g.node(id) as NodeLabel;
    const width = l.width ?? 0;
    const height = l.height ?? 0;
    return { x: (l.x ?? 0) - width / 2, y: (l.y ?? 0) - height / 2, width, height };
  };
  const nodes: Layout['nodes'] = [
    ...model.clusters.map((c) => ({ id: c.id, key: '', label: c.label, kind: 'cluster', parent: c.parent, ...box(c.id) })),
    ...model.nodes.map((n) => ({ id: n.id, key: n.pattern, label: n.label.join('\n'), kind: n.shape, parent: n.cluster, ...box(n.id) })),
  ];
  const edges = model.edges.map((e, i) => {
    const l = g.edge({ v: e.from, w: e.to, name: `e${i}` }) as { points?: { x: number; y: number }[] } | undefined;
    return { ...e, points: (l?.points ?? []).map((p) => ({ x: Math.round(p.x), y: Math.round(p.y) })) };
  });
  const graph = g.graph() as { width?: number; height?: number };
  return { nodes, edges, width: Math.ceil(graph.width ?? 0), height: Math.ceil(graph.height ?? 0) };
}

/** The laid-out diagram with each node's status and its instances' counts per status in `state`. */
export function colourDiagram(layout: Layout, model: GraphModel, state: RunState | null): Diagram {
  const statuses = state ? nodeStatuses(model, state) : new Map<string, TaskStatus>();
  const counts = new Map<string, Partial<Record<TaskStatus, number>>>();
  if (state) {
    for (const task of Object.values(state.tasks)) {
      const pattern = keyPattern(task.key);
      const c = counts.get(pattern) ?? {};
      c[task.status] = (c[task.status] ?? 0) + 1;
      counts.set(pattern, c);
    }
  }
  return {
    nodes: layout.nodes.map((n) => ({ ...n, status: statuses.get(n.id) ?? null, counts: n.kind === 'cluster' ? {} : (counts.get(n.key) ?? {}) })),
    edges: layout.edges,
    width: layout.width,
    height: layout.height,
  };
}
