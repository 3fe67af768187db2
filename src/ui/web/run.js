// The run page: header (status, error, inputs, outputs, vars, timings), actions, diagram, timeline, task tree.
import { useEffect, useMemo, useRef, useState } from '/vendor/preact-hooks.mjs';
import { html, Link, Status, formatDuration, formatTime, elapsed, throttle } from './view.js';
import { api } from './api.js';
import { useLive } from './live.js';
import { Diagram } from './diagram.js';
import { Timeline } from './timeline.js';
import { TaskTree } from './tree.js';
import { RunActions, specs, useActions } from './actions.js';

/** Moves one instance to a new status, keeping the diagram's per-status counts of its node in step. */
function moveStatus(doc, task, key, status) {
  const before = task.status;
  task.status = status;
  if (before === status || !doc.diagram) return;
  const pattern = key.replace(/\[\d+\]/g, '');
  doc.nodesByKey ??= new Map(doc.diagram.nodes.filter((n) => n.key).map((n) => [n.key, n]));
  const node = doc.nodesByKey.get(pattern);
  if (!node || !node.counts) return;
  if (node.counts[before]) node.counts[before] -= 1;
  node.counts[status] = (node.counts[status] || 0) + 1;
}

/** The timeline entry of one attempt, through an index built once per document. */
function attemptEntry(doc, key, attempt) {
  if (!doc.attempts) doc.attempts = new Map(doc.timeline.map((t) => [`${t.key}#${t.attempt}`, t]));
  return doc.attempts.get(`${key}#${attempt}`);
}

/** Applies one journal event to the run document in place; returns true when something visible changed. */
export function applyEvent(doc, event) {
  const st = doc.status;
  const tasks = st.tasks;
  const key = event.key;
  const task = typeof key === 'string' && Object.hasOwn(tasks, key) ? tasks[key] : null;
  switch (event.type) {
    case 'attempt_started':
      if (task) {
        moveStatus(doc, task, key, 'running');
        Object.assign(task, { attempts: event.attempt, started_at: task.started_at || event.at, ended_at: null });
      }
      if (!attemptEntry(doc, key, event.attempt)) {
        const entry = { key, attempt: event.attempt, status: 'running', startedAt: event.at, endedAt: null };
        doc.timeline.push(entry);
        doc.attempts.set(`${key}#${event.attempt}`, entry);
      }
      return true;
    case 'attempt_ended': {
      if (task) {
        moveStatus(doc, task, key, event.retry_at ? 'running' : event.status);
        Object.assign(task, { exit_code: event.exit_code, error: event.error });
      }
      const a = attemptEntry(doc, key, event.attempt);
      if (a) Object.assign(a, { status: event.status, endedAt: event.at });
      return true;
    }
    case 'task_started':
      if (task) {
        moveStatus(doc, task, key, event.kind === 'wait' ? 'waiting' : 'running');
        task.started_at = event.at;
      }
      return !!task;
    case 'task_skipped':
      if (task) moveStatus(doc, task, key, 'skipped');
      return !!task;
    case 'task_ended':
      if (task) {
        moveStatus(doc, task, key, event.status);
        Object.assign(task, { ended_at: event.at, error: event.error });
      }
      return !!task;
    case 'run_status':
      st.status = event.status;
      return true;
    case 'run_ended':
      Object.assign(st, { status: event.status, ended_at: event.at });
      return true;
    default:
      return false;
  }
}

function Json({ value }) {
  return html`<pre class="json">${JSON.stringify(value ?? null, null, 2)}</pre>`;
}

function KeyValues({ title, value, id }) {
  if (!value || typeof value !== 'object' || Object.keys(value).length === 0) return null;
  return html`<details class="kv" id=${id} open=${Object.keys(value).length <= 8}>
    <summary>${title} (${Object.keys(value).length})</summary><${Json} value=${value} /></details>`;
}

