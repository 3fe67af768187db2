// The task tree as in `baton status`: instances under their task, for_each/loop groups collapsible, virtualised.
import { useMemo, useState } from '/vendor/preact-hooks.mjs';
import { html, Link, Status, VirtualList, formatDuration, taskHref } from './view.js';

const FOLD_OVER = 50;

/** Orders keys as a tree: each key under the longest other key that prefixes it at a `[`, `.` or `/`. */
export function buildTree(tasks) {
  const keys = Object.keys(tasks);
  const parentOf = new Map();
  const children = new Map();
  const roots = [];
  for (const key of keys) {
    let parent = null;
    for (let i = key.length - 1; i > 0 && parent == null; i--) {
      const c = key[i];
      if ((c === "[" || c === "." || c === "/") && Object.hasOwn(tasks, key.slice(0, i))) parent = key.slice(0, i);
    }
    parentOf.set(key, parent);
    if (parent == null) roots.push(key);
    else {
      if (!children.has(parent)) children.set(parent, []);
      children.get(parent).push(key);
    }
  }
  // Instances of a for_each or loop sort by their index, keeping first-seen order inside one instance.
  const indexAfter = (parent, key) => {
    const m = /^\[(\d+)\]/.exec(key.slice(parent.length));
    return m ? Number(m[1]) : -1;
  };
  for (const [parent, list] of children) {
    const order = new Map(list.map((k, i) => [k, i]));
    list.sort((a, b) => indexAfter(parent, a) - indexAfter(parent, b) || order.get(a) - order.get(b));
  }
  return { roots, children, parentOf };
}

function countStatuses(keys, tasks) {
  const counts = {};
  for (const k of keys) {
    const s = tasks[k].status;
    counts[s] = (counts[s] || 0) + 1;
  }
  return counts;
}

export function TaskTree({ runId, tasks }) {
  const tree = useMemo(() => buildTree(tasks), [Object.keys(tasks).length, tasks]);
  const [toggled, setToggled] = useState(() => new Set());
  const [query, setQuery] = useState('');
  const isFolded = (key) => {
    const n = tree.children.get(key)?.length || 0;
    const byDefault = n > FOLD_OVER;
    return toggled.has(key) ? !byDefault : byDefault;
  };
  const rows = useMemo(() => {
    const out = [];
    if (query) {
      const q = query.toLowerCase();
      for (const key of Object.keys(tasks)) if (key.toLowerCase().includes(q) || tasks[key].status === q) out.push({ key, depth: 0 });
      return out;
    }
    const walk = (key, depth) => {
      const kids = tree.children.get(key);
      out.push({ key, depth, kids: kids ? kids.length : 0 });
      if (kids && !isFolded(key)) for (const k of kids) walk(k, depth + 1);
    };
    for (const r of tree.roots) walk(r, 0);
    return out;
  }, [tree, tasks, toggled, query]);
  const toggle = (key) => {
    const next = new Set(toggled);
    if (next.has(key)) next.delete(key);
    else next.add(key);
    setToggled(next);
  };
  return html`<div class="tree" id="task-tree">
    <div class="toolbar"><input type="search" placeholder="filter by key or status" value=${query} onInput=${(e) => setQuery(e.currentTarget.value)} /></div>
    <div class="grid-row head tree-grid"><span>Task</span><span>Status</span><span>Attempts</span><span>Duration</span><span>Exit</span></div>
    <${VirtualList} items=${rows} rowHeight=${26} height=${Math.min(560, Math.max(200, rows.length * 26))} renderRow=${(row) => {
      const t = tasks[row.key];
      const folded = row.kids && isFolded(row.key);
      return html`<div class="grid-row tree-grid task-row" data-key=${row.key} data-status=${t.status}>
        <span class="mono ellipsis" style=${`padding-left:${row.depth * 16}px`}>
          ${row.kids ? html`<button class="fold-btn" title=${folded ? 'expand' : 'collapse'} onClick=${() => toggle(row.key)}>${folded ? '▸' : '▾'}</button>` : html`<span class="fold-gap"></span>`}
          <${Link} href=${taskHref(runId, row.key)} title=${row.key}>${row.key}</${Link}>
          ${folded ? html`<span class="muted small"> ${row.kids} inside: ${Object.entries(countStatuses(tree.children.get(row.key), tasks)).map(([s, n]) => `${n} ${s}`).join(', ')}</span>` : null}
        </span>
        <span><${Status} status=${t.status} /></span>
        <span class="num">${t.attempts || ''}</span>
        <span class="num">${formatDuration(t.duration_ms)}</span>
        <span class="num">${t.exit_code ?? ''}</span>
      </div>`;
    }} />
  </div>`;
}
