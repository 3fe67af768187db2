// A shared worker holding one EventSource per stream for every tab of this origin: a browser opens at most 6
// connections to one host, so 7 tabs each with a stream of their own would leave the 7th waiting forever.
const streams = new Map(); // url → { source, subs: Set<{ port, id, names }>, names: Set<string> }
const ports = new Set();

function broadcastState(connected) {
  for (const port of ports) port.postMessage({ type: 'state', connected });
}

function stream(url) {
  let s = streams.get(url);
  if (s) return s;
  const source = new EventSource(url);
  s = { source, subs: new Set(), names: new Set() };
  source.onopen = () => broadcastState(true);
  source.onerror = () => broadcastState(source.readyState === EventSource.OPEN);
  streams.set(url, s);
  return s;
}

function listen(s, name) {
  if (s.names.has(name)) return;
  s.names.add(name);
  s.source.addEventListener(name, (e) => {
    for (const sub of s.subs) if (sub.names.includes(name)) sub.port.postMessage({ type: 'event', id: sub.id, name, data: e.data });
  });
}

function drop(port, id) {
  for (const [url, s] of streams) {
    for (const sub of s.subs) if (sub.port === port && (id === undefined || sub.id === id)) s.subs.delete(sub);
    if (s.subs.size === 0) {
      s.source.close();
      streams.delete(url);
    }
  }
}

self.onconnect = (e) => {
  const port = e.ports[0];
  ports.add(port);
  port.onmessage = ({ data }) => {
    if (data.type === 'subscribe') {
      const s = stream(data.url);
      s.subs.add({ port, id: data.id, names: data.names });
      for (const name of data.names) listen(s, name);
    } else if (data.type === 'unsubscribe') {
      drop(port, data.id);
    } else if (data.type === 'bye') {
      drop(port);
      ports.delete(port);
    }
  };
  port.start();
};
