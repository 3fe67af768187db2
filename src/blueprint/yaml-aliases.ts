// YAML aliases: every alias's target found in one pass per document, and the growth aliases cause bounded (alias bombs).
import { isAlias, isMap, isPair, isSeq, visit, type Alias, type Document, type Node } from 'yaml';
import { errorAt, type Diagnostic } from './diagnostics.js';
import { rangeOf } from './yaml-nodes.js';

/** Aliases may add at most this many YAML nodes to a blueprint once expanded (each use of an anchor counts its whole subtree). */
export const MAX_ALIAS_EXPANSION = 1_000_000;

const targetsByDoc = new WeakMap<Document, Map<Alias, Node | null>>();

/**
 * The node each alias of `doc` stands for: the last node before it with that anchor, as YAML (and `Alias.resolve`) says.
 * Built once per document: `Alias.resolve` walks the whole document on every call, which made anchor reuse quadratic.
 */
function aliasTargets(doc: Document): Map<Alias, Node | null> {
  let targets = targetsByDoc.get(doc);
  if (!targets) {
    targets = new Map();
    const latest = new Map<string, Node>();
    const found = targets;
    visit(doc, {
      Node(_key, node) {
        if (isAlias(node)) found.set(node, latest.get(node.source) ?? null);
        else if (node.anchor) latest.set(node.anchor, node);
      },
    });
    targetsByDoc.set(doc, targets);
  }
  return targets;
}

/** The node `alias` stands for, or null when its anchor is not defined before it. */
export function aliasTarget(alias: Alias, doc: Document): Node | null {
  const targets = aliasTargets(doc);
  const target = targets.get(alias);
  if (target !== undefined) return target;
  return (alias.resolve(doc) as Node | undefined) ?? null; // a node added after the document was indexed
}

class AliasCycle extends Error {
  constructor(readonly alias: Alias) {
    super('alias cycle');
  }
}

/**
 * An error when aliases would expand `doc` past MAX_ALIAS_EXPANSION nodes or an alias refers to a node containing it
 * (everything after parsing walks the expanded tree); null otherwise. Linear in the document's own size.
 */
export function aliasExpansionProblem(doc: Document, file: string): Diagnostic | null {
  const targets = aliasTargets(doc);
  if (targets.size === 0) return null;
  const sizes = new Map<Node, number>();
  const open = new Set<Node>();
  // Expanded size: an alias counts as the expanded size of its target; memoised, so each node is sized once.
  const sizeOf = (node: unknown): number => {
    if (isAlias(node)) {
      const target = targets.get(node) ?? null;
      if (target === null) return 1;
      if (open.has(target)) throw new AliasCycle(node);
      return sizeOf(target);
    }
    if (isPair(node)) return sizeOf(node.key) + sizeOf(node.value);
    if (!isMap(node) && !isSeq(node)) return 1;
    const known = sizes.get(node);
    if (known !== undefined) return known;
    open.add(node);
    let size = 1;
    for (const item of node.items as unknown[]) size += sizeOf(item);
    open.delete(node);
    sizes.set(node, size);
    return size;
  };
  let expanded: number;
  try {
    expanded = sizeOf(doc.contents);
  } catch (error) {
    if (error instanceof AliasCycle) {
      const message = `alias \`*${error.alias.source}\` refers to a node that contains it: a blueprint cannot hold a cycle`;
      return errorAt('alias-cycle', message, rangeOf(error.alias, file));
    }
    if (error instanceof RangeError) return errorAt('alias-expansion', 'aliases nest too deeply to expand', rangeOf(doc.contents as Node, file));
    throw error;
  }
  let own = 0;
  let biggest: { alias: Alias; size: number } | null = null;
  visit(doc, {
    Node(_key, node) {
      own++;
      if (!isAlias(node)) return;
      const size = sizeOf(node);
      if (biggest === null || size > biggest.size) biggest = { alias: node, size };
    },
  });
  if (expanded - own <= MAX_ALIAS_EXPANSION || biggest === null) return null;
  const { alias, size } = biggest as { alias: Alias; size: number };
  const message =
    `aliases expand this blueprint to ${count(expanded)} YAML nodes (\`*${alias.source}\` alone stands for ${count(size)}): ` +
    `aliases may add at most ${count(MAX_ALIAS_EXPANSION)} nodes (an alias bomb?)`;
  return errorAt('alias-expansion', message, rangeOf(alias, file));
}

function count(n: number): string {
  return n >= 1e15 ? n.toExponential(2) : n.toLocaleString('en-US');
}
