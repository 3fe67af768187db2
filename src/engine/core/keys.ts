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
