// Server-sent events: one EventSource per page; it reconnects by itself and catches up with Last-Event-ID.
import { useEffect, useState } from '/vendor/preact-hooks.mjs';

const listeners = new Set();
let connected = true;

function setConnected(value) {
  if (connected === value) return;
  connected = value;
  for (const l of listeners) l(value);
}

/** Subscribes to `url`; handlers maps an event name to a function of its parsed data. Returns a closer. */
export function subscribe(url, handlers) {
  const source = new EventSource(url);
  for (const [name, fn] of Object.entries(handlers)) {
    source.addEventListener(name, (e) => {
      let data;
      try {
        data = JSON.parse(e.data);
      } catch {
        return;
      }
      fn(data);
    });
  }
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
