// The run's task instances as a tree: for_each/loop instances under their task, sub-run tasks under theirs, branches under parallel/switch.
import type { Blueprint, TaskSpec } from '../blueprint/model.js';
import type { RunState, TaskInstance } from '../engine/core/state.js';
import { bodyInstances, childKey, subRunPrefix } from '../engine/core/keys.js';
import { topologicalOrder } from '../engine/core/order.js';

export interface TreeNode {
  /** Instance key, or a group label (`on_failure`, `finally`) when `group` is set. */
  key: string;
  /** The recorded instance; null for a task that has not started (shown pending) and for groups. */
  task: TaskInstance | null;
  /** A heading that holds handler tasks rather than a task itself. */
  group?: boolean;
  children: TreeNode[];
}

/**
 * The tree of a run. With the blueprint, every recorded instance sits under its parent and not-yet-started tasks of
 * started lists appear as pending; without it (blueprint unreadable), instances are listed flat in recorded order.
 */
export function buildTaskTree(state: RunState, blueprint: Blueprint | null): TreeNode[] {
  if (!blueprint) return Object.values(state.tasks).map((task) => ({ key: task.key, task, children: [] }));
  const seen = new Set<string>();
  const roots = frameNodes(blueprint, '', state, seen);
  // Instances the blueprint no longer explains (e.g. a run reloaded with another blueprint) are kept, at the end.
  for (const task of Object.values(state.tasks)) {
    if (!seen.has(task.key)) roots.push({ key: task.key, task, children: [] });
  }
  return roots;
}

/** The main tasks of a run or sub-run, then its handlers (only those that ran) under group headings. */
function frameNodes(bp: Blueprint, prefix: string, state: RunState, seen: Set<string>): TreeNode[] {
  const nodes = listNodes(bp.tasks, prefix, state, seen, true);
  for (const [label, list] of [['on_failure', bp.onFailure], ['finally', bp.finally]] as const) {
    const handlers = listNodes(list, prefix, state, seen, false);
    if (handlers.length > 0) nodes.push({ key: label, task: null, group: true, children: handlers });
  }
  return nodes;
}

/** One list of tasks sharing a key prefix; `showPending` adds tasks that have not started yet. */
function listNodes(specs: TaskSpec[], prefix: string, state: RunState, seen: Set<string>, showPending: boolean): TreeNode[] {
  const nodes: TreeNode[] = [];
  for (const spec of topologicalOrder(specs)) {
    const key = childKey(prefix, spec.id);
    const task = state.tasks[key] ?? null;
    if (!task) {
      if (showPending) nodes.push({ key, task: null, children: [] });
      continue;
    }
    seen.add(key);
    nodes.push({ key, task, children: childNodes(spec, key, prefix, state, seen) });
  }
  return nodes;
}

function childNodes(spec: TaskSpec, key: string, prefix: string, state: RunState, seen: Set<string>): TreeNode[] {
  switch (spec.kind) {
    case 'parallel':
      // Branches add nothing to keys: their tasks share the parallel task's prefix.
      return spec.branches.flatMap((branch) => listNodes(branch, prefix, state, seen, true));
    case 'switch': {
      // Only the case taken has pending tasks to show; the others are recorded skipped.
      const selected = state.tasks[key]?.selected ?? null;
      const lists = [...spec.cases.map((c) => ({ name: c.value, tasks: c.tasks })), { name: 'default', tasks: spec.default }];
      return lists.flatMap((list) => listNodes(list.tasks, prefix, state, seen, list.name === selected));
    }
    case 'for_each':
    case 'loop':
      return bodyInstances(state, key).flatMap(({ prefix }) => listNodes(spec.body, prefix, state, seen, true));
    case 'workflow':
      return spec.child ? frameNodes(spec.child, subRunPrefix(key), state, seen) : [];
    default:
      return [];
  }
}

/** Every instance under a node, depth first (the node itself excluded). */
export function descendants(node: TreeNode): TaskInstance[] {
  return node.children.flatMap((child) => [...(child.task ? [child.task] : []), ...descendants(child)]);
}

/** The node of an instance key, searched depth first. */
export function findNode(nodes: TreeNode[], key: string): TreeNode | null {
  for (const node of nodes) {
    if (!node.group && node.key === key) return node;
    const inner = findNode(node.children, key);
    if (inner) return inner;
  }
  return null;
}
