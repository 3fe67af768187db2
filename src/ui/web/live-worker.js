// A shared worker holding ONE EventSource for every tab of this origin (/api/stream: the runs list and every followed
// run): a browser opens at most 6 connections to one host, so a stream per run would leave the 7th run waiting forever.
const NAMES = ['runs', 'run', 'remove', 'journal', 'log', 'missing'];
const LIST_EVENTS = new Set(['runs', 'run', 'remove']);
const subs = new Set(); // { port, id, run (null: the runs list), names }
const ports = new Set();
const positions = new Map(); // run → the journal line reached, so a reopened stream resumes where this one was
let source = null;
let key = '';
let timer = null;

function broadcastState(connected) {
  for (const port of ports) port.postMessage({ type: 'state', connected });
}

function deliver(name, data) {
  if (name === 'journal' && typeof data.line === 'number') positions.set(data.run, data.line);
  const list = LIST_EVENTS.has(name);
  for (const sub of subs) {
    if (!sub.names.includes(name) || (list ? sub.run !== null : sub.run !== data.run)) continue;
    sub.port.postMessage({ type: 'event', id: sub.id, name, data });
  }
}

/** Opens the stream anew when the set of followed runs changed (many tabs subscribing at once: one reopening). */
function changed() {
  if (timer === null) timer = setTimeout(reopen, 30);
}

function reopen() {
  timer = null;
  const runs = [...new Set([...subs].map((s) => s.run).filter((r) => r !== null))].sort();
  const list = [...subs].some((s) => s.run === null);
  const next = `${runs.join(',')}|${list}`;
  if (source && next === key) return;
  key = next;
  if (source) source.close();
  source = null;
  for (const run of [...positions.keys()]) if (!runs.includes(run)) positions.delete(run);
  if (runs.length === 0 && !list) return;
  const after = [...positions].map(([run, line]) => `${run}:${line}`).join(',');
  const url = `/api/stream?runs=${runs.map(encodeURIComponent).join(',')}${list ? '&list=1' : ''}${after ? `&after=${encodeURIComponent(after)}` : ''}`;
  const s = new EventSource(url);
  source = s;
  s.onopen = () => broadcastState(true);
  s.onerror = () => broadcastState(s.readyState === EventSource.OPEN);
  for (const name of NAMES) {
    s.addEventListener(name, (e) => {
      if (source !== s) return;
      let data;
      try {
        data = JSON.parse(e.data);
      } catch {
        return;
      }
      if (data && typeof data === 'object') deliver(name, data);
    });
  }
}

function drop(port, id) {
  for (const sub of subs) if (sub.port === port && (id === undefined || sub.id === id)) subs.delete(sub);
  changed();
}

self.onconnect = (e) => {
  const port = e.ports[0];
  ports.add(port);
  port.onmessage = ({ data }) => {
    if (data.type === 'subscribe') {
      subs.add({ port, id: data.id, run: data.run, names: data.names });
      changed();
    } else if (data.type === 'unsubscribe') {
      drop(port, data.id);
    } else if (data.type === 'bye') {
      drop(port);
      ports.delete(port);
    }
  };
  port.start();
};
