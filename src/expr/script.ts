// `run:` scripts: each `${{ X }}` becomes a reference to a BATON_EXPR_<n> env var, so values never become shell code.
import { evaluateExpression } from './compile.js';
import { ExpressionError } from './errors.js';
import type { EvalContext } from './index.js';
import { toText } from './render.js';
import { splitTemplate } from './template.js';

export interface PreparedScript {
  text: string;
  refs: { name: string; source: string }[];
}

export const SCRIPT_VAR_PREFIX = 'BATON_EXPR_';
const prepared = new Map<string, PreparedScript>();

function prepareUncached(script: string): PreparedScript {
  const { parts, error } = splitTemplate(script);
  if (error) throw new ExpressionError(`script: ${error.message}`, error.offset, script);
  const refs: PreparedScript['refs'] = [];
  const nameBySource = new Map<string, string>();
  let text = '';
  for (const part of parts) {
    if (part.kind === 'text') {
      text += part.text;
      continue;
    }
    // The same expression twice shares one variable.
    let name = nameBySource.get(part.source);
    if (!name) {
      name = `${SCRIPT_VAR_PREFIX}${refs.length}`;
      nameBySource.set(part.source, name);
      refs.push({ name, source: part.source });
    }
    text += `\${${name}}`;
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
  for (const ref of script.refs) env[ref.name] = toText(await evaluateExpression(ref.source, ctx));
  return env;
}
