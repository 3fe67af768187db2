// Server-sent events: the streams of every tab go through one shared worker (see live-worker.js); where there is no
// SharedWorker each page opens its own EventSource. Either reconnects by itself and catches up with Last-Event-ID.
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
        if (handlers && handlers[data.name]) dispatch(handlers, data.name, data.data);
      }
    };
    worker.start();
    addEventListener('pagehide', () => worker.postMessage({ type: 'bye' }));
  }
  return worker;
}

/** Subscribes to `url`; handlers maps an event name to a function of its parsed data. Returns a closer. */
export function subscribe(url, handlers) {
  const port = sharedPort();
  if (port) {
    const id = nextId++;
    subscriptions.set(id, handlers);
    port.postMessage({ type: 'subscribe', id, url: new URL(url, location.href).href, names: Object.keys(handlers) });
    return () => {
      subscriptions.delete(id);
      port.postMessage({ type: 'unsubscribe', id });
    };
  }
  const source = new EventSource(url);
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

/** Subscribes while the component is mounted; `deps` say when to resubscribe. */
export function useLive(url, handlers, deps) {
  useEffect(() => (url ? subscribe(url, handlers) : undefined), deps);
}
