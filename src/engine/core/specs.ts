// Finds task specs by id and the blueprint of a sub-run frame, with an index built once per blueprint.
import type { Blueprint, TaskSpec } from '../../blueprint/model.js';
import { frameLists, staticOnly, tasksInside, walkTasks, withinBlueprint } from '../../blueprint/visit.js';
import { frameTaskIds } from './keys.js';

const indexes = new WeakMap<Blueprint, Map<string, TaskSpec>>();

function index(bp: Blueprint): Map<string, TaskSpec> {
  let map = indexes.get(bp);
  if (!map) {
    map = new Map();
    for (const { spec } of walkTasks(frameLists(bp), withinBlueprint)) map.set(spec.id, spec);
    indexes.set(bp, map);
  }
  return map;
}

export function findSpec(bp: Blueprint, id: string): TaskSpec | undefined {
  return index(bp).get(id);
}

/** The blueprint a frame runs: the run's own for '', else the child of each `workflow` task along the key. */
export function frameBlueprint(bp: Blueprint, frameKey: string): Blueprint {
  if (frameKey === '') return bp;
  let current = bp;
  for (const id of frameTaskIds(frameKey)) {
    const spec = findSpec(current, id);
    if (spec?.kind !== 'workflow') throw new Error(`internal: ${frameKey} is not a sub-run`);
    current = spec.child;
  }
  return current;
}

/** Tasks that sit statically inside a task (parallel branches, switch cases), not inside per-item bodies or sub-runs. */
export function staticDescendants(spec: TaskSpec): TaskSpec[] {
  return [...tasksInside(spec, staticOnly)].map((v) => v.spec);
}
