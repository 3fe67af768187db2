// The page's first data request, sent as soon as this small module arrives (its own <script async>), while the app's
// other modules still load: the app takes the answer instead of asking again.
const pending = new Map();

/** `/api/runs` with the list's filter: status, workflow, q, in this order, empty ones left out. */
export function runsUrl(filter) {
  const q = new URLSearchParams();
  for (const k of ['status', 'workflow', 'q']) if (filter[k]) q.set(k, filter[k]);
  const qs = q.toString();
  return `/api/runs${qs ? `?${qs}` : ''}`;
}

export function runUrl(id) {
  return `/api/runs/${encodeURIComponent(id)}`;
}

function firstUrl() {
  const parts = location.pathname.split('/').filter(Boolean);
  if (parts.length === 0) {
    const p = new URLSearchParams(location.search);
    return runsUrl({ status: p.get('status'), workflow: p.get('workflow'), q: p.get('q') });
  }
  if (parts.length !== 2 || parts[0] !== 'runs') return null;
  try {
    return runUrl(decodeURIComponent(parts[1]));
  } catch {
    return null;
  }
}

const first = firstUrl();
if (first) pending.set(first, fetch(first, { headers: { Accept: 'application/json' } }));

/** The response already asked for at `url`, or null; it is taken once (the page asks for it as it first renders). */
export function takeEarly(url) {
  const response = pending.get(url) ?? null;
  pending.delete(url);
  return response;
}
