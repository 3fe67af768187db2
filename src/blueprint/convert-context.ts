// Shared state of one blueprint's conversion from YAML nodes to the model, and value readers that skip invalid nodes.
import { isMap, type Document, type Node, type YAMLMap } from 'yaml';
import type { Diagnostic } from './diagnostics.js';
import type { ListGraph } from './needs.js';
import type { OutputMode, RetryPolicy, SourceRange, TaskKind, Template, WorkflowTask } from './model.js';
import { unwrapExpression } from '../expr/index.js';
import { getNode, toValue } from './yaml-nodes.js';

/** One step of a task's position: which list it is in and where. */
export interface Segment {
  /** Unique name of the list, e.g. `root`, `build#branch1`, `deploy#case:prod`. */
  list: string;
  /** The task whose list this is (null for top-level lists). */
  owner: string | null;
  container: 'root' | 'on_failure' | 'finally' | 'branch' | 'case' | 'body';
  pos: number;
}

/** Where a task is and what it is, for scope checks and expression walks. */
export interface TaskSite {
  id: string;
  kind: TaskKind | null;
  node: YAMLMap;
  path: Segment[];
  idRange: SourceRange;
}

export interface CommandDefaults {
  timeoutMs?: number;
  retry: RetryPolicy;
  killGraceMs: number;
  cwd?: Template;
  shell?: string;
  output: OutputMode;
  pool?: string;
}

export interface ConvertContext {
  doc: Document;
  file: string;
  /** The file's text (for mapping offsets inside scalars). */
  source: string;
  invalid: WeakSet<Node>;
  diagnostics: Diagnostic[];
  defaults: CommandDefaults;
  /** First task of each id. */
  ids: Map<string, TaskSite>;
  sites: TaskSite[];
  workflowTasks: { task: WorkflowTask; node: YAMLMap; pathNode: Node }[];
  /** Lists that run as graphs (`needs:`), by list name; set once the needs are checked. */
  graphs?: Map<string, ListGraph>;
  /** False: `env_file`s are noted but not read (readers of a recorded run that start no task). */
  readEnvFiles: boolean;
}

/** The node under `key`, or undefined when absent or already reported as invalid. */
export function field(ctx: ConvertContext, map: YAMLMap, key: string): Node | null | undefined {
  const node = getNode(map, key, ctx.doc);
  if (node && ctx.invalid.has(node)) return undefined;
  return node;
}

/** The plain value under `key` (undefined when absent or invalid). */
export function value(ctx: ConvertContext, map: YAMLMap, key: string): unknown {
  const node = field(ctx, map, key);
  if (node === undefined) return undefined;
  return toValue(node, ctx.doc);
}

export function stringValue(ctx: ConvertContext, map: YAMLMap, key: string): string | undefined {
  const v = value(ctx, map, key);
  return typeof v === 'string' ? v : undefined;
}

export function numberValue(ctx: ConvertContext, map: YAMLMap, key: string): number | undefined {
  const v = value(ctx, map, key);
  return typeof v === 'number' ? v : undefined;
}

/** A `concurrency`: a number, or the source of its `${{ }}` expression (evaluated when the run or for_each starts). */
export function limitValue(ctx: ConvertContext, map: YAMLMap, key: string): number | string | undefined {
  const v = value(ctx, map, key);
  if (typeof v === 'number') return v;
  return typeof v === 'string' ? unwrapExpression(v).source : undefined;
}

export function booleanValue(ctx: ConvertContext, map: YAMLMap, key: string): boolean | undefined {
  const v = value(ctx, map, key);
  return typeof v === 'boolean' ? v : undefined;
}

export function mapField(ctx: ConvertContext, map: YAMLMap, key: string): YAMLMap | undefined {
  const node = field(ctx, map, key);
  return isMap(node) ? node : undefined;
}

/** Environment values as strings (numbers and booleans stringified; templates kept). */
export function envValues(raw: unknown): Record<string, Template> {
  const out: Record<string, Template> = {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return out;
  for (const [key, v] of Object.entries(raw)) {
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[key] = String(v);
  }
  return out;
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
