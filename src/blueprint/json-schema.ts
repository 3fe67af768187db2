// JSON Schema (draft 2020-12) of the blueprint, derived from the schema DSL description in schema.ts.
import { blueprintSchema } from './schema.js';
import type { ObjectNode, SchemaNode, Variants } from './schema-dsl.js';
import { testFileSchema } from './test-file-schema.js';

type Json = Record<string, unknown>;

/** The JSON Schema of a blueprint, for editors (`# yaml-language-server: $schema=...`). */
export function blueprintJsonSchema(): object {
  return documentSchema(blueprintSchema.node, 'baton blueprint');
}

/** The JSON Schema of a `baton test` file (`*.test.yaml`). */
export function testFileJsonSchema(): object {
  return documentSchema(testFileSchema.node, 'baton test file');
}

function documentSchema(node: SchemaNode, title: string): object {
  const defs: Record<string, Json> = {};
  const root = toJsonSchema(node, defs);
  const sortedDefs: Record<string, Json> = {};
  for (const name of Object.keys(defs).sort()) sortedDefs[name] = defs[name] as Json;
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title,
    ...root,
    $defs: sortedDefs,
  };
}

function toJsonSchema(node: SchemaNode, defs: Record<string, Json>): Json {
  const out: Json = {};
  if (node.description) out.description = node.description;
  switch (node.kind) {
    case 'string':
      return { type: 'string', ...out, ...pick(node, ['pattern', 'minLength', 'maxLength']) };
    case 'integer':
      return { type: 'integer', ...out, ...pick(node, ['minimum']) };
    case 'number':
      return { type: 'number', ...out, ...pick(node, ['minimum', 'exclusiveMinimum']) };
    case 'boolean':
      return { type: 'boolean', ...out };
    case 'array':
      return { type: 'array', ...out, items: toJsonSchema(node.items, defs), ...pick(node, ['minItems']) };
    case 'record': {
      const keys = node.keyPattern ? { propertyNames: { pattern: node.keyPattern } } : {};
      return { type: 'object', ...out, ...keys, additionalProperties: toJsonSchema(node.values, defs) };
    }
    case 'object': {
      const properties: Record<string, Json> = {};
      for (const [key, child] of Object.entries(node.properties)) properties[key] = toJsonSchema(child, defs);
      if (node.variants) return { type: 'object', ...out, oneOf: variantSchemas(node, node.variants, properties) };
      const required = node.required.length > 0 ? { required: [...node.required] } : {};
      return { type: 'object', ...out, properties, ...required, additionalProperties: false };
    }
    case 'union':
      return { ...out, anyOf: node.options.map((option) => toJsonSchema(option, defs)) };
    case 'enum':
      return { type: 'string', ...out, enum: [...node.values] };
    case 'ref':
      if (!(node.name in defs)) {
        defs[node.name] = {}; // placeholder first: the target may refer back to itself
        defs[node.name] = toJsonSchema(node.target(), defs);
      }
      return { ...out, $ref: `#/$defs/${node.name}` };
    case 'any':
      return out;
  }
}

function pick<T extends object>(node: T, keys: (keyof T)[]): Json {
  const out: Json = {};
  for (const key of keys) if (node[key] !== undefined) out[key as string] = node[key];
  return out;
}

/**
 * One closed schema per variant (a `run` task, a `set` task, …) holding only the keys that variant takes, so an
 * editor flags `retry` on a `set` task and a task with no kind or two kinds, as the analyzer does.
 */
function variantSchemas(node: ObjectNode, variants: Variants, properties: Record<string, Json>): Json[] {
  return variants.keys.map((key) => {
    const own: Record<string, Json> = {};
    for (const [name, schema] of Object.entries(properties)) {
      const otherVariant = variants.keys.includes(name) && name !== key;
      const owners = variants.keysOnlyFor[name];
      if (!otherVariant && (!owners || owners.includes(key))) own[name] = schema;
    }
    const required = [...node.required, key, ...(variants.alsoRequired?.[key] ?? [])];
    return { title: `${key} ${node.title}`, type: 'object', properties: own, required, additionalProperties: false };
  });
}
