// `${{ }}` where the shell reads the value as arithmetic or as a variable name: allowed only when surely a number.
import { isMap, isScalar, type YAMLMap } from 'yaml';
import type { ScriptExpression } from '../expr/index.js';
import type { ConvertContext } from './convert-context.js';
import { getNode, entries } from './yaml-nodes.js';

/** JSONata functions whose result is always a number (or an error). */
const NUMBER_FUNCTIONS = /^\$(count|length|number|sum|max|min|round|floor|ceil|abs|average|power|sqrt|toMillis)\(/;

/** Declared inputs of type `integer` or `number`: their values are type-checked before anything runs. */
function numericInputs(ctx: ConvertContext): Set<string> {
  const names = new Set<string>();
  const inputs = getNode(ctx.doc.contents as YAMLMap, 'inputs', ctx.doc);
  if (!isMap(inputs)) return names;
  for (const { key, pair } of entries(inputs)) {
    const type = isMap(pair.value) ? getNode(pair.value, 'type', ctx.doc) : undefined;
    if (key !== null && isScalar(type) && (type.value === 'integer' || type.value === 'number')) names.add(key);
  }
  return names;
}

/** Does the whole expression end with the `)` matching the `(` of a leading function call? */
function isOneCall(source: string): boolean {
  let depth = 0;
  for (let i = source.indexOf('('); i < source.length; i++) {
    const c = source[i];
    if (c === '"' || c === "'") {
      i++;
      while (i < source.length && source[i] !== c) i += source[i] === '\\' ? 2 : 1;
    } else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i === source.length - 1;
  }
  return false;
}

/** Is the expression's value a number whatever the run's data? */
function surelyNumber(source: string, numeric: Set<string>): boolean {
  const s = source.trim();
  if (/^-?[0-9]+(\.[0-9]+)?$/.test(s) || s === 'index' || s === 'iteration') return true;
  const input = /^inputs\.(?:([A-Za-z_][A-Za-z0-9_]*)|`([^`]+)`)$/.exec(s);
  if (input) return numeric.has((input[1] ?? input[2]) as string);
  return NUMBER_FUNCTIONS.test(s) && isOneCall(s);
}

/** The error for a `${{ }}` whose value the shell would evaluate as code, or null when it is safe there. */
export function shellValueProblem(ctx: ConvertContext, site: ScriptExpression): string | null {
  const source = site.source.trim();
  if (site.context === 'arithmetic') {
    if (surelyNumber(source, numericInputs(ctx))) return null;
    return (
      `\`\${{ ${source} }}\` is read as shell arithmetic (${site.construct}), where a value such as \`a[$(cmd)]\` runs cmd: ` +
      `assign it to a variable and check that it is a number first, e.g. ` +
      `\`n="\${{ ${source} }}"; [[ $n =~ ^-?[0-9]+$ ]] || exit 2\`, then use \`$n\` ` +
      `(or pass a value that is surely a number: an \`integer\` input, \`index\`, \`$number(...)\`)`
    );
  }
  if (site.context === 'name') {
    return (
      `\`\${{ ${source} }}\` is read as a variable name (${site.construct}), where a value such as \`a[$(cmd)]\` runs cmd: ` +
      `assign it to a variable and check it first, e.g. ` +
      `\`v="\${{ ${source} }}"; [[ $v =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] || exit 2\`, then use \`$v\``
    );
  }
  return null;
}
