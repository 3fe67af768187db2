// The order of a graph list's tasks: each after everything it needs, otherwise as written (status, graph, decider).
import type { TaskSpec } from '../../blueprint/model.js';

const cache = new WeakMap<readonly TaskSpec[], TaskSpec[]>();

/** Tasks in a topological order of their `needs` (Kahn's, ties kept in list order); a plain list is returned as is. */
export function topologicalOrder(tasks: readonly TaskSpec[]): TaskSpec[] {
  let order = cache.get(tasks);
  if (order) return order;
  order = [];
  const placed = new Set<string>();
  const ids = new Set(tasks.map((t) => t.id));
  let rest = [...tasks];
  while (rest.length > 0) {
    const ready = rest.filter((t) => (t.needs ?? []).every((n) => placed.has(n) || !ids.has(n)));
    // A cycle never validates; should one get here, the rest keep their written order rather than vanish.
    const next = ready.length > 0 ? ready : rest;
    for (const t of next) {
      order.push(t);
      placed.add(t.id);
    }
    rest = rest.filter((t) => !placed.has(t.id));
  }
  cache.set(tasks, order);
  return order;
}
