// Checking a value against a declared input's type and enum; shared by -i parsing, defaults and sub-workflow inputs.
import type { InputSpec, InputType } from './model.js';

/** JSON numbers are doubles: beyond 2^53 an integer is silently rounded to a neighbour. */
export const UNSAFE_INTEGER = 'beyond the integers held exactly (-9007199254740991 to 9007199254740991)';

/** Why `value` does not fit `type` (and `allowed`, if given), or null when it fits. */
function inputValueProblem(value: unknown, type: InputType, allowed?: readonly unknown[]): string | null {
  if (type === 'integer' && Number.isInteger(value) && !Number.isSafeInteger(value)) return `must be an integer, not ${describeValue(value)}: it is ${UNSAFE_INTEGER}`;
  if (!matchesType(value, type)) return `must be ${typeWording(type)}, not ${describeValue(value)}`;
  if (allowed && !allowed.some((option) => sameValue(option, value))) {
    return `must be one of ${allowed.map((v) => `\`${JSON.stringify(v)}\``).join(', ')}, not ${describeValue(value)}`;
  }
  return null;
}

/** Same as inputValueProblem, for a declared input. */
export function inputSpecProblem(value: unknown, spec: Pick<InputSpec, 'type' | 'enum'>): string | null {
  return inputValueProblem(value, spec.type, spec.enum);
}

function matchesType(value: unknown, type: InputType): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'integer':
      return typeof value === 'number' && Number.isSafeInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'array':
      return Array.isArray(value);
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
  }
}

function typeWording(type: InputType): string {
  return { string: 'a string', integer: 'an integer', number: 'a number', boolean: 'a boolean', array: 'an array', object: 'an object' }[type];
}

/** A value shown in a message, e.g. `"abc"` (string), `3.5` (number). */
export function describeValue(value: unknown): string {
  // JSON.stringify turns Infinity and NaN into `null`.
  const json = value === undefined ? 'undefined' : typeof value === 'number' && !Number.isFinite(value) ? String(value) : JSON.stringify(value);
  const shown = json.length > 60 ? `${json.slice(0, 59)}…` : json;
  const kind = Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value;
  return kind === 'null' ? '`null`' : `the ${kind} \`${shown}\``;
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
