// Converting a structurally checked blueprint document into the model, with defaults filled in.
import { isMap, type Document, type Node, type YAMLMap } from 'yaml';
import { errorAt, type Diagnostic } from './diagnostics.js';
import { inputSpecProblem } from './input-types.js';
import { DEFAULT_KILL_GRACE_MS, NO_RETRY, type Blueprint, type InputSpec, type InputType } from './model.js';
import { convertDefaults, durationValue } from './convert-command.js';
import { envValues, field, isPlainObject, limitValue, mapField, numberValue, stringValue, value, type ConvertContext } from './convert-context.js';
import { convertTaskList } from './convert-task.js';
import { convertEnvFiles } from './env-files.js';
import { entries, getKeyNode, rangeOf, toValue } from './yaml-nodes.js';

/** Build the model from a document (diagnostics of semantic problems go to `diagnostics`). */
export function convertBlueprint(doc: Document, file: string, source: string, invalid: WeakSet<Node>, diagnostics: Diagnostic[], readEnvFiles = true): { blueprint: Blueprint; ctx: ConvertContext } {
  const root = doc.contents as YAMLMap;
  const ctx: ConvertContext = {
    doc,
    file,
    source,
    invalid,
    diagnostics,
    defaults: { retry: NO_RETRY, killGraceMs: DEFAULT_KILL_GRACE_MS, output: 'file' },
    ids: new Map(),
    sites: [],
    workflowTasks: [],
    readEnvFiles,
  };
  ctx.defaults = convertDefaults(ctx, mapField(ctx, root, 'defaults'));
  const secrets = value(ctx, root, 'secrets');
  const blueprint: Blueprint = {
    file,
    source,
    name: stringValue(ctx, root, 'name') ?? '',
    version: numberValue(ctx, root, 'version') ?? 1,
    inputs: convertInputs(ctx, mapField(ctx, root, 'inputs')),
    envFiles: convertEnvFiles(ctx, root),
    env: envValues(value(ctx, root, 'env')),
    secrets: Array.isArray(secrets) ? secrets.filter((s): s is string => typeof s === 'string') : [],
    tasks: convertTaskList(ctx, field(ctx, root, 'tasks'), { parent: [], list: 'root', owner: null, container: 'root' }),
    outputs: objectValue(value(ctx, root, 'outputs')),
    onFailure: convertTaskList(ctx, field(ctx, root, 'on_failure'), { parent: [], list: 'on_failure', owner: null, container: 'on_failure' }),
    finally: convertTaskList(ctx, field(ctx, root, 'finally'), { parent: [], list: 'finally', owner: null, container: 'finally' }),
  };
  const description = stringValue(ctx, root, 'description');
  if (description !== undefined) blueprint.description = description;
  const concurrency = limitValue(ctx, root, 'concurrency');
  if (concurrency !== undefined) blueprint.concurrency = concurrency;
  const timeout = durationValue(ctx, root, 'timeout');
  if (timeout !== undefined) blueprint.timeoutMs = timeout;
  return { blueprint, ctx };
}

function objectValue(v: unknown): Record<string, unknown> {
  return isPlainObject(v) ? v : {};
}

/** Declared inputs: type defaults to string; a default must fit the type and enum. */
function convertInputs(ctx: ConvertContext, map: YAMLMap | undefined): Record<string, InputSpec> {
  const inputs: Record<string, InputSpec> = {};
  if (!map) return inputs;
  for (const { key, pair, keyNode } of entries(map)) {
    if (key === null || ctx.invalid.has(pair.value as Node)) continue;
    const specNode = pair.value as Node | null;
    const spec: InputSpec = { name: key, type: 'string', required: false, range: rangeOf(keyNode, ctx.file) };
    inputs[key] = spec;
    if (!isMap(specNode)) continue;
    spec.type = (stringValue(ctx, specNode, 'type') as InputType | undefined) ?? 'string';
    spec.required = value(ctx, specNode, 'required') === true;
    const description = stringValue(ctx, specNode, 'description');
    if (description !== undefined) spec.description = description;
    const allowed = value(ctx, specNode, 'enum');
    if (Array.isArray(allowed)) spec.enum = allowed;
    const defaultNode = field(ctx, specNode, 'default');
    if (defaultNode === undefined) continue;
    spec.default = toValue(defaultNode, ctx.doc);
    const problem = inputSpecProblem(spec.default, spec);
    if (problem) {
      const range = rangeOf(defaultNode ?? getKeyNode(specNode, 'default'), ctx.file);
      ctx.diagnostics.push(errorAt('invalid-default', `default of input \`${key}\` ${problem}`, range));
    }
  }
  return inputs;
}
