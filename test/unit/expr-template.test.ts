// Tests for template splitting, unwrapping and hasExpression.
import { describe, expect, it } from 'vitest';
import { hasExpression, splitTemplate, unwrapExpression } from '../../src/expr/index.js';

describe('splitTemplate', () => {
  it.each([
    ['plain text', [{ kind: 'text', text: 'plain text', start: 0, end: 10 }]],
    ['${{ a }}', [{ kind: 'expr', source: 'a', start: 0, end: 8, sourceStart: 4 }]],
    [
      'x ${{ inputs.dir }}/y',
      [
        { kind: 'text', text: 'x ', start: 0, end: 2 },
        { kind: 'expr', source: 'inputs.dir', start: 2, end: 19, sourceStart: 6 },
        { kind: 'text', text: '/y', start: 19, end: 21 },
      ],
    ],
    [
      '${{a}}${{  b }}',
      [
        { kind: 'expr', source: 'a', start: 0, end: 6, sourceStart: 3 },
        { kind: 'expr', source: 'b', start: 6, end: 15, sourceStart: 11 },
      ],
    ],
    // Object constructors and strings holding `}}` do not close the expression early.
    ['${{ {"a": {"b": 1}} }}', [{ kind: 'expr', source: '{"a": {"b": 1}}', start: 0, end: 22, sourceStart: 4 }]],
    ["${{ 'x}}y' }}!", [
      { kind: 'expr', source: "'x}}y'", start: 0, end: 13, sourceStart: 4 },
      { kind: 'text', text: '!', start: 13, end: 14 },
    ]],
  ])('splits %j', (text, parts) => {
    const result = splitTemplate(text);
    expect(result.error).toBeUndefined();
    expect(result.parts).toEqual(parts);
  });

  it('reports an unclosed ${{ at its offset', () => {
    const result = splitTemplate('ok ${{ a }} then ${{ b ');
    expect(result.error).toEqual({ message: expect.stringContaining('unclosed'), offset: 17 });
  });

  it('falls back to the first }} when a quote inside is unbalanced, so the parser can report it', () => {
    const result = splitTemplate("${{ it's }} tail");
    expect(result.error).toBeUndefined();
    expect(result.parts[0]).toMatchObject({ kind: 'expr', source: "it's" });
  });

  it('offsets point into the original text', () => {
    const text = 'echo "${{  tasks.a.output }}"';
    const part = splitTemplate(text).parts.find((p) => p.kind === 'expr');
    expect(part && part.kind === 'expr' && text.slice(part.sourceStart, part.sourceStart + part.source.length)).toBe(
      'tasks.a.output',
    );
    expect(part && text.slice(part.start, part.end)).toBe('${{  tasks.a.output }}');
  });
});

describe('unwrapExpression', () => {
  it.each([
    ['${{ x > 1 }}', 'x > 1', 4],
    ['  ${{ x }}  ', 'x', 6],
    ['x > 1', 'x > 1', 0],
    ['  inputs.flag', 'inputs.flag', 2],
    ['${{ a }} and ${{ b }}', '${{ a }} and ${{ b }}', 0],
  ])('%j → %j at %i', (text, source, offset) => {
    expect(unwrapExpression(text)).toEqual({ source, offset });
  });
});

describe('hasExpression', () => {
  it.each([
    ['a ${{ b }}', true],
    ['no', false],
    [['x', ['y', '${{ z }}']], true],
    [{ a: { b: ['${{ c }}'] } }, true],
    [{ a: { b: ['c'] }, n: 1 }, false],
    [42, false],
    [null, false],
  ])('%j → %s', (value, expected) => {
    expect(hasExpression(value)).toBe(expected);
  });
});
