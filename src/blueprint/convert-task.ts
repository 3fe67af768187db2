// Converting task mappings to TaskSpec: kind keys, keys of other kinds, duplicate ids, per-kind fields.
import { isMap, isSeq, type Node, type YAMLMap } from 'yaml';
import { rootNames, unwrapExpression } from '../expr/index.js';
import { errorAt } from './diagnostics.js';
import { parseDuration } from './duration.js';
import type { Blueprint, SourceRange, TaskKind, TaskSpec, Template } from './model.js';
import { NO_RETRY } from './model.js';
import { KIND_ONLY_KEYS, TASK_KINDS, taskSchema, type RawTaskKind } from './schema.js';
import type { ObjectNode } from './schema-dsl.js';
import { convertCommandSettings, convertRetry, durationValue } from './convert-command.js';
import {
  booleanValue,
  field,
  isPlainObject,
  limitValue,
  mapField,
  numberValue,
  stringValue,
  value,
  type ConvertContext,
  type Segment,
} from './convert-context.js';
import { convertMatrix } from './matrix.js';
import { closest, editDistance, listAnd, listOr } from './suggest.js';
import { entries, getKeyNode, keyText, rangeOf, resolveNode, toValue } from './yaml-nodes.js';

/** Where a list of tasks sits: its enclosing path and how the list is named. */
export interface ListPlace {
  parent: Segment[];
  list: string;
  owner: string | null;
  container: Segment['container'];
}

/** Convert a YAML list of tasks (items that are not mappings were reported by the structural check). */
export function convertTaskList(ctx: ConvertContext, raw: Node | null | undefined, place: ListPlace): TaskSpec[] {
  const node = resolveNode(raw, ctx.doc);
  if (!isSeq(node)) return [];
  const tasks: TaskSpec[] = [];
  node.items.forEach((item, pos) => {
    const map = resolveNode(item, ctx.doc);
    if (!isMap(map)) return;
    const segment: Segment = { list: place.list, owner: place.owner, container: place.container, pos };
    const task = convertTask(ctx, map, [...place.parent, segment]);
    if (task) tasks.push(task);
  });
  return tasks;
}

