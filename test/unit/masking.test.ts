// Tests for the one secret masker: text, deep values (strings, keys, numbers), multi-line secrets, and streams.
import { describe, expect, it } from 'vitest';
import { maskPatterns, maskSecrets, maskText, maskValue, StreamMasker } from '../../src/executor/index.js';

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
    [{ big: 142421 }, ['4242'], { big: '1***1' }, true],
    // Longest first: a secret containing another is masked whole.
    ['key-abcdef', ['abc', 'abcdef'], 'key-***', true],
    ['one two', ['one', 'two'], '*** ***', true],
    // However short, a non-empty secret is masked (the rule of both former maskers).
    ['a1b', ['1'], 'a***b', true],
    [{ exit: 1 }, ['1'], { exit: '***' }, true],
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

  it('maskValue and maskText agree on numbers written as text', () => {
    expect(maskValue({ pin: 4242, note: 'pin 4242' }, ['4242'])).toEqual({ pin: '***', note: 'pin ***' });
    expect(maskText('{"pin": 4242}', ['4242'])).toBe('{"pin": ***}');
  });
});

describe('multi-line secrets', () => {
  const key = '-----BEGIN KEY-----\nline-one-AAAA\n  line-two-BBBB  \r\n\n-----END KEY-----';

  it('are masked whole, and each non-blank line (trimmed) on its own', () => {
    expect(maskPatterns([key])).toEqual([key, '-----BEGIN KEY-----', '-----END KEY-----', 'line-one-AAAA', 'line-two-BBBB']);
    expect(maskText(`whole: ${key}.`, [key])).toBe('whole: ***.');
    expect(maskText('only line-one-AAAA here\nand line-two-BBBB there', [key])).toBe('only *** here\nand *** there');
    expect(maskValue({ [`k line-one-AAAA`]: ['x line-two-BBBB'] }, [key])).toEqual({ 'k ***': ['x ***'] });
  });

  it('are masked line by line in a stream, at every split point', () => {
    const secret = 'first-line-1111\nsecond-line-2222';
    const text = 'a first-line-1111 b\nc second-line-2222\nd first-line-1111\nsecond-line-2222 e';
    for (let a = 0; a <= text.length; a++) {
      const masker = new StreamMasker([secret]);
      const out = masker.push(text.slice(0, a)) + masker.push(text.slice(a)) + masker.flush();
      expect(out).toBe('a *** b\nc ***\nd *** e');
    }
  });
});
