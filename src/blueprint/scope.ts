// Which tasks an expression may read (SPEC §1.3 scope), and why a reference is out of scope.
import type { Segment, TaskSite } from './convert-context.js';
import { transitiveNeeds, type ListGraph } from './needs.js';
import { didYouMean } from './suggest.js';

/** Where an expression is evaluated. */
export type Viewpoint =
  | { kind: 'task'; id: string; path: Segment[] }
  /** A loop's `while`: after its body, seeing the body's tasks. */
  | { kind: 'while'; id: string; path: Segment[] }
  /** Blueprint `outputs`: after the main tasks. */
  | { kind: 'outputs' }
  /** Settings read before any task runs (`env`, `defaults`, `inputs`). */
  | { kind: 'static'; what: string };

/** Why `tasks.<id>` cannot be read from `view`, or null when it can. */
export function referenceProblem(id: string, view: Viewpoint, ids: Map<string, TaskSite>, graphs?: Map<string, ListGraph>): string | null {
  const target = ids.get(id);
  if (!target) return `no task has the id \`${id}\`${didYouMean(id, ids.keys())}`;
  if (view.kind === 'static') return `\`${id}\` has not run yet at this point: ${view.what} is read before any task runs`;
  if (view.kind === 'outputs') return bodyProblem(id, target.path, 0);
  const path = view.kind === 'while' ? [...view.path, { list: `${view.id}#do`, owner: view.id, container: 'body' as const, pos: Infinity }] : view.path;
  return compare(id, target.path, path, view.id, graphs);
}

function sameList(a: Segment, b: Segment): boolean {
  return a.list === b.list;
}

function compare(id: string, target: Segment[], view: Segment[], viewId: string, graphs?: Map<string, ListGraph>): string | null {
  let k = 0;
  while (k < target.length && k < view.length && sameList(target[k] as Segment, view[k] as Segment) && target[k]?.pos === view[k]?.pos) k++;
  if (k === target.length && k === view.length) return `\`${id}\` has not run yet at this point: it is this task itself`;
  if (k === target.length) return `\`${id}\` has not finished at this point: this task is inside it`;
  if (k === view.length) return `\`${id}\` has not run yet at this point: it is inside this task`;
  const t = target[k] as Segment;
  const v = view[k] as Segment;
  const graph = graphs?.get(t.list);
  if (sameList(t, v) && graph) {
    // In a graph list only what a task needs (directly or not) has surely ended before it starts.
    const [owner, reader] = [graph.ids[t.pos] ?? id, graph.ids[v.pos] ?? viewId];
    if (transitiveNeeds(graph, reader).has(owner)) return bodyProblem(id, target, k + 1);
    const what = owner === id ? `\`${id}\`` : `\`${id}\` (inside \`${owner}\`)`;
    return `${what} may not have run yet at this point: \`${reader}\` does not need \`${owner}\` (add it to \`needs\`)`;
  }
  if (sameList(t, v)) {
    if (t.pos > v.pos) return `\`${id}\` has not run yet at this point: it comes after \`${viewId}\``;
    return bodyProblem(id, target, k + 1);
  }
  if (k === 0) return handlerProblem(id, t, v, target);
  if (t.container === 'branch') return `\`${id}\` is in another branch of parallel \`${t.owner}\`, which runs at the same time`;
  return `\`${id}\` is in another case of switch \`${t.owner}\`: only one case runs`;
}

/** Tasks inside a for_each / loop body are visible only inside that body. */
function bodyProblem(id: string, target: Segment[], from: number): string | null {
  const body = target.slice(from).find((s) => s.container === 'body');
  if (!body) return null;
  return `\`${id}\` is inside the body of \`${body.owner}\` and visible only there: read \`tasks.${body.owner}.output\` instead`;
}

/** Main tasks, `on_failure` and `finally` run in that order; handlers see what ran before them. */
function handlerProblem(id: string, t: Segment, v: Segment, target: Segment[]): string | null {
  const order = { root: 0, on_failure: 1, finally: 2 } as Record<string, number>;
  const targetOrder = order[t.container] ?? 0;
  const viewOrder = order[v.container] ?? 0;
  if (targetOrder < viewOrder) return bodyProblem(id, target, 1);
  const later = v.container === 'root' ? 'the main tasks' : '`on_failure`';
  return `\`${id}\` has not run yet at this point: it is a \`${t.container}\` task, which runs after ${later}`;
}