function convertTask(ctx: ConvertContext, map: YAMLMap, path: Segment[]): TaskSpec | null {
  const id = stringValue(ctx, map, 'id') ?? '';
  const idNode = getKeyNode(map, 'id');
  const idRange = rangeOf(field(ctx, map, 'id') ?? idNode ?? map, ctx.file);
  const kinds = TASK_KINDS.filter((kind) => getKeyNode(map, kind) !== undefined);
  const kind = kinds[0] ?? null;
  registerId(ctx, id, idRange, map, path, kind === 'matrix' ? 'for_each' : kind);
  checkKinds(ctx, map, id, kinds);
  if (!kind) return null;

  const kindValue = resolveNode(getNode(map, kind), ctx.doc);
  const base = {
    id,
    optional: booleanValue(ctx, map, 'optional') ?? false,
    range: rangeOf(map, ctx.file),
    kindRange: rangeOf(kindValue ?? getKeyNode(map, kind), ctx.file),
  } as Omit<TaskSpec, 'kind'> & { name?: string; description?: string; if?: string | boolean; ifReadsNeeds?: true; timeoutMs?: number; needs?: string[] };
  const name = stringValue(ctx, map, 'name');
  if (name !== undefined) base.name = name;
  const description = stringValue(ctx, map, 'description');
  if (description !== undefined) base.description = description;
  const condition = value(ctx, map, 'if');
  if (typeof condition === 'boolean') base.if = condition;
  if (typeof condition === 'string') base.if = unwrapExpression(condition).source;
  if (typeof base.if === 'string' && rootNames(base.if, ['needs']).length > 0) base.ifReadsNeeds = true;
  const timeout = durationValue(ctx, map, 'timeout');
  if (timeout !== undefined) base.timeoutMs = timeout;
  const needs = value(ctx, map, 'needs');
  if (needs !== undefined) base.needs = (Array.isArray(needs) ? needs : [needs]).filter((n): n is string => typeof n === 'string');
  const own = (list: string, container: Segment['container']): ListPlace => ({ parent: path, list: `${id}#${list}`, owner: id, container });

  switch (kind) {
    case 'run':
      return { ...base, ...convertCommandSettings(ctx, map), kind, script: stringValue(ctx, map, 'run') ?? '' };
    case 'command': {
      const argv = value(ctx, map, 'command');
      return { ...base, ...convertCommandSettings(ctx, map), kind, argv: Array.isArray(argv) ? argv : [] };
    }
    case 'parallel': {
      const branchesNode = field(ctx, map, 'parallel');
      const branches = isSeq(branchesNode)
        ? branchesNode.items.map((branch, i) => convertTaskList(ctx, branch as Node, own(`branch${i}`, 'branch')))
        : [];
      return { ...base, kind, branches, failFast: booleanValue(ctx, map, 'fail_fast') ?? true };
    }
    case 'for_each': {
      requireKey(ctx, map, id, 'do', 'for_each', 'the tasks run for each item');
      const items = value(ctx, map, 'for_each');
      const task: TaskSpec = {
        ...base,
        kind,
        items: typeof items === 'string' ? `\${{ ${unwrapExpression(items).source} }}` : (items ?? []),
        body: convertTaskList(ctx, field(ctx, map, 'do'), own('do', 'body')),
        failFast: booleanValue(ctx, map, 'fail_fast') ?? true,
      };
      const concurrency = limitValue(ctx, map, 'concurrency');
      if (concurrency !== undefined) task.concurrency = concurrency;
      return task;
    }
    case 'matrix': {
      requireKey(ctx, map, id, 'do', 'matrix', 'the tasks run for each combination');
      const matrix = mapField(ctx, map, 'matrix');
      const task: TaskSpec = {
        ...base,
        kind: 'for_each',
        items: matrix ? convertMatrix(ctx, matrix) : [],
        body: convertTaskList(ctx, field(ctx, map, 'do'), own('do', 'body')),
        failFast: booleanValue(ctx, map, 'fail_fast') ?? true,
        matrix: true,
      };
      const concurrency = limitValue(ctx, map, 'concurrency');
      if (concurrency !== undefined) task.concurrency = concurrency;
      return task;
    }
    case 'switch': {
      requireKey(ctx, map, id, 'cases', 'switch', 'the tasks of each value');
      const casesNode = mapField(ctx, map, 'cases');
      const cases = casesNode
        ? entries(casesNode).map(({ key, pair }) => ({
            value: key ?? '',
            tasks: convertTaskList(ctx, pair.value as Node, own(`case:${key ?? ''}`, 'case')),
          }))
        : [];
      const switchValue = stringValue(ctx, map, 'switch') ?? '';
      const defaultTasks = convertTaskList(ctx, field(ctx, map, 'default'), own('default', 'case'));
      return { ...base, kind, value: unwrapExpression(switchValue).source, cases, default: defaultTasks };
    }
    case 'loop': {
      const loop = mapField(ctx, map, 'loop');
      const body = loop ? convertTaskList(ctx, field(ctx, loop, 'do'), own('do', 'body')) : [];
      const whileText = loop ? stringValue(ctx, loop, 'while') ?? '' : '';
      const maxIterations = loop ? numberValue(ctx, loop, 'max_iterations') ?? 100 : 100;
      return { ...base, kind, body, while: unwrapExpression(whileText).source, maxIterations };
    }
    case 'workflow': {
      const inputs = value(ctx, map, 'inputs');
      const retry = convertRetry(ctx, field(ctx, map, 'retry')) ?? NO_RETRY;
      const task = {
        ...base,
        kind,
        path: stringValue(ctx, map, 'workflow') ?? '',
        inputs: isPlainObject(inputs) ? (inputs as Record<string, Template>) : {},
        retry,
        child: null as unknown as Blueprint, // filled in when the sub-workflow is loaded
      };
      const pathNode = field(ctx, map, 'workflow');
      if (pathNode) ctx.workflowTasks.push({ task, node: map, pathNode });
      return task;
    }
    case 'wait': {
      const wait = field(ctx, map, 'wait');
      if (isMap(wait)) {
        const signal = stringValue(ctx, wait, 'signal');
        return signal === undefined ? { ...base, kind } : { ...base, kind, signal };
      }
      const ms = wait ? parseDuration(toValue(wait, ctx.doc)) : null;
      return ms === null ? { ...base, kind } : { ...base, kind, durationMs: ms };
    }
    case 'set': {
      const values = value(ctx, map, 'set');
      return { ...base, kind, values: isPlainObject(values) ? values : {} };
    }
    case 'terminate': {
      const terminate = mapField(ctx, map, 'terminate');
      const status = terminate ? stringValue(ctx, terminate, 'status') : undefined;
      const task: TaskSpec = { ...base, kind, status: status === 'completed' ? 'completed' : 'failed' };
      const reason = terminate ? value(ctx, terminate, 'reason') : undefined;
      if (typeof reason === 'string') task.reason = reason;
      const output = terminate ? value(ctx, terminate, 'output') : undefined;
      if (isPlainObject(output)) task.output = output;
      return task;
    }
  }
}

