// A small schema DSL: one description of a YAML shape yields its TS type, its JSON Schema and its structural checks.

interface Common {
  description?: string;
  /** Human wording of what is expected ("a duration"), used in messages instead of the derived one. */
  expected?: string;
  /** Custom message for a value of the right YAML type that fails this node's own constraints (pattern, minimum). */
  invalid?: (value: unknown) => string;
  /** A further check of a scalar that fits the node (e.g. a duration's magnitude; `written` is its text): a message, or null. */
  refine?: (value: unknown, written?: string) => string | null;
}

export type SchemaNode =
  | (Common & { kind: 'string'; pattern?: string; minLength?: number; maxLength?: number })
  | (Common & { kind: 'integer'; minimum?: number })
  | (Common & { kind: 'number'; minimum?: number; exclusiveMinimum?: number })
  | (Common & { kind: 'boolean' })
  | (Common & { kind: 'array'; items: SchemaNode; minItems?: number })
  | (Common & { kind: 'record'; values: SchemaNode; keyPattern?: string; keyInvalid?: (key: string) => string })
  | (Common & ObjectNode)
  | (Common & { kind: 'union'; options: SchemaNode[] })
  | (Common & { kind: 'enum'; values: readonly string[] })
  | (Common & { kind: 'ref'; name: string; target: () => SchemaNode })
  | (Common & { kind: 'any' });

export interface ObjectNode {
  kind: 'object';
  /** What the mapping is, for messages ("task", "retry"). */
  title: string;
  properties: Record<string, SchemaNode>;
  required: readonly string[];
  /** Exactly one of `keys` must be present; checked by the analyzer, emitted as one closed JSON Schema per key. */
  variants?: Variants;
}

export interface Variants {
  keys: readonly string[];
  /** Keys that only some variants take (any other key fits every variant). */
  keysOnlyFor: Readonly<Record<string, readonly string[]>>;
  /** Further keys a variant needs, e.g. `for_each` needs `do`. */
  alsoRequired?: Readonly<Record<string, readonly string[]>>;
}

/** A schema node carrying the TS type of the raw YAML value it describes. */
export interface Schema<T> {
  readonly node: SchemaNode;
  /** Phantom: never set, only carries T. */
  readonly _type?: T;
}

export type Infer<S> = S extends Schema<infer T> ? T : never;

type Simplify<T> = { [K in keyof T]: T[K] } & {};
type ObjectType<P extends Record<string, Schema<unknown>>, R extends keyof P> = Simplify<
  { [K in R]: Infer<P[K]> } & { [K in Exclude<keyof P, R>]?: Infer<P[K]> }
>;

function make<T>(node: SchemaNode): Schema<T> {
  return { node };
}

export function string(options: Common & { pattern?: string; minLength?: number; maxLength?: number } = {}): Schema<string> {
  return make({ kind: 'string', ...options });
}

export function integer(options: Common & { minimum?: number } = {}): Schema<number> {
  return make({ kind: 'integer', ...options });
}

export function number(options: Common & { minimum?: number; exclusiveMinimum?: number } = {}): Schema<number> {
  return make({ kind: 'number', ...options });
}

export function boolean(options: Common = {}): Schema<boolean> {
  return make({ kind: 'boolean', ...options });
}

export function array<T>(items: Schema<T>, options: Common & { minItems?: number } = {}): Schema<T[]> {
  return make({ kind: 'array', items: items.node, ...options });
}

export function record<T>(
  values: Schema<T>,
  options: Common & { keyPattern?: string; keyInvalid?: (key: string) => string } = {},
): Schema<Record<string, T>> {
  return make({ kind: 'record', values: values.node, ...options });
}

export function object<P extends Record<string, Schema<unknown>>, R extends keyof P & string = never>(
  title: string,
  properties: P,
  options: Common & { required?: readonly R[]; variants?: Variants } = {},
): Schema<ObjectType<P, R>> {
  const { required = [], ...rest } = options;
  const nodes: Record<string, SchemaNode> = {};
  for (const [key, schema] of Object.entries(properties)) nodes[key] = schema.node;
  return make({ kind: 'object', title, properties: nodes, required, ...rest });
}

export function union<S extends Schema<unknown>[]>(options: S, common: Common = {}): Schema<Infer<S[number]>> {
  return make({ kind: 'union', options: options.map((o) => o.node), ...common });
}

export function enumOf<const V extends readonly string[]>(values: V, options: Common = {}): Schema<V[number]> {
  return make({ kind: 'enum', values, ...options });
}

/** Any YAML value (defaults, outputs, set values). */
export function any(options: Common = {}): Schema<unknown> {
  return make({ kind: 'any', ...options });
}

/** A named, lazily resolved schema: allows recursion (tasks inside tasks); `$defs/<name>` in JSON Schema. */
export function ref<T>(name: string, target: () => Schema<unknown>, options: Common = {}): Schema<T> {
  return make({ kind: 'ref', name, target: () => target().node, ...options });
}

/** Human wording of what a node expects, e.g. "a string", "one of `a`, `b`". */
export function expectedText(node: SchemaNode): string {
  if (node.expected) return node.expected;
  switch (node.kind) {
    case 'string':
      return 'a string';
    case 'integer':
      return node.minimum !== undefined ? `an integer ≥ ${node.minimum}` : 'an integer';
    case 'number':
      return node.exclusiveMinimum !== undefined ? `a number > ${node.exclusiveMinimum}` : 'a number';
    case 'boolean':
      return 'true or false';
    case 'array':
      return 'a list';
    case 'record':
    case 'object':
      return 'a mapping';
    case 'union':
      return node.options.map(expectedText).join(' or ');
    case 'enum':
      return `one of ${node.values.map((v) => `\`${v}\``).join(', ')}`;
    case 'ref':
      return expectedText(node.target());
    case 'any':
      return 'a value';
  }
}
