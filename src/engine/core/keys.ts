// Instance keys (`outer[1].b[0].c`, `sub/child`) and the frames (run or sub-run) they belong to.
import type { Frame, RunState } from './state.js';

/** The task id at the end of an instance key. */
export function idOfKey(key: string): string {
  const tail = key.slice(key.lastIndexOf('/') + 1);
  return tail.slice(tail.lastIndexOf('.') + 1);
}

/** Key prefix of the body instance `index` of a for_each / loop task; a matrix's instances use their label instead. */
export function bodyPrefix(key: string, index: number, label?: string): string {
  return `${key}[${label ?? index}].`;
}

/** A matrix combination as a key segment: `os=linux,node=20`; characters that would break a key are %-escaped. */
export function matrixLabel(combination: unknown): string {
  if (typeof combination !== 'object' || combination === null) return String(combination);
  const escape = (text: string) => text.replace(/[^A-Za-z0-9_.+-]/g, (c) => [...utf8(c)].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join(''));
  return Object.entries(combination)
    .map(([k, v]) => `${escape(k)}=${escape(String(v))}`)
    .join(',');
}

/** UTF-8 bytes of a character (the core imports no node: module, hence no Buffer). */
function utf8(c: string): Uint8Array {
  return new TextEncoder().encode(c);
}

/** The body instances of for_each / loop `key` that have recorded instances: index and key prefix, ascending. */
export function bodyInstances(state: RunState, key: string): { index: number; prefix: string }[] {
  const head = `${key}[`;
  const items = state.tasks[key]?.items;
  let labels: Map<string, number> | null = null;
  const found = new Map<number, string>();
  for (const other of Object.keys(state.tasks)) {
    if (!other.startsWith(head)) continue;
    const end = other.indexOf('].', head.length);
    if (end < 0) continue;
    const segment = other.slice(head.length, end);
    let index = /^\d+$/.test(segment) ? Number(segment) : undefined;
    if (index === undefined && items) {
      labels ??= new Map(items.map((item, i) => [matrixLabel(item), i]));
      index = labels.get(segment);
    }
    if (index !== undefined) found.set(index, `${key}[${segment}].`);
  }
  return [...found.entries()].sort((a, b) => a[0] - b[0]).map(([index, prefix]) => ({ index, prefix }));
}

/** Key prefix of the tasks of a `workflow` task's sub-run. */
export function subRunPrefix(key: string): string {
  return `${key}/`;
}

/** The frame of a run (`''`) or of the sub-run of the workflow task `frameKey`; the root frame is a view on the state's own fields. */
export function getFrame(state: RunState, frameKey: string): Frame {
  if (frameKey === '') return state as unknown as Frame;
  const frame = state.tasks[frameKey]?.frame;
  if (!frame) throw new Error(`internal: no sub-run frame for ${frameKey}`);
  return frame;
}

/** The frame key a task key belongs to: the key of the innermost enclosing workflow task, or '' for the run. */
export function frameOfKey(key: string): string {
  const slash = key.lastIndexOf('/');
  return slash < 0 ? '' : key.slice(0, slash);
}

/** The ids of the `workflow` tasks whose sub-runs nest to frame `frameKey`, outermost first (`a[1].w/v` → `w`, `v`). */
export function frameTaskIds(frameKey: string): string[] {
  return frameKey === '' ? [] : frameKey.split('/').map(idOfKey);
}

/** The key of task `id` under a key prefix (`''`, a body prefix or a sub-run prefix). */
export function childKey(prefix: string, id: string): string {
  return `${prefix}${id}`;
}

/** The key with every body index replaced by `index` (`a[3].b` → `a.b`, or `a[*].b`): one pattern for all iterations. */
export function keyPattern(key: string, index = ''): string {
  return key.replace(/\[[^\]]*\]/g, index);
}

const BODY_SEGMENT = /([A-Za-z_][A-Za-z0-9_-]*)\[([^\]]*)\]\.$/;

/** What a body prefix (`x[3].`, `a.x[3].`, `t[os=linux].`) is the body of: the for_each / loop key and the index (a
 *  matrix label is looked up among the owner's `items` when `state` is given); null for other prefixes. */
export function parseBodyPrefix(prefix: string, state?: RunState): { owner: string; index: number } | null {
  const m = BODY_SEGMENT.exec(prefix);
  if (!m) return null;
  const owner = prefix.slice(0, prefix.length - m[0].length) + m[1];
  const segment = m[2]!;
  if (/^\d+$/.test(segment)) return { owner, index: Number(segment) };
  const items = state?.tasks[owner]?.items ?? [];
  const index = items.findIndex((item) => matrixLabel(item) === segment);
  return { owner, index };
}

/** The key prefixes a task at `prefix` can read, innermost first: its body instances, then outward to its frame's. */
export function enclosingPrefixes(prefix: string): string[] {
  const frameStart = prefix.lastIndexOf('/') + 1;
  const levels: string[] = [];
  let rest = prefix;
  while (rest.length > frameStart) {
    levels.push(rest);
    const body = parseBodyPrefix(rest);
    if (!body) break;
    rest = rest.slice(0, body.owner.length - idOfKey(body.owner).length);
  }
  if (levels[levels.length - 1] !== rest) levels.push(rest);
  return levels;
}
