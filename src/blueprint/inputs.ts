// Run inputs: `-i key=value` and --input-file parsed by declared type, then defaults, required, unknown and type checks.
import { parse as parseYamlValue } from 'yaml';
import { formatBytes, MAX_FILE_BYTES, readBoundedFile, type BoundedRead } from './bounded-read.js';
import { fileError, type Diagnostic } from './diagnostics.js';
import { describeValue, inputSpecProblem, UNSAFE_INTEGER } from './input-types.js';
import type { Blueprint, InputSpec } from './model.js';
import { didYouMean } from './suggest.js';

/**
 * `-i key=value` pairs and an optional --input-file (JSON or YAML object): strings stay verbatim for `string` inputs,
 * other declared types parse the value as YAML (`-i n=3` → 3, `-i tags='[a, b]'` → array); -i overrides the file.
 */
export function parseInputArgs(blueprint: Blueprint, pairs: string[], inputFile?: string): { values: Record<string, unknown>; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const values: Record<string, unknown> = inputFile ? readInputFile(inputFile, diagnostics) : {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) {
      diagnostics.push({ severity: 'error', code: 'invalid-input-arg', message: `invalid input \`-i ${pair}\`: use -i key=value` });
      continue;
    }
    const key = pair.slice(0, eq);
    const text = pair.slice(eq + 1);
    const spec = blueprint.inputs[key];
    if (!spec || spec.type === 'string') {
      values[key] = text; // unknown keys are reported by resolveInputs, with the declared names
      continue;
    }
    let parsed: unknown;
    try {
      parsed = text.trim() === '' ? '' : parseYamlValue(text);
    } catch (error) {
      diagnostics.push({ severity: 'error', code: 'invalid-input', message: `input \`${key}\`: cannot read \`${text}\` as ${spec.type}: ${yamlReason(error)}` });
      continue;
    }
    // YAML reads `1e400` as Infinity and rounds 2^53 + 1: say so with the text given, not the value it became.
    if (typeof parsed === 'number' && !Number.isFinite(parsed)) {
      diagnostics.push({ severity: 'error', code: 'invalid-input', message: `input \`${key}\`: \`${text}\` is too large for a number` });
    } else if (typeof parsed === 'number' && spec.type === 'integer' && Number.isInteger(parsed) && !Number.isSafeInteger(parsed)) {
      diagnostics.push({ severity: 'error', code: 'invalid-input', message: `input \`${key}\`: \`${text}\` is ${UNSAFE_INTEGER}` });
    } else values[key] = parsed;
  }
  return { values, diagnostics };
}

/** The first line of a YAML parse error, without the colon that introduces its code frame. */
function yamlReason(error: unknown): string {
  const first = error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
  return first.replace(/:\s*$/, '');
}

function readInputFile(file: string, diagnostics: Diagnostic[]): Record<string, unknown> {
  let read: BoundedRead;
  try {
    read = readBoundedFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : (error as Error).message;
    diagnostics.push(fileError('input-file', `cannot read input file \`${file}\`: ${reason}`, file));
    return {};
  }
  if (!read.ok) {
    const reason = read.problem === 'too-large' ? `it is ${formatBytes(read.size)}, more than the ${formatBytes(MAX_FILE_BYTES)} allowed` : `it is ${read.kind}, not a regular file`;
    diagnostics.push(fileError('input-file', `cannot read input file \`${file}\`: ${reason}`, file));
    return {};
  }
  const text = new TextDecoder('utf-8').decode(read.bytes);
  let parsed: unknown;
  try {
    parsed = parseYamlValue(text);
  } catch (error) {
    diagnostics.push(fileError('input-file', `input file \`${file}\` is not valid JSON or YAML: ${yamlReason(error)}`, file));
    return {};
  }
  if (parsed === null || parsed === undefined) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    diagnostics.push(fileError('input-file', `input file \`${file}\` must hold an object of input names to values, not ${describeValue(parsed)}`, file));
    return {};
  }
  return { ...(parsed as Record<string, unknown>) };
}

/** Apply defaults, check required / unknown / types (integer vs number, enum). Diagnostics name the input and the value at fault. */
export function resolveInputs(blueprint: Blueprint, given: Record<string, unknown>): { inputs: Record<string, unknown>; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const inputs: Record<string, unknown> = {};
  const declared = Object.keys(blueprint.inputs);
  for (const [name, value] of Object.entries(given)) {
    // An explicit null (`{"dir": null}` in an input file) means not given: the default applies, or `required` fails.
    if (value === null) continue;
    const spec = blueprint.inputs[name];
    if (!spec) {
      const hint = didYouMean(name, declared) || (declared.length > 0 ? ` (declared: ${declared.join(', ')})` : ' (it declares no inputs)');
      diagnostics.push({ severity: 'error', code: 'unknown-input', message: `unknown input \`${name}\`: \`${blueprint.name}\` does not declare it${hint}` });
      continue;
    }
    const problem = inputSpecProblem(value, spec);
    if (problem) {
      diagnostics.push({ severity: 'error', code: 'invalid-input', message: `input \`${name}\` ${problem}`, related: declaredHere(spec) });
      continue;
    }
    inputs[name] = value;
  }
  for (const spec of Object.values(blueprint.inputs)) {
    if (given[spec.name] !== undefined && given[spec.name] !== null) continue;
    if (spec.default !== undefined) inputs[spec.name] = structuredClone(spec.default);
    else if (spec.required) {
      diagnostics.push({ severity: 'error', code: 'missing-input', message: `missing required input \`${spec.name}\`: pass it with -i ${spec.name}=…`, related: declaredHere(spec) });
    }
  }
  return { inputs, diagnostics };
}

function declaredHere(spec: InputSpec): Diagnostic['related'] {
  return [{ message: `\`${spec.name}\` is declared here`, range: spec.range }];
}
