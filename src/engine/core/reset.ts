// What `baton retry` and `baton rerun --from` set back, computed from the blueprint and state (pure), recorded as one event.
import { isGraph, type Blueprint, type TaskSpec } from '../../blueprint/model.js';
import { frameLists } from '../../blueprint/visit.js';
import { topologicalOrder } from './order.js';
import { BatonError, EXIT } from '../../errors/exit.js';
import type { NewEvent } from './events.js';
import { walkFrame, walkList, type InstanceNode } from './instances.js';
import { frameOfKey, subRunPrefix } from './keys.js';
import { frameBlueprint } from './specs.js';
import { instanceMap, type RunState } from './state.js';
import { TASK_STATUS } from './status.js';

type ResetEvent = Extract<NewEvent, { type: 'run_reset' }>;

function allNodes(bp: Blueprint, state: RunState): InstanceNode[] {
  const nodes: InstanceNode[] = [];
  walkFrame(state, bp, '', null, (n) => nodes.push(n));
  return nodes;
}

/** retry: every failed, timed-out or canceled instance runs again; enclosing control flow and sub-runs reopen; completed work stays.
 *  With `frameKey`, only inside that sub-run (a `workflow` task's own retry). */
export function planRetry(bp: Blueprint, state: RunState, frameKey = ''): ResetEvent {
  const reset: string[] = [];
  const reopen: ResetEvent['reopen'] = [];
  const frames = new Set<string>([frameKey]);
  const nodes: InstanceNode[] = [];
  walkFrame(state, frameKey === '' ? bp : frameBlueprint(bp, frameKey), frameKey, null, (n) => nodes.push(n));
  for (const node of nodes) {
    const inst = state.tasks[node.key];
    // Skipped because a need failed (graph lists): it runs again once that need does.
    const skippedForNeed = inst?.status === 'skipped' && inst.error !== null;
    if (!inst || (!TASK_STATUS[inst.status].retriable && !skippedForNeed)) continue;
    const container = node.spec.kind === 'parallel' || node.spec.kind === 'for_each' || node.spec.kind === 'switch' || node.spec.kind === 'loop' || node.spec.kind === 'workflow';
    // A control-flow task that got going reopens, keeping what its completed parts did; one that failed before starting runs afresh.
    const started = container && (node.spec.if === undefined || inst.condition !== null) && inst.started_at !== null;
    if (started) {
      reopen.push({ key: node.key, iteration: null });
      if (node.spec.kind === 'workflow' && inst.frame) frames.add(node.key);
    } else {
      reset.push(node.key);
    }
  }
  // Handlers run again for the new outcome.
  for (const frameKey of frames) addHandlers(bp, state, frameKey, reset);
  return { type: 'run_reset', reason: 'retry', reset: unique(reset), reopen, frames: [...frames], vars: varsOf(state, [...frames], new Set()) };
}

/** The task to rerun from is not in the blueprint (an edited file taken with --reload); `targets` are the ones that are. */
export class RerunTargetError extends BatonError {
  readonly exitCode = EXIT.usage;

  constructor(
    readonly key: string,
    readonly targets: string[],
  ) {
    super(`no task instance \`${key}\` in the blueprint`);
  }
}

/** The instances a bare id or an instance key names. */
export function matchInstances(state: RunState, ref: string): string[] {
  if (state.tasks[ref]) return [ref];
  return Object.keys(state.tasks).filter((k) => state.tasks[k]!.id === ref);
}

