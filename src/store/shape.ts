// A tiny table-driven shape checker for the JSON baton reads back (state.json, journal events): where it is wrong, and how.

/** What is wrong with a value and where: the path from the document root (built only on failure, so checking stays cheap). */
export interface Problem {
  path: (string | number)[];
  /** "a string", "one of pending, running, …" */
  expected: string;
  found: unknown;
  missing: boolean;
}

/** Returns null when the value fits, else the problem. */
export type Check = (value: unknown) => Problem | null;

/** A field that may be absent (e.g. `cause`, `frame`); present, it must pass `check`. */
export interface OptionalCheck extends Check {
  optional: true;
}

const wrong = (expected: string, found: unknown): Problem => ({ path: [], expected, found, missing: false });

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export const anything: Check = () => null;
export const string: Check = (v) => (typeof v === 'string' ? null : wrong('a string', v));
export const boolean: Check = (v) => (typeof v === 'boolean' ? null : wrong('true or false', v));
export const number: Check = (v) => (typeof v === 'number' && Number.isFinite(v) ? null : wrong('a number', v));
/** Any JSON object (its members are not checked). */
export const dict: Check = (v) => (isObject(v) ? null : wrong('an object', v));

export function integer(min = -Infinity): Check {
  const expected = min === -Infinity ? 'an integer' : `an integer >= ${min}`;
  return (v) => (typeof v === 'number' && Number.isInteger(v) && v >= min ? null : wrong(expected, v));
}

export function oneOf(values: readonly string[]): Check {
  const allowed = new Set(values);
  const expected = `one of ${values.join(', ')}`;
  return (v) => (typeof v === 'string' && allowed.has(v) ? null : wrong(expected, v));
}

export function nullable(check: Check): Check {
  return (v) => {
    if (v === null) return null;
    const problem = check(v);
    if (problem !== null && problem.path.length === 0) problem.expected += ' or null';
    return problem;
  };
}

export function optional(check: Check): OptionalCheck {
  return Object.assign((v: unknown) => check(v), { optional: true as const });
}

function at(problem: Problem, step: string | number): Problem {
  problem.path.unshift(step);
  return problem;
}

/** An object with these fields (others are ignored, for files written by a newer baton of the same schema version). */
export function record(fields: Record<string, Check>): Check {
  // Parallel arrays and an indexed loop: this runs for every instance and attempt of a 10,000-task state.
  const names = Object.keys(fields);
  const checks = names.map((name) => fields[name] as Check);
  const optionals = checks.map((check) => 'optional' in check);
  return (v) => {
    if (!isObject(v)) return wrong('an object', v);
    for (let i = 0; i < names.length; i++) {
      const name = names[i] as string;
      const field = v[name];
      if (field === undefined) {
        if (optionals[i]) continue;
        return { path: [name], expected: '', found: undefined, missing: true };
      }
      const problem = (checks[i] as Check)(field);
      if (problem !== null) return at(problem, name);
    }
    return null;
  };
}

export function listOf(item: Check): Check {
  return (v) => {
    if (!Array.isArray(v)) return wrong('an array', v);
    for (let i = 0; i < v.length; i++) {
      const problem = item(v[i]);
      if (problem !== null) return at(problem, i);
    }
    return null;
  };
}

/** An object used as a map: every member passes `member`, which also gets the member's name. */
export function mapOf(member: (value: unknown, name: string) => Problem | null): Check {
  return (v) => {
    if (!isObject(v)) return wrong('an object', v);
    for (const name in v) {
      const problem = member(v[name], name);
      if (problem !== null) return at(problem, name);
    }
    return null;
  };
}

/** A problem found by a check of its own (not a type): e.g. a key that does not match where it is stored. */
export function mismatch(expected: string, found: unknown): Problem {
  return wrong(expected, found);
}

/** `tasks.b.history`, `tasks["outer[1].b"].history[0].n`: a path a user can find the value by (jq-like). */
export function formatPath(path: (string | number)[]): string {
  let text = '';
  for (const step of path) {
    if (typeof step === 'number') text += `[${step}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(step)) text += text === '' ? step : `.${step}`;
    else text += `[${JSON.stringify(step)}]`;
  }
  return text === '' ? '(the document)' : text;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}

/** One line: `tasks.b.history should be an array, not the string "x"`. */
export function explain(problem: Problem): string {
  const where = formatPath(problem.path);
  if (problem.missing) return `${where} is missing`;
  return `${where} should be ${problem.expected}, not ${describe(problem.found)}`;
}
