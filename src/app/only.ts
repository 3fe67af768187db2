// `run --only` and the default blueprint: choosing what to run before a run is created.
import fs from 'node:fs';
import path from 'node:path';
import type { Blueprint } from '../blueprint/model.js';
import { didYouMean, listAnd } from '../blueprint/suggest.js';
import { frameLists, walkTasks } from '../blueprint/visit.js';
import type { NewEvent } from '../engine/core/events.js';
import { staticDescendants } from '../engine/core/specs.js';
import { UsageError, type CommandIO } from './io.js';

/** The files `baton run` with no blueprint looks for, in this order. */
export const DEFAULT_BLUEPRINTS = ['baton.yaml', '.baton.yaml'] as const;

/** The blueprint named, or the default one in the current directory. */
export function blueprintPath(io: CommandIO, given: string | undefined): string {
  if (given !== undefined) return path.resolve(io.cwd, given);
  for (const name of DEFAULT_BLUEPRINTS) {
    const file = path.join(io.cwd, name);
    if (fs.existsSync(file)) return file;
  }
  throw new UsageError(`no blueprint given, and neither ${listAnd([...DEFAULT_BLUEPRINTS]).replace(' and ', ' nor ')} is in ${io.cwd}`, 'name one (baton run deploy.yaml), or write a starter baton.yaml with: baton init');
}

/** Checks `--only` ids: each must be a task of the blueprint's top-level `tasks:` list. */
export function checkOnly(bp: Blueprint, only: readonly string[]): void {
  const top = bp.tasks.map((t) => t.id);
  for (const id of only) {
    if (top.includes(id)) continue;
    const where = [...walkTasks(frameLists(bp))].find((v) => v.spec.id === id);
    if (where) {
      const inside = where.owner ? `inside \`${where.owner.id}\`` : `in \`${where.list.role}\` (a handler)`;
      throw new UsageError(`--only ${id}: the task is ${inside}; --only takes a task of the top-level \`tasks:\` list (${listAnd(top)})`);
    }
    throw new UsageError(`--only ${id}: no top-level task has that id${didYouMean(id, top)}`, `the top-level tasks are ${listAnd(top)}`);
  }
}

/** `--with-needs`: the chosen tasks and, transitively, the top-level tasks they `needs:`, in blueprint order. */
export function withTheirNeeds(bp: Blueprint, only: readonly string[]): string[] {
  if (only.length === 0) throw new UsageError('--with-needs adds what the --only tasks need: name one with --only TASK');
  const byId = new Map(bp.tasks.map((t) => [t.id, t]));
  const chosen = new Set<string>();
  const add = (id: string): void => {
    if (chosen.has(id)) return;
    chosen.add(id);
    for (const need of byId.get(id)?.needs ?? []) add(need);
  };
  for (const id of only) add(id);
  return bp.tasks.map((t) => t.id).filter((id) => chosen.has(id));
}

/** The other top-level tasks (and what they hold) recorded as skipped, so resume and retry never run them. */
export function skipAllBut(bp: Blueprint, only: readonly string[]): NewEvent[] {
  if (only.length === 0) return [];
  const events: NewEvent[] = [];
  for (const spec of bp.tasks) {
    if (only.includes(spec.id)) continue;
    events.push({ type: 'task_skipped', key: spec.id, id: spec.id, kind: spec.kind });
    for (const inner of staticDescendants(spec)) events.push({ type: 'task_skipped', key: inner.id, id: inner.id, kind: inner.kind });
  }
  return events;
}
