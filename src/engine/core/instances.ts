// The tree of recorded task instances in blueprint order, with their parents: what retry and rerun walk.
import type { Blueprint, TaskSpec } from '../../blueprint/model.js';
import { childLists, frameLists } from '../../blueprint/visit.js';
import { bodyInstances, subRunPrefix } from './keys.js';
import type { RunState } from './state.js';

export interface InstanceNode {
  key: string;
  spec: TaskSpec;
  /** The enclosing task instance (control flow or workflow), null at a frame's top level. */
  parent: InstanceNode | null;
  /** The list this task sits in, and the key prefix of its instances. */
  list: TaskSpec[];
  prefix: string;
  /** The frame ('' or a workflow task key) this instance belongs to. */
  frame: string;
  /** In a for_each / loop body: the item or iteration index. */
  index: number | null;
}

/** Every instance of a list (and what is inside it), in blueprint order; absent instances are included, flagged by `state`. */
export function walkList(
  state: RunState,
  list: TaskSpec[],
  prefix: string,
  frame: string,
  parent: InstanceNode | null,
  index: number | null,
  visit: (node: InstanceNode) => void,
): void {
  for (const spec of list) {
    const node: InstanceNode = { key: prefix + spec.id, spec, parent, list, prefix, frame, index };
    visit(node);
    walkInside(state, node, visit);
  }
}

function walkInside(state: RunState, node: InstanceNode, visit: (node: InstanceNode) => void): void {
  const { spec, key } = node;
  for (const list of childLists(spec)) {
    switch (list.nesting) {
      case 'per-item':
        for (const { index, prefix } of bodyInstances(state, key)) walkList(state, list.tasks, prefix, node.frame, node, index, visit);
        break;
      case 'sub-run':
        walkList(state, list.tasks, subRunPrefix(key), key, node, null, visit);
        break;
      default:
        walkList(state, list.tasks, node.prefix, node.frame, node, node.index, visit);
    }
  }
}

/** A frame's main tasks, then its handlers. */
export function walkFrame(state: RunState, bp: Blueprint, frameKey: string, parent: InstanceNode | null, visit: (node: InstanceNode) => void): void {
  const prefix = frameKey === '' ? '' : subRunPrefix(frameKey);
  for (const list of frameLists(bp)) walkList(state, list.tasks, prefix, frameKey, parent, null, visit);
}
