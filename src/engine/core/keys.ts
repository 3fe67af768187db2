// Instance keys (`outer[1].b[0].c`, `sub/child`) and the frames (run or sub-run) they belong to.
import type { Frame, RunState } from './state.js';

/** The task id at the end of an instance key. */
export function idOfKey(key: string): string {
  const tail = key.slice(key.lastIndexOf('/') + 1);
  return tail.slice(tail.lastIndexOf('.') + 1);
}

/** Key prefix of the body instance `index` of a for_each / loop task. */
export function bodyPrefix(key: string, index: number): string {
  return `${key}[${index}].`;
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

/** The body indexes of the for_each / loop instance `key` that have recorded instances among `keys`, ascending. */
export function bodyIndexes(keys: Iterable<string>, key: string): number[] {
  const head = `${key}[`;
  const indexes = new Set<number>();
  for (const other of keys) {
    if (!other.startsWith(head)) continue;
    const match = /^(\d+)\]/.exec(other.slice(head.length));
    if (match) indexes.add(Number(match[1]));
  }
  return [...indexes].sort((a, b) => a - b);
}

/** The key with every body index replaced by `index` (`a[3].b` → `a.b`, or `a[*].b`): one pattern for all iterations. */
export function keyPattern(key: string, index = ''): string {
  return key.replace(/\[\d+\]/g, index);
}

const BODY_SEGMENT = /([A-Za-z_][A-Za-z0-9_-]*)\[(\d+)\]\.$/;

/** What a body prefix (`x[3].`, `a.x[3].`) is the body of: the for_each / loop key and the index; null for other prefixes. */
export function parseBodyPrefix(prefix: string): { owner: string; index: number } | null {
  const m = BODY_SEGMENT.exec(prefix);
  if (!m) return null;
  return { owner: prefix.slice(0, prefix.length - m[0].length) + m[1], index: Number(m[2]) };
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
