// Tests for maskSecrets: deep masking of secret values in strings, keys and numbers.
import { describe, expect, it } from 'vitest';
import { maskSecrets } from '../../src/expr/index.js';

describe('maskSecrets', () => {
  it.each([
    ['token=abc123', ['abc123'], 'token=***', true],
    ['abc123 and abc123', ['abc123'], '*** and ***', true],
    ['nothing here', ['abc123'], 'nothing here', false],
    ['x', [''], 'x', false],
    [null, ['s3cret'], null, false],
    [true, ['true'], true, false],
    [['a s3cret', ['deep s3cret']], ['s3cret'], ['a ***', ['deep ***']], true],
    [{ out: { token: 'Bearer s3cret' }, n: 1 }, ['s3cret'], { out: { token: 'Bearer ***' }, n: 1 }, true],
    [{ s3cret: 'v' }, ['s3cret'], { '***': 'v' }, true],
    [{ pin: 4321 }, ['4321'], { pin: '***' }, true],
    [{ n: 5 }, ['4321'], { n: 5 }, false],
    // Longest first: a secret containing another is masked whole.
    ['key-abcdef', ['abc', 'abcdef'], 'key-***', true],
    ['one two', ['one', 'two'], '*** ***', true],
  ])('%j with %j', (value, secrets, expected, masked) => {
    expect(maskSecrets(value, secrets)).toEqual({ value: expected, masked });
  });

  it('returns the same reference when nothing changed, and never mutates the input', () => {
    const clean = { a: ['x', { b: 'y' }] };
    expect(maskSecrets(clean, ['zzz']).value).toBe(clean);

    const dirty = { keep: { k: 'fine' }, leak: ['s3cret'] };
    const result = maskSecrets(dirty, ['s3cret']).value as typeof dirty;
    expect(result).toEqual({ keep: { k: 'fine' }, leak: ['***'] });
    expect(result.keep).toBe(dirty.keep);
    expect(dirty.leak).toEqual(['s3cret']);
  });
});
