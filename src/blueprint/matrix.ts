// `matrix:` — the cross product of named axes with GitHub Actions' `include` / `exclude`, checked and expanded once.
import { isMap, isScalar, isSeq, type Node, type YAMLMap } from 'yaml';
import { errorAt } from './diagnostics.js';
import type { ConvertContext } from './convert-context.js';
import { closest } from './suggest.js';
import { entries, rangeOf, resolveNode } from './yaml-nodes.js';

export type MatrixValue = string | number | boolean;
export type Combination = Record<string, MatrixValue>;

export interface MatrixSpec {
  axes: [string, MatrixValue[]][];
  include: Combination[];
  exclude: Combination[];
}

const same = (a: MatrixValue | undefined, b: MatrixValue): boolean => a !== undefined && String(a) === String(b);

/**
 * GitHub's rules: the cross product in axis order (the last axis varies fastest), minus every combination an `exclude`
 * entry matches (all its keys equal); then each `include` entry is merged into every combination whose original values
 * it does not change, or, if it fits none, added as a combination of its own. Identical combinations are kept once.
 */
export function expandMatrix(spec: MatrixSpec): Combination[] {
  let product: Combination[] = spec.axes.length === 0 ? [] : [{}];
  for (const [name, values] of spec.axes) product = product.flatMap((c) => values.map((v) => ({ ...c, [name]: v })));
  const kept = product.filter((c) => !spec.exclude.some((ex) => Object.entries(ex).every(([k, v]) => same(c[k], v))));
  const originals = kept.map((c) => ({ ...c }));
  const out = kept;
  for (const entry of spec.include) {
    let merged = false;
    // Only the cross product's combinations take merges; ones that include entries added stand as written.
    originals.forEach((original, i) => {
      const combo = out[i]!;
      if (Object.entries(entry).every(([k, v]) => original[k] === undefined || same(original[k], v))) {
        Object.assign(combo, entry);
        merged = true;
      }
    });
    if (!merged) out.push({ ...entry });
  }
  const seen = new Set<string>();
  return out.filter((c) => {
    const id = JSON.stringify(Object.entries(c).map(([k, v]) => [k, String(v)]));
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

function scalarValue(node: Node | null): MatrixValue | undefined {
  if (!isScalar(node)) return undefined;
  const v = node.value;
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : undefined;
}

/** Reads a `matrix:` mapping, reporting empty axes, values that are not scalars and include/exclude keys that name no axis. */
export function convertMatrix(ctx: ConvertContext, map: YAMLMap): Combination[] {
  const spec: MatrixSpec = { axes: [], include: [], exclude: [] };
  const lists: { which: 'include' | 'exclude'; node: Node | null; keyNode: Node | null }[] = [];
  for (const { key, pair, keyNode } of entries(map)) {
    const node = resolveNode(pair.value, ctx.doc);
    if (key === null || (node && ctx.invalid.has(node))) continue;
    if (key === 'include' || key === 'exclude') {
      lists.push({ which: key, node, keyNode });
      continue;
    }
    if (!isSeq(node) || node.items.length === 0) {
      ctx.diagnostics.push(errorAt('empty-matrix-axis', `matrix axis \`${key}\` has no values: give it a list of at least one value`, rangeOf(node ?? keyNode, ctx.file)));
      continue;
    }
    const values: MatrixValue[] = [];
    for (const item of node.items) {
      const itemNode = resolveNode(item, ctx.doc);
      const v = scalarValue(itemNode);
      if (v === undefined) {
        ctx.diagnostics.push(errorAt('matrix-value', `matrix axis \`${key}\`: each value must be a string, number or boolean`, rangeOf(itemNode ?? node, ctx.file)));
      } else values.push(v);
    }
    spec.axes.push([key, values]);
  }
  const axisNames = spec.axes.map(([name]) => name);
  for (const { which, node, keyNode } of lists) {
    if (!isSeq(node)) {
      ctx.diagnostics.push(errorAt('matrix-value', `matrix \`${which}\` must be a list of mappings (axis: value)`, rangeOf(node ?? keyNode, ctx.file)));
      continue;
    }
    for (const item of node.items) {
      const entryNode = resolveNode(item, ctx.doc);
      if (!isMap(entryNode)) {
        ctx.diagnostics.push(errorAt('matrix-value', `each \`${which}\` entry must be a mapping (axis: value)`, rangeOf(entryNode ?? node, ctx.file)));
        continue;
      }
      const combo: Combination = {};
      for (const e of entries(entryNode)) {
        if (e.key === null) continue;
        const valueNode = resolveNode(e.pair.value, ctx.doc);
        const v = scalarValue(valueNode);
        // exclude may name only axes; include may add variables, but one a typo away from an axis is surely a typo.
        const suggestion = axisNames.includes(e.key) ? undefined : closest(e.key, axisNames);
        if (!axisNames.includes(e.key) && (which === 'exclude' || suggestion !== undefined)) {
          const hint = suggestion ? `; did you mean \`${suggestion}\`?` : axisNames.length > 0 ? ` (axes: ${axisNames.map((a) => `\`${a}\``).join(', ')})` : '';
          ctx.diagnostics.push(errorAt('matrix-unknown-axis', `matrix \`${which}\` names \`${e.key}\`, which is not an axis${hint}`, rangeOf(e.keyNode, ctx.file)));
        } else if (v === undefined) {
          ctx.diagnostics.push(errorAt('matrix-value', `matrix \`${which}\`: \`${e.key}\` must be a string, number or boolean`, rangeOf(valueNode ?? e.keyNode, ctx.file)));
        } else combo[e.key] = v;
      }
      spec[which].push(combo);
    }
  }
  if (spec.axes.length === 0 && spec.include.length === 0) {
    ctx.diagnostics.push(errorAt('empty-matrix-axis', 'the matrix has no axes: give at least one axis (name: [values]) or an `include` list', rangeOf(map, ctx.file)));
  }
  return expandMatrix(spec);
}