export function RunPage({ id, readOnly }) {
  const [doc, setDoc] = useState(null);
  const [error, setError] = useState(null);
  const [, rerender] = useState(0);
  const docRef = useRef(null);
  const [now, setNow] = useState(Date.now());

  // A big run's document takes a while to build: wait at least twice that long between fetches, and 500 ms.
  const fetchMs = useRef(0);
  const load = useMemo(() => throttle(() => {
    const t0 = performance.now();
    api.run(id).then((d) => {
      fetchMs.current = performance.now() - t0;
      docRef.current = d;
      setDoc(d);
      setError(null);
    }, (e) => setError(e.message));
  }, () => Math.max(500, 2 * fetchMs.current)), [id]);
  useEffect(() => {
    load();
    return () => load.cancel();
  }, [id]);

  // Journal events patch the document at once; a full refetch follows at most twice a second.
  const paint = useMemo(() => throttle(() => rerender((n) => n + 1), 100), [id]);
  useLive(id, {
    journal: (msg) => {
      const d = docRef.current;
      if (d && msg && msg.event && applyEvent(d, msg.event)) {
        d.version = (d.version || 0) + 1;
        paint();
      }
      load();
    },
  }, [id]);

  const live = doc && ['running', 'waiting'].includes(doc.status.status);
  useEffect(() => {
    if (!live) return undefined;
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [live]);

  const { ask, view } = useActions(id, () => load());

  if (error && !doc) return html`<div class="card"><h2>Run ${id}</h2><div class="error-banner" id="load-error">${error}</div><${Link} href="/">All runs</${Link}></div>`;
  if (!doc) return html`<p class="muted">Loading ${id}…</p>`;
  const st = doc.status;
  const tasks = st.tasks || {};
  const waiting = Object.keys(tasks).filter((k) => tasks[k].status === 'waiting');
  const counts = {};
  for (const k in tasks) counts[tasks[k].status] = (counts[tasks[k].status] || 0) + 1;
  const topKeys = Object.keys(tasks).filter((k) => !/[[./]/.test(k));
  return html`<div class="run-page" data-run=${id}>
    <section class="card run-header">
      <div class="toolbar">
        <h1 class="mono ellipsis" title=${st.id}>${st.id}</h1>
        <${Status} status=${st.status} />
        <span class="spacer"></span>
        <${Link} href=${`/runs/${encodeURIComponent(id)}/blueprint`}>blueprint</${Link}>
      </div>
      <p class="meta">${[
        `workflow ${st.workflow}`,
        `started ${formatTime(st.started_at)}`,
        st.ended_at ? `ended ${formatTime(st.ended_at)}, took ${formatDuration(st.duration_ms)}` : `running for ${formatDuration(elapsed(st.started_at, null))}`,
        Object.entries(counts).map(([s, n]) => `${n} ${s}`).join(', '),
      ].join(' · ')}</p>
      ${st.error ? html`<div class="error-banner" id="run-error">${st.error.task ? html`<b>${st.error.task}</b>: ` : null}${st.error.message}</div>` : null}
      ${error ? html`<div class="error-banner">${error}</div>` : null}
      <div class="kvs">
        <${KeyValues} title="inputs" value=${st.inputs} id="run-inputs" />
        <${KeyValues} title="outputs" value=${st.outputs} id="run-outputs" />
        <${KeyValues} title="vars" value=${st.vars} id="run-vars" />
      </div>
      ${readOnly ? null : html`<${RunActions} doc=${st} ask=${ask} keys=${topKeys} />
        ${waiting.length ? html`<div class="actions waiting">${waiting.slice(0, 20).map((k) => html`<button class="signal-btn" data-key=${k} onClick=${() => ask(specs.signal(id, k))}>Signal ${k}…</button>`)}</div>` : null}
        ${view}`}
    </section>
    <div class="run-cols">
      <section class="card diagram-card"><h2>Diagram</h2><${Diagram} runId=${id} diagram=${doc.diagram} tasks=${tasks} /></section>
      <section class="card tasks-card"><h2>Tasks</h2><${TaskTree} runId=${id} tasks=${tasks} /></section>
    </div>
    <section class="card"><h2>Timeline</h2><${Timeline} runId=${id} timeline=${doc.timeline} now=${now} version=${doc.version} /></section>
  </div>`;
}

