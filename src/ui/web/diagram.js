// The run's diagram: nodes and edges laid out by the server, drawn as SVG, coloured by live status.
import { useState } from '/vendor/preact-hooks.mjs';
import { html, navigate, taskHref } from './view.js';

const COUNT_ORDER = ['running', 'waiting', 'completed', 'failed', 'timed_out', 'canceled', 'interrupted', 'pending', 'skipped'];
const LINE_HEIGHT = 18;

function total(counts) {
  let n = 0;
  for (const k in counts || {}) n += counts[k];
  return n;
}

export function countsText(counts) {
  return COUNT_ORDER.filter((s) => counts && counts[s]).map((s) => `${counts[s]} ${s.replace('_', ' ')}`).join(' · ');
}

function pathOf(points) {
  if (!points || points.length === 0) return '';
  return points.map((p, i) => `${i ? 'L' : 'M'}${p.x},${p.y}`).join(' ');
}

/** A thin bar along the bottom of a node: one segment per status, sized by its share of the instances. */
function CountBar({ n, counts }) {
  const sum = total(counts);
  let x = n.x + 4;
  const w = n.width - 8;
  return COUNT_ORDER.filter((s) => counts[s]).map((s) => {
    const width = (counts[s] / sum) * w;
    const seg = html`<rect class=${`seg f-${s}`} x=${x} y=${n.y + n.height - 6} width=${width} height="3" />`;
    x += width;
    return seg;
  });
}

export function Diagram({ runId, diagram, tasks }) {
  const [collapsed, setCollapsed] = useState(() => new Set());
  if (!diagram || !diagram.nodes || diagram.nodes.length === 0) return html`<p class="muted">No diagram.</p>`;
  const byId = new Map(diagram.nodes.map((n) => [n.id, n]));
  const hidden = (n) => {
    for (let p = n.parent; p; p = byId.get(p)?.parent) if (collapsed.has(p)) return true;
    return false;
  };
  const statusOf = (n) => (n.key && tasks && Object.hasOwn(tasks, n.key) ? tasks[n.key].status : n.status) || 'pending';
  const toggle = (id) => {
    const next = new Set(collapsed);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setCollapsed(next);
  };
  const open = (n) => {
    if (n.key && tasks && Object.hasOwn(tasks, n.key)) navigate(taskHref(runId, n.key));
  };
  const visible = diagram.nodes.filter((n) => !hidden(n));
  const shown = new Set(visible.map((n) => n.id));
  const clusters = visible.filter((n) => n.kind === 'cluster');
  const leaves = visible.filter((n) => n.kind !== 'cluster');
  const edges = diagram.edges.filter((e) => shown.has(e.from) && shown.has(e.to));
  const inside = (id) => diagram.nodes.filter((n) => n.kind !== 'cluster' && n.parent === id);
  return html`<div class="diagram-wrap">
    <svg class="diagram" id="diagram" width=${diagram.width} height=${diagram.height} viewBox=${`0 0 ${diagram.width} ${diagram.height}`} role="img" aria-label="run diagram">
      <defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" class="arrowhead" /></marker></defs>
      ${clusters.map((n) => {
        const isCollapsed = collapsed.has(n.id);
        const kids = isCollapsed ? inside(n.id) : [];
        const sum = {};
        for (const k of kids) for (const s in k.counts || {}) sum[s] = (sum[s] || 0) + k.counts[s];
        return html`<g class="cluster" data-node=${n.id}>
          <rect x=${n.x} y=${n.y} width=${n.width} height=${n.height} rx="8" />
          <text x=${n.x + 8} y=${n.y + 16} class="cluster-label fold" onClick=${() => toggle(n.id)}>${isCollapsed ? '▸ ' : '▾ '}${n.label}<title>collapse / expand</title></text>
          ${isCollapsed ? html`<text x=${n.x + 8} y=${n.y + 34} class="counts">${countsText(sum) || 'collapsed'}</text>` : null}
        </g>`;
      })}
      ${edges.map((e) => html`<path class=${e.back ? 'edge back' : 'edge'} d=${pathOf(e.points)} marker-end="url(#arrow)" />`)}
      ${leaves.map((n) => {
        const s = statusOf(n);
        const clickable = n.key && tasks && Object.hasOwn(tasks, n.key);
        const lines = String(n.label).split('\n');
        const many = total(n.counts) > 1;
        const top = n.y + n.height / 2 - ((lines.length - 1) * LINE_HEIGHT) / 2 + 4;
        return html`<g class=${`node n-${s} k-${n.kind}${clickable ? ' clickable' : ''}${many ? ' many' : ''}`} data-node=${n.id} data-key=${n.key || ''} data-status=${s} onClick=${() => open(n)}>
          ${many ? html`<rect class="stack" x=${n.x + 4} y=${n.y - 4} width=${n.width} height=${n.height} rx="4" />` : null}
          <rect class="box" x=${n.x} y=${n.y} width=${n.width} height=${n.height} rx=${n.kind === 'rounded' || n.kind === 'wait' ? 14 : 4} />
          ${lines.map((line, i) => html`<text x=${n.x + n.width / 2} y=${top + i * LINE_HEIGHT} text-anchor="middle" class=${i ? 'sub' : ''}>${line}</text>`)}
          ${many ? html`<${CountBar} n=${n} counts=${n.counts} />
            <text x=${n.x + n.width / 2} y=${n.y + n.height + 13} text-anchor="middle" class="counts">${countsText(n.counts)}</text>` : null}
          <title>${n.label} — ${s}${many ? ` — ${countsText(n.counts)}` : ''}</title>
        </g>`;
      })}
    </svg>
  </div>`;
}
