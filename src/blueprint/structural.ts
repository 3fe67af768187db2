// Structural validation: walks YAML nodes against a schema-DSL description and reports every mismatch.
import { isMap, isScalar, isSeq, type Document, type Node } from 'yaml';
import { errorAt, type Diagnostic } from './diagnostics.js';
import { expectedText, type SchemaNode } from './schema-dsl.js';
import { didYouMean } from './suggest.js';
import { describeNode, entries, rangeOf, resolveNode, shapeOf, truncate, type Shape } from './yaml-nodes.js';

export interface StructuralResult {
  diagnostics: Diagnostic[];
  /** Nodes whose value does not fit the schema; later stages ignore them (the problem is already reported). */
  invalid: WeakSet<Node>;
}

interface Walk {
  doc: Document;
  file: string;
  diagnostics: Diagnostic[];
  invalid: WeakSet<Node>;
}

/** Check `root` against `schema`, collecting every problem. */
export function validateStructure(root: Node | null, schema: SchemaNode, doc: Document, file: string): StructuralResult {
  const walk: Walk = { doc, file, diagnostics: [], invalid: new WeakSet() };
  check(root, schema, walk, '', root);
  return { diagnostics: walk.diagnostics, invalid: walk.invalid };
}

function deref(schema: SchemaNode): SchemaNode {
  return schema.kind === 'ref' ? deref(schema.target()) : schema;
}

/** The YAML shapes a schema accepts. */
function shapesOf(schema: SchemaNode): Shape[] {
  const s = deref(schema);
  switch (s.kind) {
    case 'string':
    case 'enum':
      return ['string'];
    case 'integer':
    case 'number':
      return ['number'];
    case 'boolean':
      return ['boolean'];
    case 'array':
      return ['seq'];
    case 'record':
    case 'object':
      return ['map'];
    case 'union':
      return s.options.flatMap(shapesOf);
    case 'any':
      return ['string', 'number', 'boolean', 'null', 'map', 'seq'];
    case 'ref':
      return [];
  }
}

function report(walk: Walk, node: Node | null, anchor: Node | null, message: string, code = 'schema'): void {
  if (node) walk.invalid.add(node);
  // An empty value (`key:` with nothing after it) has no text to mark: mark the key instead.
  const empty = !node || !node.range || node.range[0] === node.range[1];
  walk.diagnostics.push(errorAt(code, message, rangeOf(empty ? (anchor ?? node) : node, walk.file)));
}

function label(path: string): string {
  return path === '' ? 'the blueprint' : `\`${path}\``;
}

function check(raw: unknown, schema: SchemaNode, walk: Walk, path: string, anchor: Node | null): void {
  const before = walk.diagnostics.length;
  checkShape(raw, schema, walk, path, anchor);
  const s = deref(schema);
  if (!s.refine || walk.diagnostics.length !== before) return;
  const node = resolveNode(raw, walk.doc);
  const problem = isScalar(node) ? s.refine(node.value, sourceText(node)) : null;
  if (problem !== null) report(walk, node, anchor, problem, 'invalid-value');
}

/** A scalar as written (`99999999999999999`, not the float it reads as), when the parser kept its token. */
function sourceText(node: Node): string | undefined {
  const token = node.srcToken as { source?: unknown } | undefined;
  return typeof token?.source === 'string' ? token.source : undefined;
}

function checkShape(raw: unknown, schema: SchemaNode, walk: Walk, path: string, anchor: Node | null): void {
  const node = resolveNode(raw, walk.doc);
  const s = deref(schema);
  const shape = shapeOf(node);
  if (s.kind === 'any') return;
  if (s.kind === 'union') return checkUnion(node, s, walk, path, anchor);
  if (!shapesOf(s).includes(shape)) {
    const what = s.kind === 'object' ? `a ${s.title} must be a mapping` : `${label(path)} must be ${expectedText(s)}`;
    return report(walk, node, anchor, `${what}, not ${describeNode(node)}`, 'wrong-type');
  }
  const value = isScalar(node) ? node.value : undefined;
  const invalid = (fallback: string) => report(walk, node, anchor, s.invalid ? s.invalid(value) : fallback, 'invalid-value');
  switch (s.kind) {
    case 'string':
      if (s.pattern && !new RegExp(s.pattern).test(String(value))) invalid(`invalid value \`${truncate(String(value))}\` for ${label(path)}`);
      else if (s.minLength !== undefined && String(value).length < s.minLength) invalid(`${label(path)} must not be empty`);
      else if (s.maxLength !== undefined && String(value).length > s.maxLength) {
        report(walk, node, anchor, `${label(path)} is too long (${String(value).length} characters, at most ${s.maxLength}): \`${truncate(String(value))}\``, 'too-long');
      }
      return;
    case 'integer':
      if (!Number.isInteger(value)) return invalid(`${label(path)} must be ${expectedText(s)}, not ${String(value)}`);
      if (s.minimum !== undefined && (value as number) < s.minimum) invalid(`${label(path)} must be ${expectedText(s)}, not ${String(value)}`);
      return;
    case 'number': {
      const n = value as number;
      const tooSmall = (s.minimum !== undefined && n < s.minimum) || (s.exclusiveMinimum !== undefined && n <= s.exclusiveMinimum);
      if (!Number.isFinite(n) || tooSmall) invalid(`${label(path)} must be ${expectedText(s)}, not ${String(value)}`);
      return;
    }
    case 'enum':
      if (!s.values.includes(String(value))) {
        invalid(`${label(path)} must be ${expectedText(s)}, not \`${truncate(String(value))}\`${didYouMean(String(value), s.values)}`);
      }
      return;
    case 'array':
      return checkArray(node, s, walk, path);
    case 'record':
      return checkRecord(node, s, walk, path);
    case 'object':
      return checkObject(node, s, walk, path);
    default:
      return;
  }
}

