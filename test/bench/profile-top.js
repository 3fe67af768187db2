// Summarises a V8 .cpuprofile (from `node --cpu-prof`): top functions by self and total time, and self time per file.
// Usage: node test/bench/profile-top.js <file.cpuprofile> [top=25]
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Self time per node id, from the sample stream (timeDeltas are µs between samples). */
function selfTimes(profile) {
  const self = new Map();
  const { samples, timeDeltas } = profile;
  for (let i = 0; i < samples.length; i++) {
    // The delta after a sample is the time spent in it.
    const dt = timeDeltas[i + 1] ?? 0;
    self.set(samples[i], (self.get(samples[i]) ?? 0) + dt);
  }
  return self;
}

/** Shortens a url to what tells where code lives: our src/dist path, a package name, or node's internals. */
export function shortPlace(url) {
  if (!url) return '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(.*)$/.exec(url);
  if (pkg) return `${pkg[1]}:${pkg[2]}`;
  const ours = /\/(dist|src|bin|test)\/(.*)$/.exec(url);
  if (ours) return `${ours[1]}/${ours[2]}`;
  return url.replace(/^file:\/\//, '');
}

export function summarise(profile, top = 25) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const self = selfTimes(profile);
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const fnSelf = new Map();
  const fnTotal = new Map();
  const fileSelf = new Map();
  const label = (node) => {
    const cf = node.callFrame;
    return `${cf.functionName || '(anonymous)'} ${shortPlace(cf.url)}:${cf.lineNumber + 1}`;
  };
  for (const [id, us] of self) {
    const node = byId.get(id);
    if (!node) continue;
    fnSelf.set(label(node), (fnSelf.get(label(node)) ?? 0) + us);
    const file = shortPlace(node.callFrame.url).replace(/:.*$/, (m) => (m.includes('/') ? m.split('/')[0] : ''));
    fileSelf.set(file, (fileSelf.get(file) ?? 0) + us);
    // Inclusive time: every distinct function on the stack gets the sample once (recursion counted once).
    const seen = new Set();
    for (let at = id; at !== undefined; at = parent.get(at)) {
      const name = label(byId.get(at));
      if (seen.has(name)) continue;
      seen.add(name);
      fnTotal.set(name, (fnTotal.get(name) ?? 0) + us);
    }
  }
  const rank = (map) => [...map].sort((a, b) => b[1] - a[1]).slice(0, top);
  return { totalMs: total / 1000, self: rank(fnSelf), inclusive: rank(fnTotal), files: rank(fileSelf) };
}

function print(summary) {
  const pct = (us) => `${((100 * us) / 1000 / summary.totalMs).toFixed(1).padStart(5)}%`;
  const ms = (us) => `${(us / 1000).toFixed(0).padStart(6)} ms`;
  console.log(`sampled ${summary.totalMs.toFixed(0)} ms`);
  for (const [title, rows] of [['self time by function', summary.self], ['self time by file or package', summary.files], ['total (inclusive) time by function', summary.inclusive]]) {
    console.log(`\n## ${title}`);
    for (const [name, us] of rows) console.log(`${ms(us)} ${pct(us)}  ${name}`);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [file, top] = process.argv.slice(2);
  if (!file) {
    console.error('usage: node test/bench/profile-top.js <file.cpuprofile> [top]');
    process.exit(2);
  }
  print(summarise(JSON.parse(readFileSync(file, 'utf8')), Number(top ?? 25)));
}
