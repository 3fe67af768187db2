// Server-sent events: every tab's live updates go through one shared worker and its single /api/stream connection
// (see live-worker.js); where there is no SharedWorker each page opens its own. Either catches up with Last-Event-ID.
import { useEffect, useState } from '/vendor/preact-hooks.mjs';

const listeners = new Set();
let connected = true;

function setConnected(value) {
  if (connected === value) return;
  connected = value;
  for (const l of listeners) l(value);
}

function dispatch(handlers, name, raw) {
  let data;
  try {
    data = JSON.parse(raw);
  } catch {
    return;
  }
  handlers[name](data);
}

/** The stream of one run, or of the runs list (run null), for a page on its own. */
function streamUrl(run) {
  return run === null ? '/api/stream?list=1' : `/api/stream?runs=${encodeURIComponent(run)}`;
}

let worker = null;
const subscriptions = new Map();
let nextId = 1;

function sharedPort() {
  if (worker !== null) return worker;
  try {
    worker = typeof SharedWorker === 'function' ? new SharedWorker('/assets/live-worker.js', { name: 'baton-live' }).port : false;
  } catch {
    worker = false;
  }
  if (worker) {
    worker.onmessage = ({ data }) => {
      if (data.type === 'state') setConnected(data.connected);
      else if (data.type === 'event') {
        const handlers = subscriptions.get(data.id);
        if (handlers && handlers[data.name]) handlers[data.name](data.data);
      }
    };
    worker.start();
    addEventListener('pagehide', () => worker.postMessage({ type: 'bye' }));
  }
  return worker;
}

/** Follows run `run` (null: the runs list); handlers maps an event name to a function of its parsed data. Returns a closer. */
export function subscribe(run, handlers) {
  const port = sharedPort();
  if (port) {
    const id = nextId++;
    subscriptions.set(id, handlers);
    port.postMessage({ type: 'subscribe', id, run, names: Object.keys(handlers) });
    return () => {
      subscriptions.delete(id);
      port.postMessage({ type: 'unsubscribe', id });
    };
  }
  const source = new EventSource(streamUrl(run));
  for (const name of Object.keys(handlers)) source.addEventListener(name, (e) => dispatch(handlers, name, e.data));
  source.onopen = () => setConnected(true);
  source.onerror = () => setConnected(source.readyState === EventSource.OPEN);
  return () => source.close();
}

/** Whether the live connection is up (for the header's indicator). */
export function useConnected() {
  const [value, setValue] = useState(connected);
  useEffect(() => {
    listeners.add(setValue);
    return () => listeners.delete(setValue);
  }, []);
  return value;
}

/** Follows run `run` (null: the runs list) while the component is mounted; `deps` say when to resubscribe. */
export function useLive(run, handlers, deps) {
  useEffect(() => subscribe(run, handlers), deps);
}
