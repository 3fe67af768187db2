// The timeline: one row per task instance, a Gantt bar per attempt (retries side by side), virtualised.
import { useMemo } from '/vendor/preact-hooks.mjs';
import { html, Link, VirtualList, formatDuration, taskHref } from './view.js';

export function Timeline({ runId, timeline, now, version }) {
  const { rows, start, span } = useMemo(() => {
    const byKey = new Map();
    let min = Infinity;
    let max = -Infinity;
    for (const a of timeline || []) {
      if (!a.startedAt) continue;
      const s = Date.parse(a.startedAt);
      const e = a.endedAt ? Date.parse(a.endedAt) : now;
      if (s < min) min = s;
      if (e > max) max = e;
      let row = byKey.get(a.key);
      if (!row) byKey.set(a.key, (row = { key: a.key, attempts: [] }));
      row.attempts.push({ ...a, s, e });
    }
    return { rows: [...byKey.values()], start: min, span: Math.max(1, max - min) };
  }, [timeline, now, version]);
  if (rows.length === 0) return html`<p class="muted">No attempts yet.</p>`;
  return html`<div class="timeline" id="timeline">
    <div class="grid-row head tl-grid"><span>Task</span><span>0 → ${formatDuration(span)}</span></div>
    <${VirtualList} items=${rows} rowHeight=${22} height=${300} renderRow=${(row) => html`<div class="grid-row tl-grid">
      <span class="mono ellipsis small"><${Link} href=${taskHref(runId, row.key)} title=${row.key}>${row.key}</${Link}></span>
      <span class="tl-track">${row.attempts.map((a) => html`<span class=${`tl-bar s-${a.status}`} data-attempt=${a.attempt}
        style=${`left:${((a.s - start) / span) * 100}%;width:${Math.max(0.3, ((a.e - a.s) / span) * 100)}%`}
        title=${`${row.key} attempt ${a.attempt}: ${a.status}, ${formatDuration(a.e - a.s)}`}>${row.attempts.length > 1 ? `#${a.attempt}` : ''}</span>`)}</span>
    </div>`} />
  </div>`;
}
