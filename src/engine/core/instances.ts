// The tree of recorded task instances in blueprint order, with their parents: what retry and rerun walk.
import type { Blueprint, TaskSpec } from '../../blueprint/model.js';
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
  switch (spec.kind) {
    case 'parallel':
      for (const branch of spec.branches) walkList(state, branch, node.prefix, node.frame, node, node.index, visit);
      break;
    case 'switch':
      for (const list of [...spec.cases.map((c) => c.tasks), spec.default]) walkList(state, list, node.prefix, node.frame, node, node.index, visit);
      break;
    case 'for_each':
    case 'loop':
      for (const { index, prefix } of bodyInstances(state, key)) walkList(state, spec.body, prefix, node.frame, node, index, visit);
      break;
    case 'workflow':
      walkFrame(state, spec.child, key, node, visit);
      break;
    default:
      break;
  }
}

/** A frame's main tasks, then its handlers. */
export function walkFrame(state: RunState, bp: Blueprint, frameKey: string, parent: InstanceNode | null, visit: (node: InstanceNode) => void): void {
  const prefix = frameKey === '' ? '' : subRunPrefix(frameKey);
  for (const list of [bp.tasks, bp.onFailure, bp.finally]) walkList(state, list, prefix, frameKey, parent, null, visit);
}