function getNode(map: YAMLMap, key: string): unknown {
  let found: unknown;
  for (const pair of map.items) if (keyText(pair.key) === key) found = pair.value;
  return found;
}

/** Ids are unique in the whole blueprint; the repeat is the error, with a note at the first. */
function registerId(ctx: ConvertContext, id: string, idRange: SourceRange, node: YAMLMap, path: Segment[], kind: TaskKind | null): void {
  if (id === '') return;
  const first = ctx.ids.get(id);
  const site = { id, kind, node, path, idRange };
  // A repeated id is still checked for its own mistakes, so one pass reports everything.
  ctx.sites.push(site);
  if (first) {
    ctx.diagnostics.push(
      errorAt('duplicate-id', `duplicate task id \`${id}\`: ids must be unique in the whole blueprint`, idRange, [
        { message: `\`${id}\` is first used here`, range: first.idRange },
      ]),
    );
    return;
  }
  ctx.ids.set(id, site);
}

/** Exactly one kind key, and no keys that belong to other kinds. */
function checkKinds(ctx: ConvertContext, map: YAMLMap, id: string, kinds: RawTaskKind[]): void {
  const label = id === '' ? 'a task' : `task \`${id}\``;
  const foreign = entries(map).filter(({ key }) => key !== null && KIND_ONLY_KEYS[key]);
  if (kinds.length === 0) {
    // `rn: echo hi` is the kind, misspelt: its unknown-key error already says "did you mean `run`?".
    if (entries(map).some(({ key }) => key !== null && misspeltKind(key))) return;
    const hints = foreign.map(({ key }) => `\`${key}\` needs ${listOr(KIND_ONLY_KEYS[key as string] ?? [])}`);
    const hint = hints.length > 0 ? ` (${hints.join('; ')})` : '';
    const anchor = rangeOf(getKeyNode(map, 'id') ?? (map.items[0]?.key as Node | undefined) ?? map, ctx.file);
    ctx.diagnostics.push(errorAt('no-kind', `${label} has no kind: add one of ${TASK_KINDS.join(', ')}${hint}`, anchor));
    return;
  }
  if (kinds.length > 1) {
    const second = getKeyNode(map, kinds[1] as string);
    ctx.diagnostics.push(errorAt('several-kinds', `${label} has several kinds (${listAnd(kinds)}): keep exactly one`, rangeOf(second, ctx.file)));
    return;
  }
  const kind = kinds[0] as RawTaskKind;
  for (const { key, keyNode } of foreign) {
    const owners = KIND_ONLY_KEYS[key as string] ?? [];
    if (owners.includes(kind)) continue;
    const message = `\`${key}\` does not apply to a \`${kind}\` task: it belongs to ${listOr(owners)} tasks`;
    ctx.diagnostics.push(errorAt('wrong-kind-key', message, rangeOf(keyNode, ctx.file)));
  }
}

const TASK_KEYS = Object.keys((taskSchema.node as ObjectNode).properties);

/** An unknown key one edit away from a kind key, which is also what "did you mean" suggests for it. */
function misspeltKind(key: string): boolean {
  if (TASK_KEYS.includes(key)) return false;
  const suggestion = closest(key, TASK_KEYS);
  return suggestion !== undefined && (TASK_KINDS as readonly string[]).includes(suggestion) && editDistance(key.toLowerCase(), suggestion) <= 1;
}

function requireKey(ctx: ConvertContext, map: YAMLMap, id: string, key: string, kind: string, what: string): void {
  if (getKeyNode(map, key) !== undefined) return;
  const kindKey = getKeyNode(map, kind);
  ctx.diagnostics.push(errorAt('missing-key', `${kind} task \`${id}\` needs \`${key}:\` (${what})`, rangeOf(kindKey ?? map, ctx.file)));
}