/** rerun --from: that instance, later tasks in its list, its enclosing tasks, everything after them, and the handlers. */
export function planRerun(bp: Blueprint, state: RunState, key: string): ResetEvent {
  const nodes = allNodes(bp, state);
  const target = nodes.find((n) => n.key === key);
  if (!target || !state.tasks[key]) throw new RerunTargetError(key, nodes.filter((n) => state.tasks[n.key]).map((n) => n.key));
  const reset = new Set<string>();
  const reopen: ResetEvent['reopen'] = [];
  const frames = new Set<string>();
  const subtree = (node: InstanceNode) => {
    reset.add(node.key);
    for (const n of nodes) if (isInside(n, node)) reset.add(n.key);
  };
  const laterInList = (node: InstanceNode) => {
    // In a graph list what comes after a task is what needs it, directly or not; elsewhere, what follows it.
    const after = isGraph(node.list) ? dependents(node.list, node.spec.id) : new Set(node.list.slice(node.list.indexOf(node.spec) + 1).map((s) => s.id));
    for (const n of nodes) if (n.prefix === node.prefix && n.list === node.list && after.has(n.spec.id)) subtree(n);
  };
  subtree(target);
  let current = target;
  for (;;) {
    laterInList(current);
    const parent = current.parent;
    if (!parent) break;
    if (parent.spec.kind === 'loop' && current.index !== null) {
      // Later iterations are dropped (set back to not run, so attempt numbers still go on).
      for (const n of nodes) if (isInside(n, parent) && n.index !== null && n.parent === parent && n.index > current.index) subtree(n);
      reopen.push({ key: parent.key, iteration: current.index });
    } else {
      reopen.push({ key: parent.key, iteration: null });
    }
    if (parent.spec.kind === 'workflow') frames.add(parent.key);
    current = parent;
  }
  frames.add('');
  const resetList = [...reset].filter((k) => state.tasks[k]);
  for (const frameKey of frames) addHandlers(bp, state, frameKey, resetList);
  // The frames' main lists after the reset point are handled by laterInList at each level; handlers always rerun.
  return { type: 'run_reset', reason: 'rerun', reset: unique(resetList), reopen, frames: [...frames], vars: varsOf(state, [...frames], new Set(resetList)) };
}

/** The ids of a graph list that need `id`, directly or through others. */
function dependents(list: TaskSpec[], id: string): Set<string> {
  const out = new Set<string>();
  for (const spec of topologicalOrder(list)) if ((spec.needs ?? []).some((n) => n === id || out.has(n))) out.add(spec.id);
  return out;
}

function isInside(node: InstanceNode, ancestor: InstanceNode): boolean {
  for (let p = node.parent; p; p = p.parent) if (p === ancestor) return true;
  return false;
}

function addHandlers(bp: Blueprint, state: RunState, frameKey: string, out: string[]): void {
  const frameBp = frameKey === '' ? bp : frameBlueprintOf(bp, state, frameKey);
  if (!frameBp) return;
  const prefix = frameKey === '' ? '' : subRunPrefix(frameKey);
  for (const list of frameLists(frameBp).filter((l) => l.role !== 'tasks')) {
    walkList(state, list.tasks, prefix, frameKey, null, null, (n) => {
      if (state.tasks[n.key]) out.push(n.key);
    });
  }
}

function frameBlueprintOf(bp: Blueprint, state: RunState, frameKey: string): Blueprint | null {
  let found: Blueprint | null = null;
  walkFrame(state, bp, '', null, (n) => {
    if (n.key === frameKey && n.spec.kind === 'workflow') found = n.spec.child;
  });
  return found;
}

/** Run variables recomputed from the `set` tasks that are kept, in the order they completed. */
function varsOf(state: RunState, frames: string[], dropped: Set<string>): Record<string, Record<string, unknown>> {
  const out = instanceMap<Record<string, unknown>>();
  for (const frameKey of frames) {
    const sets = Object.values(state.tasks)
      .filter((t) => t.kind === 'set' && t.status === 'completed' && !dropped.has(t.key) && frameOfKey(t.key) === frameKey)
      .sort((a, b) => (a.ended_at ?? '').localeCompare(b.ended_at ?? ''));
    out[frameKey] = Object.assign({}, ...sets.map((t) => t.output as Record<string, unknown>));
  }
  return out;
}

function unique(keys: string[]): string[] {
  return [...new Set(keys)];
}
