// The one place that knows which fields of each task kind hold child task lists, and how their instance keys nest.
import type { Blueprint, TaskSpec } from './model.js';

/** Where a list sits: a frame's own lists (`tasks`, `on_failure`, `finally`), a parallel branch, a switch case or default, a body. */
export type ListRole = 'tasks' | 'on_failure' | 'finally' | 'branch' | 'case' | 'default' | 'body';

/**
 * How instance keys of a list's tasks derive from its owner's: `frame` — the run's own lists (no owner);
 * `shared` — the owner's key prefix (branches, cases); `per-item` — one prefix per item or iteration
 * under the owner's key (for_each / loop bodies); `sub-run` — the owner's sub-run prefix (a `workflow` task's lists).
 */
export type KeyNesting = 'frame' | 'shared' | 'per-item' | 'sub-run';

export interface TaskList {
  role: ListRole;
  /** The case value, `default`, the branch number from 1, or the role for the other lists. */
  label: string;
  tasks: TaskSpec[];
  nesting: KeyNesting;
}

/** A frame's lists in running order: main tasks, then the handlers. */
export function frameLists(bp: Blueprint, nesting: 'frame' | 'sub-run' = 'frame'): TaskList[] {
  return [
    { role: 'tasks', label: 'tasks', tasks: bp.tasks, nesting },
    { role: 'on_failure', label: 'on_failure', tasks: bp.onFailure, nesting },
    { role: 'finally', label: 'finally', tasks: bp.finally, nesting },
  ];
}

/** The task lists directly inside a task, in blueprint order, a `workflow` task's sub-run lists included. */
export function childLists(spec: TaskSpec): TaskList[] {
  switch (spec.kind) {
    case 'parallel':
      return spec.branches.map((tasks, i) => ({ role: 'branch', label: String(i + 1), tasks, nesting: 'shared' }));
    case 'switch':
      return [
        ...spec.cases.map((c): TaskList => ({ role: 'case', label: c.value, tasks: c.tasks, nesting: 'shared' })),
        { role: 'default', label: 'default', tasks: spec.default, nesting: 'shared' },
      ];
    case 'for_each':
    case 'loop':
      return [{ role: 'body', label: 'body', tasks: spec.body, nesting: 'per-item' }];
    case 'workflow':
      return frameLists(spec.child, 'sub-run');
    default:
      return [];
  }
}

/** One task met by `walkTasks`, with the list it sits in, the task owning that list (null at the top) and its depth. */
export interface Visit {
  spec: TaskSpec;
  list: TaskList;
  owner: TaskSpec | null;
  depth: number;
}

/** Which child lists a walk enters. */
export type Enter = (list: TaskList, owner: TaskSpec) => boolean;

/** Enters every list but a `workflow` task's: the tasks of one blueprint file. */
export const withinBlueprint: Enter = (list) => list.nesting !== 'sub-run';
/** Enters only lists whose tasks share their owner's key prefix (branches, cases): what one instance holds statically. */
export const staticOnly: Enter = (list) => list.nesting === 'shared';

/** Every task of `lists`, depth first in blueprint order: each task, then the lists inside it that `enter` accepts. */
export function* walkTasks(lists: TaskList[], enter: Enter = () => true, owner: TaskSpec | null = null, depth = 0): Generator<Visit> {
  for (const list of lists) {
    for (const spec of list.tasks) {
      yield { spec, list, owner, depth };
      yield* walkTasks(
        childLists(spec).filter((inner) => enter(inner, spec)),
        enter,
        spec,
        depth + 1,
      );
    }
  }
}

/** Every task inside `spec` (not `spec` itself), through the lists `enter` accepts at every level. */
export function tasksInside(spec: TaskSpec, enter: Enter = () => true): Generator<Visit> {
  return walkTasks(
    childLists(spec).filter((list) => enter(list, spec)),
    enter,
    spec,
    1,
  );
}
