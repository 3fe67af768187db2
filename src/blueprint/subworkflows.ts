// Sub-workflow checks: the `inputs` a workflow task passes against the child's declared inputs.
import { isMap, type Node, type YAMLMap } from 'yaml';
import { hasExpression } from '../expr/index.js';
import { errorAt } from './diagnostics.js';
import { inputSpecProblem } from './input-types.js';
import type { Blueprint } from './model.js';
import type { ConvertContext } from './convert-context.js';
import { didYouMean } from './suggest.js';
import { entries, getKeyNode, getNode, rangeOf, toValue } from './yaml-nodes.js';

/** Unknown input names, missing required inputs, and literal values of the wrong type. */
export function checkChildInputs(ctx: ConvertContext, task: YAMLMap, pathNode: Node, child: Blueprint, shownPath: string): void {
  const inputsNode = getNode(task, 'inputs', ctx.doc);
  const given = new Set<string>();
  if (isMap(inputsNode)) {
    for (const { key, pair, keyNode } of entries(inputsNode)) {
      if (key === null) continue;
      given.add(key);
      const spec = child.inputs[key];
      if (!spec) {
        const declared = Object.keys(child.inputs);
        const known = declared.length > 0 ? didYouMean(key, declared) || ` (it declares ${declared.map((d) => `\`${d}\``).join(', ')})` : ' (it declares no inputs)';
        ctx.diagnostics.push(errorAt('unknown-input', `sub-workflow \`${shownPath}\` has no input \`${key}\`${known}`, rangeOf(keyNode, ctx.file)));
        continue;
      }
      const valueNode = pair.value as Node | null;
      const value = toValue(valueNode, ctx.doc);
      if (hasExpression(value)) continue; // templated values are only known at run time
      const problem = inputSpecProblem(value, spec);
      if (problem) {
        const range = rangeOf(valueNode ?? keyNode, ctx.file);
        ctx.diagnostics.push(errorAt('invalid-input', `input \`${key}\` of sub-workflow \`${shownPath}\` ${problem}`, range));
      }
    }
  }
  for (const spec of Object.values(child.inputs)) {
    if (!spec.required || spec.default !== undefined || given.has(spec.name)) continue;
    const anchor = getKeyNode(task, 'inputs') ?? pathNode;
    const message = `sub-workflow \`${shownPath}\` requires the input \`${spec.name}\`: add it under \`inputs:\``;
    ctx.diagnostics.push(errorAt('missing-input', message, rangeOf(anchor, ctx.file)));
  }
}
