// The runs list: newest first, filtered by status / workflow / id search (kept in the URL), updated live.
import { useEffect, useMemo, useRef, useState } from '/vendor/preact-hooks.mjs';
import { html, Link, Status, VirtualList, formatDuration, formatTime, elapsed, runHref, STATUSES } from './view.js';
import { api } from './api.js';
import { useLive } from './live.js';

const RUN_STATUSES = STATUSES.filter((s) => s !== 'pending' && s !== 'skipped');

function readFilter(search) {
  const p = new URLSearchParams(search);
  return { status: p.get('status') || '', workflow: p.get('workflow') || '', q: p.get('q') || '' };
}

function matches(run, f) {
  if (f.status && run.status !== f.status) return false;
  if (f.workflow && run.workflow !== f.workflow) return false;
  if (f.q && !String(run.id).toLowerCase().includes(f.q.toLowerCase())) return false;
  return true;
}

function newestFirst(a, b) {
  const ta = Date.parse(a.startedAt) || 0;
  const tb = Date.parse(b.startedAt) || 0;
  return tb - ta || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}

export function RunsPage({ search }) {
  const [filter, setFilter] = useState(() => readFilter(search));
  const [runs, setRuns] = useState(null);
  const [error, setError] = useState(null);
  const workflows = useRef(new Set());
  const [, tick] = useState(0);

  useEffect(() => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(filter)) if (v) q.set(k, v);
    const qs = q.toString();
    const want = `/${qs ? `?${qs}` : ''}`;
    if (location.pathname + location.search !== want) history.replaceState(null, '', want);
    const ctrl = new AbortController();
    const t = setTimeout(() => {
      api.runs(filter, ctrl.signal).then((doc) => {
        for (const r of doc.runs) workflows.current.add(r.workflow);
        setRuns(doc.runs);
        setError(null);
      }, (e) => {
        if (e.name !== 'AbortError') setError(e.message);
      });
    }, filter.q ? 150 : 0);
    return () => {
      clearTimeout(t);
      ctrl.abort();
    };
  }, [filter.status, filter.workflow, filter.q]);

  // A run event replaces the row of that run (or adds it when it matches the filter).
  const filterRef = useRef(filter);
  filterRef.current = filter;
  useLive(null, {
    // The whole list on (re)connecting: it replaces ours, filtered as the page is (it may hold runs missed meanwhile).
    runs: (doc) => {
      if (!doc || !Array.isArray(doc.runs)) return;
      for (const r of doc.runs) workflows.current.add(r.workflow);
      setRuns(doc.runs.filter((r) => matches(r, filterRef.current)).sort(newestFirst));
    },
    remove: (msg) => {
      if (msg && typeof msg.id === 'string') setRuns((list) => (list ? list.filter((r) => r.id !== msg.id) : list));
    },
    run: (row) => {
      if (!row || typeof row.id !== 'string') return;
      if (!workflows.current.has(row.workflow)) {
        workflows.current.add(row.workflow);
        tick((n) => n + 1);
      }
      setRuns((list) => {
        if (!list) return list;
        const rest = list.filter((r) => r.id !== row.id);
        if (!matches(row, filterRef.current)) return rest.length === list.length ? list : rest;
        return [row, ...rest].sort(newestFirst);
      });
    },
  }, []);

  // Unfinished runs show their elapsed time ticking.
  useEffect(() => {
    const t = setInterval(() => tick((n) => n + 1), 1000);
    return () => clearInterval(t);
  }, []);

  const set = (k) => (e) => setFilter({ ...filter, [k]: e.currentTarget.value });
  const wfList = useMemo(() => [...workflows.current].sort(), [runs, workflows.current.size]);

  return html`<section class="card">
    <div class="toolbar">
      <h1>Runs</h1>
      <span class="spacer"></span>
      <input type="search" id="run-search" placeholder="search run id" value=${filter.q} onInput=${set('q')} />
      <select id="status-filter" value=${filter.status} onChange=${set('status')}>
        <option value="">all statuses</option>
        ${RUN_STATUSES.map((s) => html`<option value=${s}>${s}</option>`)}
      </select>
      <select id="workflow-filter" value=${filter.workflow} onChange=${set('workflow')}>
        <option value="">all workflows</option>
        ${wfList.map((w) => html`<option value=${w}>${w}</option>`)}
      </select>
    </div>
    ${error ? html`<div class="error-banner">${error}</div>` : null}
    ${runs == null && !error ? html`<p class="muted">Loading…</p>` : null}
    ${runs && runs.length === 0 ? html`<p class="muted" id="no-runs">No runs${filter.status || filter.workflow || filter.q ? ' match' : ' yet'}.</p>` : null}
    ${runs && runs.length > 0 ? html`<div class="runs-table" id="runs">
      <div class="grid-row head runs-grid"><span>Run</span><span>Workflow</span><span>Status</span><span>Started</span><span>Duration</span><span>Progress</span></div>
      <${VirtualList} items=${runs} rowHeight=${32} height=${Math.max(320, innerHeight - 200)} renderRow=${(r) => html`<${RunRow} run=${r} />`} />
      <p class="muted small">${runs.length} run${runs.length === 1 ? '' : 's'}</p>
    </div>` : null}
  </section>`;
}

function RunRow({ run }) {
  const done = run.done ?? 0;
  const total = run.total ?? 0;
  const pct = total ? Math.round((done / total) * 100) : 0;
  return html`<div class="grid-row runs-grid run-row" data-run=${run.id}>
    <span class="mono ellipsis"><${Link} href=${runHref(run.id)} title=${run.id}>${run.id}</${Link}></span>
    <span class="ellipsis">${run.workflow}</span>
    <span><${Status} status=${run.status} /></span>
    <span class="muted">${formatTime(run.startedAt)}</span>
    <span>${formatDuration(run.durationMs ?? elapsed(run.startedAt, run.endedAt))}</span>
    <span class="progress" title=${run.error || ''}><span class="bar"><span class=${`fill s-${run.status}`} style=${`width:${pct}%`}></span></span><span class="small progress-text">${done}/${total}</span></span>
  </div>`;
}
