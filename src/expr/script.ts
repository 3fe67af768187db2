// `run:` scripts: each `${{ X }}` becomes a reference to a BATON_EXPR_<n> env var, so values never become shell code.
import { evaluateExpression } from './compile.js';
import { ExpressionError } from './errors.js';
import type { EvalContext } from './index.js';
import { toText } from './render.js';
import { scriptExpressions } from './shell-contexts.js';
import { splitTemplate } from './template.js';

/** A value read as shell arithmetic must be a plain number; one read as a variable name, a plain name. */
interface ValueCheck {
  kind: 'number' | 'name';
  construct: string;
}

export interface PreparedScript {
  text: string;
  refs: { name: string; source: string; check?: ValueCheck }[];
}

const PLAIN_NUMBER = /^(-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?)?$/; // empty reads as 0
const PLAIN_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

const SCRIPT_VAR_PREFIX = 'BATON_EXPR_';
const prepared = new Map<string, PreparedScript>();

function prepareUncached(script: string): PreparedScript {
  const { parts, error } = splitTemplate(script);
  if (error) throw new ExpressionError(`script: ${error.message}`, error.offset, script);
  const refs: PreparedScript['refs'] = [];
  const refBySource = new Map<string, PreparedScript['refs'][number]>();
  const sites = scriptExpressions(script);
  let text = '';
  let exprIndex = 0;
  for (const part of parts) {
    if (part.kind === 'text') {
      text += part.text;
      continue;
    }
    // The same expression twice shares one variable.
    let ref = refBySource.get(part.source);
    if (!ref) {
      ref = { name: `${SCRIPT_VAR_PREFIX}${refs.length}`, source: part.source };
      refBySource.set(part.source, ref);
      refs.push(ref);
    }
    const site = sites[exprIndex++];
    if (!ref.check && (site?.context === 'arithmetic' || site?.context === 'name')) {
      ref.check = { kind: site.context === 'name' ? 'name' : 'number', construct: site.construct };
    }
    text += `\${${ref.name}}`;
  }
  return { text, refs };
}

/** Replace each `${{ X }}` by `${BATON_EXPR_<n>}`; cached by script text. Throws ExpressionError on an unclosed `${{`. */
export function prepareScript(script: string): PreparedScript {
  let result = prepared.get(script);
  if (!result) {
    result = prepareUncached(script);
    prepared.set(script, result);
  }
  return result;
}

/** The env vars a prepared script's references need: name → text of the expression's value. */
export async function scriptEnv(script: PreparedScript, ctx: EvalContext): Promise<Record<string, string>> {
  const env: Record<string, string> = {};
  for (const ref of script.refs) {
    const value = toText(await evaluateExpression(ref.source, ctx));
    if (ref.check) checkValue(ref.source, value, ref.check);
    env[ref.name] = value;
  }
  return env;
}

/** Refuses a value the shell would evaluate as code: `a[$(cmd)]` in arithmetic or as a variable name runs cmd. */
function checkValue(source: string, value: string, check: ValueCheck): void {
  const plain = check.kind === 'number' ? PLAIN_NUMBER : PLAIN_NAME;
  if (plain.test(value)) return;
  const what = check.kind === 'number' ? 'shell arithmetic' : 'a variable name';
  const shown = JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  throw new ExpressionError(
    `\`\${{ ${source.trim()} }}\` is read as ${what} (${check.construct}), so its value must be a plain ${check.kind}, got ${shown}`,
  );
}
