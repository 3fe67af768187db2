// Renders a graph model as Graphviz dot: shapes per task kind, clusters for bodies, sub-runs and handlers, fill colours per status.
import { sanitizeText } from './sanitize.js';
import type { GraphCluster, GraphModel, GraphNode, NodeShape, NodeStatuses } from './graph-model.js';
import { STATUS_COLOURS } from './status-look.js';

const SHAPES: Record<NodeShape, { shape: string; style?: string; peripheries?: number }> = {
  task: { shape: 'box' },
  set: { shape: 'parallelogram' },
  wait: { shape: 'box', style: 'rounded' },
  terminate: { shape: 'doublecircle' },
  for_each: { shape: 'box', peripheries: 2 },
  fork: { shape: 'invtrapezium' },
  join: { shape: 'trapezium' },
  switch: { shape: 'diamond' },
  loop: { shape: 'hexagon' },
  workflow: { shape: 'component' },
};

const CLUSTER_STYLE: Record<GraphCluster['kind'], string> = {
  body: 'dashed',
  workflow: 'solid',
  handlers: 'dotted',
  on_failure: 'dashed',
  finally: 'dashed',
};

function quote(text: string): string {
  return `"${sanitizeText(text).replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

export function renderDot(model: GraphModel, statuses: NodeStatuses | null = null): string {
  const lines = [`digraph ${quote(model.title)} {`, '  rankdir=TB;', '  node [fontname="Helvetica", fontsize=11];', '  edge [fontname="Helvetica", fontsize=10];'];
  const children = new Map<string | null, GraphCluster[]>();
  for (const cluster of model.clusters) children.set(cluster.parent, [...(children.get(cluster.parent) ?? []), cluster]);
  const emit = (cluster: string | null, indent: string): void => {
    for (const node of model.nodes.filter((n) => n.cluster === cluster)) lines.push(`${indent}${nodeLine(node, statuses)}`);
    for (const inner of children.get(cluster) ?? []) {
      lines.push(`${indent}subgraph cluster_${inner.id} {`);
      lines.push(`${indent}  label=${quote(inner.label)}; style=${CLUSTER_STYLE[inner.kind]};`);
      emit(inner.id, `${indent}  `);
      lines.push(`${indent}}`);
    }
  };
  emit(null, '  ');
  for (const edge of model.edges) {
    const attrs: string[] = [];
    if (edge.label !== undefined) attrs.push(`label=${quote(edge.label)}`);
    if (edge.back) attrs.push('style=dashed', 'constraint=false');
    lines.push(`  ${edge.from} -> ${edge.to}${attrs.length > 0 ? ` [${attrs.join(', ')}]` : ''};`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

function nodeLine(node: GraphNode, statuses: NodeStatuses | null): string {
  const look = SHAPES[node.shape];
  const attrs = [`label=${quote(node.label.join('\n'))}`, `shape=${look.shape}`];
  if (look.peripheries) attrs.push(`peripheries=${look.peripheries}`);
  const status = statuses?.get(node.id);
  const styles = [...(look.style ? [look.style] : []), ...(status ? ['filled'] : [])];
  if (styles.length > 0) attrs.push(`style=${quote(styles.join(','))}`);
  if (status) attrs.push(`fillcolor=${quote(STATUS_COLOURS[status].fill)}`, `color=${quote(STATUS_COLOURS[status].stroke)}`);
  return `${node.id} [${attrs.join(', ')}];`;
}
