// The run's task instances as a tree: for_each/loop instances under their task, sub-run tasks under theirs, branches under parallel/switch.
import type { Blueprint, TaskSpec } from '../blueprint/model.js';
import { childLists, frameLists, type TaskList } from '../blueprint/visit.js';
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
  const roots = frameNodes(frameLists(blueprint), '', state, seen);
  // Instances the blueprint no longer explains (e.g. a run reloaded with another blueprint) are kept, at the end.
  for (const task of Object.values(state.tasks)) {
    if (!seen.has(task.key)) roots.push({ key: task.key, task, children: [] });
  }
  return roots;
}

/** The main tasks of a run or sub-run, then its handlers (only those that ran) under group headings. */
function frameNodes(lists: TaskList[], prefix: string, state: RunState, seen: Set<string>): TreeNode[] {
  const nodes: TreeNode[] = [];
  for (const list of lists) {
    if (list.role === 'tasks') {
      nodes.push(...listNodes(list.tasks, prefix, state, seen, true));
      continue;
    }
    const handlers = listNodes(list.tasks, prefix, state, seen, false);
    if (handlers.length > 0) nodes.push({ key: list.role, task: null, group: true, children: handlers });
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
  const lists = childLists(spec);
  if (spec.kind === 'workflow') return frameNodes(lists, subRunPrefix(key), state, seen);
  // Only the switch case taken has pending tasks to show; the others are recorded skipped.
  const selected = state.tasks[key]?.selected ?? null;
  return lists.flatMap((list) => {
    switch (list.nesting) {
      case 'per-item':
        return bodyInstances(state, key).flatMap(({ prefix }) => listNodes(list.tasks, prefix, state, seen, true));
      default:
        // Branches and cases add nothing to keys: their tasks share the owner's prefix.
        return listNodes(list.tasks, prefix, state, seen, spec.kind !== 'switch' || list.label === selected);
    }
  });
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
