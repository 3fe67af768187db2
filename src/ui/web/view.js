// Shared view helpers: the htm binding, time and duration formats, status badges and a virtualised list.
import { h } from '/vendor/preact.mjs';
import { useEffect, useRef, useState } from '/vendor/preact-hooks.mjs';
import htm from '/vendor/htm.mjs';

export const html = htm.bind(h);

export const STATUSES = ['running', 'waiting', 'completed', 'failed', 'timed_out', 'canceled', 'interrupted', 'pending', 'skipped'];

export function formatDuration(ms) {
  if (ms == null || !Number.isFinite(ms)) return '';
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(s < 10 ? 2 : 1)}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${Math.round(s - m * 60)}s`;
  return `${Math.floor(m / 60)}h ${m % 60}m`;
}

export function formatTime(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** Milliseconds from start to end, or to now while unfinished. */
export function elapsed(startedAt, endedAt) {
  if (!startedAt) return null;
  const end = endedAt ? Date.parse(endedAt) : Date.now();
  return Math.max(0, end - Date.parse(startedAt));
}

export function Status({ status }) {
  const s = status || 'pending';
  return html`<span class=${`badge s-${s}`} data-status=${s}>${s.replace('_', ' ')}</span>`;
}

/** A list that renders only the rows in view (fixed row height), so 10,000 rows stay cheap. */
export function VirtualList({ items, rowHeight = 26, height = 420, renderRow, className = '' }) {
  const ref = useRef(null);
  const [top, setTop] = useState(0);
  const total = items.length * rowHeight;
  const viewport = Math.min(height, Math.max(total, rowHeight));
  const first = Math.max(0, Math.floor(top / rowHeight) - 5);
  const last = Math.min(items.length, Math.ceil((top + viewport) / rowHeight) + 5);
  useEffect(() => {
    if (ref.current && ref.current.scrollTop > total) ref.current.scrollTop = 0;
  }, [total]);
  const rows = [];
  for (let i = first; i < last; i++) {
    rows.push(html`<div class="vrow" key=${i} style=${`top:${i * rowHeight}px;height:${rowHeight}px`}>${renderRow(items[i], i)}</div>`);
  }
  return html`<div class=${`vlist ${className}`} ref=${ref} style=${`height:${viewport}px`} onScroll=${(e) => setTop(e.currentTarget.scrollTop)}>
    <div class="vinner" style=${`height:${total}px`}>${rows}</div>
  </div>`;
}

/** A link that navigates through the history API. */
export function Link({ href, children, className, title }) {
  return html`<a href=${href} class=${className} title=${title} onClick=${(e) => {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(href);
  }}>${children}</a>`;
}

export function navigate(href) {
  history.pushState(null, '', href);
  dispatchEvent(new PopStateEvent('popstate'));
}

export function runHref(id) {
  return `/runs/${encodeURIComponent(id)}`;
}

export function taskHref(id, key) {
  return `/runs/${encodeURIComponent(id)}/tasks/${encodeURIComponent(key)}`;
}

/** Calls fn at most once per `ms` (a number, or a function giving it), always running the last call. */
export function throttle(fn, ms) {
  const gap = typeof ms === 'function' ? ms : () => ms;
  let timer = null;
  let pending = false;
  let last = 0;
  const fire = () => {
    timer = null;
    pending = false;
    last = Date.now();
    fn();
  };
  const call = () => {
    pending = true;
    if (timer) return;
    timer = setTimeout(fire, Math.max(0, gap() - (Date.now() - last)));
  };
  call.cancel = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    pending = false;
  };
  call.pending = () => pending;
  return call;
}
