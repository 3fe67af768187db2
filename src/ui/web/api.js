// Talks to the baton ui server: JSON reads, the session (CSRF token, read-only) and state-changing POSTs.
import { runsUrl, runUrl, takeEarly } from './early.js';

let sessionPromise = null;

export class ApiError extends Error {
  constructor(message, status) {
    super(message);
    this.status = status;
  }
}

async function parse(res) {
  let body = null;
  try {
    body = await res.json();
  } catch {
    body = null;
  }
  if (!res.ok || (body && typeof body.error === 'string' && body.ok !== true)) {
    throw new ApiError((body && body.error) || `${res.status} ${res.statusText}`, res.status);
  }
  return body;
}

export async function getJSON(url, signal) {
  const early = takeEarly(url);
  const res = await (early ?? fetch(url, { headers: { Accept: 'application/json' }, signal }));
  if (signal && signal.aborted) throw new DOMException('The request was aborted', 'AbortError');
  return parse(res);
}

export function session() {
  if (!sessionPromise) sessionPromise = getJSON('/api/session').catch((e) => {
    sessionPromise = null;
    throw e;
  });
  return sessionPromise;
}

export async function post(url, body = {}) {
  const { csrf } = await session();
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Baton-CSRF': csrf },
    body: JSON.stringify(body),
  });
  return parse(res);
}

const enc = encodeURIComponent;

export const api = {
  runs: (filter, signal) => getJSON(runsUrl(filter), signal),
  run: (id, signal) => getJSON(runUrl(id), signal),
  task: (id, key, signal) => getJSON(`/api/runs/${enc(id)}/tasks/${enc(key)}`, signal),
  log: (id, key, attempt, signal) => getJSON(`/api/runs/${enc(id)}/tasks/${enc(key)}/log?attempt=${enc(attempt)}`, signal),
  blueprint: (id, signal) => getJSON(`/api/runs/${enc(id)}/blueprint`, signal),
  action: (id, action, body) => post(`/api/runs/${enc(id)}/${action}`, body),
};
