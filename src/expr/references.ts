// Task references (`tasks.<id>`) found in an expression's parsed AST, with offsets for diagnostics.
import { parseExpression, type JsonataAst } from './compile.js';

export interface TaskReference {
  id: string;
  /** Offset of the id's first character within the source (inside the backticks when quoted). */
  offset: number;
}

type Node = JsonataAst;

function isNode(value: unknown): value is Node {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && typeof (value as Node).type === 'string';
}

/** Calls `visit` on every AST node, depth first; the AST's shape varies by node type, so walk all properties. */
export function walkAst(root: JsonataAst, visit: (node: Node) => void): void {
  const seen = new Set<object>();
  const walk = (value: unknown): void => {
    if (value === null || typeof value !== 'object' || seen.has(value)) return;
    seen.add(value);
    if (Array.isArray(value)) {
      for (const item of value) walk(item);
      return;
    }
    if (isNode(value)) visit(value);
    for (const key of Object.keys(value)) walk((value as Record<string, unknown>)[key]);
  };
  walk(root);
}

/** Start offset of a name step: jsonata records the index just after it (after the closing backtick if quoted). */
export function nameStart(step: JsonataAst, source: string): number {
  const name = String(step.value);
  const end = step.position ?? 0;
  return source[end - 1] === '`' ? end - 1 - name.length : end - name.length;
}

/** Index of the `root` step in a path that reads from the root (`tasks.x`, `$$.tasks.x`, `$.tasks.x`), or -1. */
function rootStepIndex(steps: JsonataAst[], root: string): number {
  const first = steps[0];
  if (!first) return -1;
  if (first.type === 'name' && first.value === root) return 0;
  const second = steps[1];
  const rootVariable = first.type === 'variable' && (first.value === '$' || first.value === '');
  if (rootVariable && second && second.type === 'name' && second.value === root) return 1;
  return -1;
}

/** Task ids read as `tasks.<id>` (or tasks.`my-id`) anywhere in the expression; empty when it does not parse. */
export function taskReferences(source: string): TaskReference[] {
  return rootReferences(source, 'tasks');
}

/** Environment variables read as `env.<NAME>` anywhere in the expression (`id` is the name). */
export function envReferences(source: string): TaskReference[] {
  return rootReferences(source, 'env');
}

function rootReferences(source: string, root: string): TaskReference[] {
  const parsed = parseExpression(source);
  if (!('ast' in parsed)) return [];
  const refs: TaskReference[] = [];
  walkAst(parsed.ast, (node) => {
    if (node.type !== 'path' || !Array.isArray(node.steps)) return;
    const at = rootStepIndex(node.steps, root);
    const idStep = at < 0 ? undefined : node.steps[at + 1];
    if (!idStep || idStep.type !== 'name') return;
    refs.push({ id: String(idStep.value), offset: nameStart(idStep, source) });
  });
  return refs.sort((a, b) => a.offset - b.offset);
}

/** Root names (`item`, `index`, `iteration`) an expression reads, e.g. `item.path`; names inside filters are relative, so skipped. */
export function rootNames(source: string, names: readonly string[]): { name: string; offset: number }[] {
  const parsed = parseExpression(source);
  if (!('ast' in parsed)) return [];
  const found: { name: string; offset: number }[] = [];
  const visit = (value: unknown, relative: boolean): void => {
    if (value === null || typeof value !== 'object') return;
    if (Array.isArray(value)) {
      for (const item of value) visit(item, relative);
      return;
    }
    const node = value as Node;
    if (!relative && node.type === 'path' && Array.isArray(node.steps)) {
      const first = node.steps[0];
      if (first?.type === 'name' && names.includes(String(first.value))) found.push({ name: String(first.value), offset: nameStart(first, source) });
    }
    for (const [key, child] of Object.entries(node)) {
      // Inside a filter, group-by or later path step, a bare name reads the current item, not the root.
      const inner = relative || key === 'predicate' || key === 'stages' || key === 'group' || (key === 'steps' && node.type === 'path');
      if (key === 'steps' && Array.isArray(child)) {
        child.forEach((step, i) => visit(step, relative || i > 0 || inner !== relative));
      } else {
        visit(child, inner);
      }
    }
  };
  visit(parsed.ast, false);
  return found.sort((a, b) => a.offset - b.offset);
}
