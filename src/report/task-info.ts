// What the reporter may learn from the blueprint about a task instance: its retry budget and signal name.
import { childLists, type Blueprint, type TaskSpec } from '../blueprint/model.js';

export interface TaskInfo {
  /** Attempts the retry policy allows (retry.count + 1); absent for tasks without attempts. */
  maxAttempts?: number;
  /** The signal a `wait: {signal}` task waits for. */
  signal?: string;
}

export type TaskInfoLookup = (key: string) => TaskInfo | undefined;

/** A lookup by instance key (`outer[1].b[0].c`, `sub/child[0].x`) over a blueprint and its sub-blueprints. */
export function taskInfoFromBlueprint(blueprint: Blueprint): TaskInfoLookup {
  const indexes = new Map<Blueprint, Map<string, TaskSpec>>();
  const indexOf = (bp: Blueprint): Map<string, TaskSpec> => {
    let index = indexes.get(bp);
    if (!index) {
      index = new Map();
      for (const list of [bp.tasks, bp.onFailure, bp.finally]) addAll(index, list);
      indexes.set(bp, index);
    }
    return index;
  };
  return (key) => {
    const segments = key.split('/');
    let bp = blueprint;
    for (const segment of segments.slice(0, -1)) {
      const parent = indexOf(bp).get(idOfKey(segment));
      if (!parent || parent.kind !== 'workflow') return undefined;
      bp = parent.child;
    }
    const spec = indexOf(bp).get(idOfKey(segments[segments.length - 1] ?? ''));
    return spec ? infoOf(spec) : undefined;
  };
}

/** The task id an instance key ends with: `outer[1].b[0].c` → `c`. */
export function idOfKey(key: string): string {
  const last = key.slice(key.lastIndexOf('/') + 1);
  return (last.split('.').pop() ?? last).replace(/\[\d+\]$/, '');
}

function addAll(index: Map<string, TaskSpec>, list: TaskSpec[]): void {
  for (const spec of list) {
    index.set(spec.id, spec);
    for (const child of childLists(spec)) addAll(index, child);
  }
}

function infoOf(spec: TaskSpec): TaskInfo {
  switch (spec.kind) {
    case 'run':
    case 'command':
    case 'workflow':
      return { maxAttempts: spec.retry.count + 1 };
    case 'wait':
      return spec.signal === undefined ? {} : { signal: spec.signal };
    default:
      return {};
  }
}
