// The router: maps the page path to a page (deep links survive reload; navigation uses the history API).
import { render } from '/vendor/preact.mjs';
import { useEffect, useState } from '/vendor/preact-hooks.mjs';
import { html, Link } from './view.js';
import { session } from './api.js';
import { useConnected } from './live.js';
import { RunsPage } from './runs.js';
import { RunPage } from './run.js';
import { TaskPage } from './task.js';
import { BlueprintPage } from './blueprint.js';

/** The page for a path: { page, id, key } or null when nothing matches. */
export function route(pathname) {
  const parts = pathname.split('/').filter(Boolean);
  const dec = (s) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return null;
    }
  };
  if (parts.length === 0) return { page: 'runs' };
  if (parts[0] !== 'runs' || parts.length < 2) return null;
  const id = dec(parts[1]);
  if (id == null) return null;
  if (parts.length === 2) return { page: 'run', id };
  if (parts.length === 3 && parts[2] === 'blueprint') return { page: 'blueprint', id };
  if (parts.length === 4 && parts[2] === 'tasks') {
    const key = dec(parts[3]);
    return key == null ? null : { page: 'task', id, key };
  }
  return null;
}

function useLocation() {
  const [loc, setLoc] = useState(() => ({ path: location.pathname, search: location.search }));
  useEffect(() => {
    const on = () => setLoc({ path: location.pathname, search: location.search });
    addEventListener('popstate', on);
    return () => removeEventListener('popstate', on);
  }, []);
  return loc;
}

function App() {
  const loc = useLocation();
  const [sess, setSess] = useState(null);
  const [sessError, setSessError] = useState(null);
  const connected = useConnected();
  useEffect(() => {
    session().then(setSess, (e) => setSessError(e.message));
  }, []);
  useEffect(() => window.scrollTo(0, 0), [loc.path]);
  const r = route(loc.path);
  const readOnly = sess ? sess.readOnly : true;
  let page;
  if (!r) page = html`<div class="card"><h2>Not found</h2><p>No page at this address.</p><${Link} href="/">All runs</${Link}></div>`;
  else if (r.page === 'runs') page = html`<${RunsPage} search=${loc.search} />`;
  else if (r.page === 'run') page = html`<${RunPage} key=${r.id} id=${r.id} readOnly=${readOnly} />`;
  else if (r.page === 'task') page = html`<${TaskPage} key=${`${r.id}\n${r.key}`} id=${r.id} taskKey=${r.key} readOnly=${readOnly} />`;
  else page = html`<${BlueprintPage} key=${r.id} id=${r.id} />`;
  return html`<header class="top">
      <${Link} href="/" className="brand">baton</${Link}>
      <span class="muted">${sess ? `v${sess.version}` : ''}</span>
      ${sess && sess.readOnly ? html`<span class="badge s-pending" id="read-only">read-only</span>` : null}
      <span class="spacer"></span>
      <span class=${connected ? 'live on' : 'live off'} title=${connected ? 'live updates connected' : 'reconnecting…'}>${connected ? '● live' : '○ reconnecting'}</span>
    </header>
    ${sessError ? html`<div class="error-banner">Cannot reach the baton ui server: ${sessError}</div>` : null}
    <main>${page}</main>`;
}

render(html`<${App} />`, document.getElementById('app'));
