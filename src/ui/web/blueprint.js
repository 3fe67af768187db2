// The blueprint page: the run's blueprint source with line numbers and its diagnostics at their lines.
import { useEffect, useState } from '/vendor/preact-hooks.mjs';
import { html, Link, runHref } from './view.js';
import { api } from './api.js';

export function BlueprintPage({ id }) {
  const [doc, setDoc] = useState(null);
  const [error, setError] = useState(null);
  useEffect(() => {
    api.blueprint(id).then(setDoc, (e) => setError(e.message));
  }, [id]);
  const byLine = new Map();
  for (const d of (doc && doc.diagnostics) || []) {
    if (!byLine.has(d.line)) byLine.set(d.line, []);
    byLine.get(d.line).push(d);
  }
  const lines = doc ? String(doc.source).split('\n') : [];
  if (lines.length && lines[lines.length - 1] === '') lines.pop();
  const unplaced = ((doc && doc.diagnostics) || []).filter((d) => !(d.line >= 1 && d.line <= lines.length));
  return html`<section class="card blueprint-page">
    <div class="toolbar"><${Link} href=${runHref(id)} className="mono small">${id}</${Link}><span class="muted">/</span><h1>blueprint</h1>
      <span class="muted mono small ellipsis">${doc ? doc.path : ''}</span></div>
    ${error ? html`<div class="error-banner">${error}</div>` : null}
    ${doc && doc.diagnostics.length === 0 ? html`<p class="ok-text">Valid: no diagnostics.</p>` : null}
    ${unplaced.map((d) => html`<div class=${`diag ${d.severity}`}>${d.severity}: ${d.message}</div>`)}
    ${doc ? html`<div class="source" id="source">${lines.map((text, i) => html`<div class=${byLine.has(i + 1) ? 'line has-diag' : 'line'} id=${`L${i + 1}`}>
        <span class="ln">${i + 1}</span><code>${text || ' '}</code></div>
      ${(byLine.get(i + 1) || []).map((d) => html`<div class=${`diag ${d.severity}`}><span class="ln"></span><span>${' '.repeat(Math.max(0, (d.col || 1) - 1))}^ ${d.severity}: ${d.message}</span></div>`)}`)}</div>` : null}
  </section>`;
}