function checkUnion(node: Node | null, s: Extract<SchemaNode, { kind: 'union' }>, walk: Walk, path: string, anchor: Node | null): void {
  const shape = shapeOf(node);
  const candidates = s.options.filter((option) => shapesOf(option).includes(shape));
  if (candidates.length === 0) {
    return report(walk, node, anchor, `${label(path)} must be ${expectedText(s)}, not ${describeNode(node)}`, 'wrong-type');
  }
  let firstFailure: StructuralResult | null = null;
  for (const candidate of candidates) {
    const trial: Walk = { ...walk, diagnostics: [], invalid: new WeakSet() };
    check(node, candidate, trial, path, anchor);
    if (trial.diagnostics.length === 0) return;
    firstFailure ??= { diagnostics: trial.diagnostics, invalid: trial.invalid };
  }
  if (s.invalid) {
    return report(walk, node, anchor, s.invalid(isScalar(node) ? node.value : undefined), 'invalid-value');
  }
  // Re-run the first fitting option for real so its diagnostics and invalid nodes are recorded.
  check(node, candidates[0] as SchemaNode, walk, path, anchor);
}

function checkArray(node: Node | null, s: Extract<SchemaNode, { kind: 'array' }>, walk: Walk, path: string): void {
  if (!isSeq(node)) return;
  if (s.minItems !== undefined && node.items.length < s.minItems) {
    const what = s.minItems === 1 ? 'must not be empty' : `needs at least ${s.minItems} items`;
    report(walk, node, node, `${label(path)} ${what}`, 'empty-list');
  }
  node.items.forEach((item, index) => check(item, s.items, walk, `${path}[${index}]`, node));
}

function checkRecord(node: Node | null, s: Extract<SchemaNode, { kind: 'record' }>, walk: Walk, path: string): void {
  if (!isMap(node)) return;
  for (const { key, pair, keyNode } of entries(node)) {
    if (key === null) {
      report(walk, keyNode, node, `keys of ${label(path)} must be plain names`, 'invalid-key');
      continue;
    }
    if (s.keyPattern && !new RegExp(s.keyPattern).test(key)) {
      report(walk, keyNode, node, s.keyInvalid ? s.keyInvalid(key) : `invalid key \`${key}\` in ${label(path)}`, 'invalid-key');
    }
    check(pair.value, s.values, walk, join(path, key), keyNode);
  }
}

function checkObject(node: Node | null, s: Extract<SchemaNode, { kind: 'object' }>, walk: Walk, path: string): void {
  if (!isMap(node)) return;
  const known = Object.keys(s.properties);
  const present = new Set<string>();
  for (const { key, pair, keyNode } of entries(node)) {
    if (key === null) {
      report(walk, keyNode, node, `keys of ${s.title === 'blueprint' ? 'the blueprint' : `a ${s.title}`} must be plain names`, 'invalid-key');
      continue;
    }
    present.add(key);
    const property = s.properties[key];
    if (!property) {
      const where = s.title === 'blueprint' ? 'at the top level' : `in ${s.title === 'task' ? 'a task' : `\`${path}\``}`;
      walk.diagnostics.push(errorAt('unknown-key', `unknown key \`${key}\` ${where}${didYouMean(key, known)}`, rangeOf(keyNode, walk.file)));
      continue;
    }
    check(pair.value, property, walk, s.title === 'task' ? key : join(path, key), keyNode);
  }
  for (const key of s.required) {
    if (present.has(key)) continue;
    const where = s.title === 'blueprint' ? 'the blueprint' : s.title === 'task' ? 'a task' : `\`${path}\``;
    walk.diagnostics.push(errorAt('missing-key', `${where} is missing the required key \`${key}\``, firstLineRange(node, walk.file)));
  }
}

/** A mapping's range cut to its first key, so the marker does not span the whole block. */
function firstLineRange(node: Node, file: string): ReturnType<typeof rangeOf> {
  const first = isMap(node) ? (node.items[0]?.key as Node | undefined) : undefined;
  return rangeOf(first ?? node, file);
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}
