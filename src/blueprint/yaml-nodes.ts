// Small helpers over `yaml` nodes: ranges, key lookup, scalar values and descriptions for messages.
import { isAlias, isMap, isScalar, isSeq, type Document, type Node, type Pair, type YAMLMap } from 'yaml';
import type { SourceRange } from './model.js';
import { aliasTarget } from './yaml-aliases.js';

export type Shape = 'string' | 'number' | 'boolean' | 'null' | 'map' | 'seq' | 'other';

/** The node an alias points to (or the node itself). */
export function resolveNode(node: unknown, doc: Document): Node | null {
  if (isAlias(node)) return aliasTarget(node, doc);
  return (node as Node | null) ?? null;
}

/** Source range of a node's value (without trailing comments). */
export function rangeOf(node: Node | null | undefined, file: string, fallback?: SourceRange): SourceRange {
  if (node?.range) return { file, start: node.range[0], end: Math.max(node.range[1], node.range[0]) };
  return fallback ?? { file, start: 0, end: 0 };
}

export function shapeOf(node: Node | null): Shape {
  if (node === null) return 'null';
  if (isMap(node)) return 'map';
  if (isSeq(node)) return 'seq';
  if (isScalar(node)) {
    const v = node.value;
    if (v === null || v === undefined) return 'null';
    if (typeof v === 'string') return 'string';
    if (typeof v === 'number') return 'number';
    if (typeof v === 'boolean') return 'boolean';
  }
  return 'other';
}

/** The text of a scalar key (YAML `true:` → "true"); null for complex keys. */
export function keyText(key: unknown): string | null {
  if (isScalar(key)) return key.value === null || key.value === undefined ? '' : String(key.value);
  return null;
}

/** The pairs of a mapping with their key text. */
export function entries(map: YAMLMap): { key: string | null; pair: Pair; keyNode: Node | null }[] {
  return map.items.map((pair) => ({ key: keyText(pair.key), pair, keyNode: (pair.key as Node | null) ?? null }));
}

/** The value node of `key` in a mapping (last one wins, as in YAML's own toJS). */
export function getNode(map: YAMLMap, key: string, doc: Document): Node | null | undefined {
  let found: Pair | undefined;
  for (const pair of map.items) if (keyText(pair.key) === key) found = pair;
  if (!found) return undefined;
  return resolveNode(found.value, doc);
}

/** The key node of `key` in a mapping. */
export function getKeyNode(map: YAMLMap, key: string): Node | undefined {
  for (const pair of map.items) if (keyText(pair.key) === key) return pair.key as Node;
  return undefined;
}

/** How a value looks, for "got …" in messages. */
export function describeNode(node: Node | null): string {
  const shape = shapeOf(node);
  if (shape === 'map') return 'a mapping';
  if (shape === 'seq') return 'a list';
  if (shape === 'null') return 'nothing (null)';
  const value = isScalar(node) ? node.value : undefined;
  if (shape === 'string') return `the string \`${truncate(String(value))}\``;
  if (shape === 'number') return `the number ${String(value)}`;
  if (shape === 'boolean') return `\`${String(value)}\``;
  return 'an unsupported value';
}

export function truncate(text: string, max = 40): string {
  const oneLine = text.replace(/\n/g, '\\n');
  return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
}

/**
 * The plain JS value of a node, as `node.toJS` gives it, but resolving aliases through the document's alias index:
 * `toJS` walks the whole document for each call that meets an alias. Expansion was bounded when the document was parsed.
 */
export function toValue(node: Node | null, doc: Document): unknown {
  const seen = new Map<Node, unknown>(); // an anchor used twice yields the same value, as with toJS
  const convert = (raw: unknown): unknown => {
    const target = resolveNode(raw, doc);
    if (target === null) return null;
    if (isScalar(target)) return target.value;
    if (!isMap(target) && !isSeq(target)) return target.toJS(doc);
    if (seen.has(target)) return seen.get(target);
    if (isSeq(target)) {
      const list: unknown[] = [];
      seen.set(target, list);
      for (const item of target.items) list.push(convert(item));
      return list;
    }
    const object: Record<string, unknown> = {};
    seen.set(target, object);
    for (const pair of target.items) {
      const key = keyText(pair.key) ?? JSON.stringify(convert(pair.key));
      Object.defineProperty(object, key, { value: convert(pair.value), writable: true, enumerable: true, configurable: true });
    }
    return object;
  };
  return convert(node);
}
