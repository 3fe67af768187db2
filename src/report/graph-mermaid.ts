// Renders a graph model as a mermaid flowchart: shapes per task kind, subgraphs for bodies, sub-runs and handlers, classDefs per status.
import { sanitizeText } from './sanitize.js';
import type { TaskStatus } from '../engine/core/status.js';
import type { GraphCluster, GraphModel, NodeShape, NodeStatuses } from './graph-model.js';
import { STATUS_COLOURS } from './status-look.js';

const SHAPES: Record<NodeShape, [string, string]> = {
  task: ['["', '"]'],
  set: ['[/"', '"/]'],
  wait: ['("', '")'],
  terminate: ['((("', '")))'],
  for_each: ['[["', '"]]'],
  fork: ['[/"', '"\\]'],
  join: ['[\\"', '"/]'],
  switch: ['{"', '"}'],
  loop: ['{{"', '"}}'],
  workflow: ['(["', '"])'],
};

/** Mermaid text inside quotes: quotes, angle brackets and pipes as entity codes. */
function escape(text: string): string {
  return sanitizeText(text).replace(/#/g, '#35;').replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;').replace(/\|/g, '#124;');
}

export function renderMermaid(model: GraphModel, statuses: NodeStatuses | null = null): string {
  const lines = ['---', `title: ${JSON.stringify(sanitizeText(model.title))}`, '---', 'flowchart TD'];
  const children = new Map<string | null, GraphCluster[]>();
  for (const cluster of model.clusters) children.set(cluster.parent, [...(children.get(cluster.parent) ?? []), cluster]);
  const emit = (cluster: string | null, indent: string): void => {
    for (const node of model.nodes.filter((n) => n.cluster === cluster)) {
      const [open, close] = SHAPES[node.shape];
      lines.push(`${indent}${node.id}${open}${node.label.map(escape).join('<br/>')}${close}`);
    }
    for (const inner of children.get(cluster) ?? []) {
      lines.push(`${indent}subgraph ${inner.id}["${escape(inner.label)}"]`);
      emit(inner.id, `${indent}  `);
      lines.push(`${indent}end`);
    }
  };
  emit(null, '  ');
  for (const edge of model.edges) {
    const arrow = edge.back ? '-.->' : '-->';
    lines.push(`  ${edge.from} ${arrow}${edge.label !== undefined ? `|"${escape(edge.label)}"|` : ''} ${edge.to}`);
  }
  for (const cluster of model.clusters) {
    if (cluster.kind !== 'workflow') lines.push(`  style ${cluster.id} stroke-dasharray: 5 5`);
  }
  if (statuses) lines.push(...statusClasses(statuses));
  return `${lines.join('\n')}\n`;
}

function statusClasses(statuses: NodeStatuses): string[] {
  const byStatus = new Map<TaskStatus, string[]>();
  for (const [node, status] of statuses) byStatus.set(status, [...(byStatus.get(status) ?? []), node]);
  const lines: string[] = [];
  for (const [status, nodes] of byStatus) {
    const { fill, stroke } = STATUS_COLOURS[status];
    lines.push(`  classDef ${status} fill:${fill},stroke:${stroke},color:#000`);
    lines.push(`  class ${nodes.join(',')} ${status}`);
  }
  return lines;
}
