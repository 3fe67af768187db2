// What the reporter may learn from the blueprint about a task instance: its retry budget and signal name.
import type { Blueprint, TaskSpec } from '../blueprint/model.js';
import { frameOfKey, idOfKey } from '../engine/core/keys.js';
import { findSpec, frameBlueprint } from '../engine/core/specs.js';

interface TaskInfo {
  /** Attempts the retry policy allows (retry.count + 1); absent for tasks without attempts. */
  maxAttempts?: number;
  /** The signal a `wait: {signal}` task waits for. */
  signal?: string;
}

export type TaskInfoLookup = (key: string) => TaskInfo | undefined;

/** A lookup by instance key (`outer[1].b[0].c`, `sub/child[0].x`) over a blueprint and its sub-blueprints. */
export function taskInfoFromBlueprint(blueprint: Blueprint): TaskInfoLookup {
  return (key) => {
    let spec: TaskSpec | undefined;
    try {
      spec = findSpec(frameBlueprint(blueprint, frameOfKey(key)), idOfKey(key));
    } catch {
      return undefined; // a key from another blueprint version (--reload)
    }
    return spec ? infoOf(spec) : undefined;
  };
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
