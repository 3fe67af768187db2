// The task page: every attempt (exit code, signal, duration, error, output) and its log in colour, following live.
import { useEffect, useMemo, useRef, useState } from '/vendor/preact-hooks.mjs';
import { html, Link, Status, formatDuration, formatTime, throttle, runHref } from './view.js';
import { api } from './api.js';
import { useLive } from './live.js';
import { specs, useActions } from './actions.js';
import { joinLogText } from './log-join.js';

export function TaskPage({ id, taskKey, readOnly }) {
  const [task, setTask] = useState(null);
  const [error, setError] = useState(null);
  const [chosen, setChosen] = useState(null);
  const [log, setLog] = useState(null);
  const logState = useRef({ attempt: null, loading: false, stale: false, sizes: null });

  const load = useMemo(() => throttle(() => {
    api.task(id, taskKey).then((t) => {
      setTask(t);
      setError(null);
    }, (e) => setError(e.message));
  }, 500), [id, taskKey]);
  useEffect(() => {
    load();
    return () => load.cancel();
  }, [id, taskKey]);

  const attempts = task ? task.attempts : [];
  const latest = attempts.length ? attempts[attempts.length - 1].attempt : null;
  const attempt = chosen ?? latest;

  const fetchLog = (n) => {
    const ls = logState.current;
    ls.attempt = n;
    ls.loading = true;
    ls.stale = false;
    api.log(id, taskKey, n).then((l) => {
      if (logState.current.attempt !== n) return;
      ls.loading = false;
      ls.sizes = l.sizes || null;
      setLog(l);
      if (ls.stale) fetchLog(n);
    }, (e) => {
      ls.loading = false;
      setLog({ html: '', error: e.message });
    });
  };
  useEffect(() => {
    if (attempt != null) fetchLog(attempt);
  }, [attempt]);

  useLive(id, {
    journal: (msg) => {
      if (msg && msg.event && msg.event.key === taskKey) load();
    },
    log: (msg) => {
      if (!msg || msg.key !== taskKey) return;
      const ls = logState.current;
      if (ls.attempt == null || msg.attempt > ls.attempt) {
        load();
        return;
      }
      if (msg.attempt !== ls.attempt) return;
      // While the first fetch is under way, what arrives may be in it or not: fetch again after it.
      if (ls.loading) {
        ls.stale = true;
        return;
      }
      const join = joinLogText(ls.sizes, msg);
      if (join === 'refetch') return fetchLog(ls.attempt);
      if (join === 'skip') return;
      if (ls.sizes && typeof msg.to === 'number') ls.sizes = { ...ls.sizes, [msg.stream]: msg.to };
      setLog((l) => ({ ...(l || {}), html: `${(l && l.html) || ''}${msg.html}` }));
    },
  }, [id, taskKey]);

  const { ask, view } = useActions(id, () => load());

  const current = attempts.find((a) => a.attempt === attempt);
  const waiting = current && current.status === 'waiting';
  // A task without attempts (wait, set, control flow) has its output and error on the instance.
  const output = current ? current.output : task && task.instance ? task.instance.output : null;
  return html`<div class="task-page" data-key=${taskKey}>
    <section class="card">
      <div class="toolbar">
        <${Link} href=${runHref(id)} className="mono small">${id}</${Link}>
        <span class="muted">/</span>
        <h1 class="mono ellipsis" id="task-key" title=${taskKey}>${taskKey}</h1>
        ${current ? html`<${Status} status=${current.status} />` : task && task.instance ? html`<${Status} status=${task.instance.status} />` : null}
        <span class="spacer"></span>
        ${readOnly ? null : html`<span class="actions">
          ${waiting || (task && task.instance && task.instance.status === 'waiting') ? html`<button id="action-signal" onClick=${() => ask(specs.signal(id, taskKey))}>Signal…</button>` : null}
          <button id="action-rerun-task" onClick=${() => ask(specs.rerun(id, taskKey))}>Rerun from this task</button></span>`}
      </div>
      ${readOnly ? null : view}
      ${error ? html`<div class="error-banner" id="load-error">${error}</div>` : null}
      ${task && attempts.length === 0 ? html`<p class="muted">No attempts: ${task.instance && task.instance.status ? task.instance.status : 'not started'}.</p>
        ${task.instance && task.instance.error ? html`<div class="error-banner">${task.instance.error}</div>` : null}` : null}
      ${attempts.length ? html`<table class="attempts" id="attempts">
        <thead><tr><th>#</th><th>Status</th><th>Exit</th><th>Signal</th><th>Started</th><th>Duration</th><th>Error</th></tr></thead>
        <tbody>${attempts.map((a) => html`<tr class=${a.attempt === attempt ? 'chosen' : ''} data-attempt=${a.attempt} onClick=${() => setChosen(a.attempt)}>
          <td>${a.attempt}</td><td><${Status} status=${a.status} /></td><td>${a.exitCode ?? ''}</td><td>${a.signal ?? ''}</td>
          <td>${formatTime(a.startedAt)}</td><td>${formatDuration(a.durationMs)}</td><td class="err">${a.error ?? ''}</td></tr>`)}</tbody>
      </table>` : null}
    </section>
    ${output !== undefined && output !== null ? html`<section class="card"><h2>Output</h2><pre class="json" id="task-output">${JSON.stringify(output, null, 2)}</pre></section>` : null}
    ${attempt != null ? html`<section class="card">
      <div class="toolbar"><h2>Log of attempt ${attempt}</h2><span class="spacer"></span>
        ${log && log.truncated ? html`<span class="muted small">showing the end (${log.bytes} bytes in all)</span>` : null}</div>
      ${log && log.error ? html`<div class="error-banner">${log.error}</div>` : null}
      <${LogView} html=${log ? log.html : ''} />
    </section>` : null}
  </div>`;
}

/** The server's log HTML (escaped text with colour spans): the only HTML the page inserts. Sticks to the bottom. */
function LogView({ html: content }) {
  const ref = useRef(null);
  const stick = useRef(true);
  useEffect(() => {
    const el = ref.current;
    if (el && stick.current) el.scrollTop = el.scrollHeight;
  }, [content]);
  return html`<pre class="log" id="log" ref=${ref} onScroll=${(e) => {
    const el = e.currentTarget;
    stick.current = el.scrollTop + el.clientHeight >= el.scrollHeight - 8;
  }} dangerouslySetInnerHTML=${{ __html: content || '' }}></pre>`;
}
