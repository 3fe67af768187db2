// Instance keys are built and parsed in engine/keys.ts alone: its builders and parsers agree with each other.
import { describe, expect, it } from 'vitest';
import { bodyIndexes, bodyPrefix, childKey, enclosingPrefixes, frameOfKey, frameTaskIds, idOfKey, keyPattern, parseBodyPrefix, subRunPrefix } from '../../src/engine/core/keys.js';

describe('instance keys', () => {
  const key = childKey(bodyPrefix(childKey(subRunPrefix(childKey(bodyPrefix('outer', 1), 'sub')), 'fe'), 12), 'c');

  it('builds nested keys and parses them back', () => {
    expect(key).toBe('outer[1].sub/fe[12].c');
    expect(idOfKey(key)).toBe('c');
    expect(frameOfKey(key)).toBe('outer[1].sub');
    expect(frameTaskIds('outer[1].sub/fe[2].w')).toEqual(['sub', 'w']);
    expect(frameTaskIds('')).toEqual([]);
    expect(parseBodyPrefix('outer[1].sub/fe[12].')).toEqual({ owner: 'outer[1].sub/fe', index: 12 });
    expect(parseBodyPrefix('outer[1].sub/')).toBeNull();
  });

  it('lists the scopes a body task reads, innermost first, stopping at its frame', () => {
    expect(enclosingPrefixes('outer[1].sub/fe[12].')).toEqual(['outer[1].sub/fe[12].', 'outer[1].sub/']);
    expect(enclosingPrefixes('a[0].b[2].')).toEqual(['a[0].b[2].', 'a[0].', '']);
  });

  it('finds recorded body indexes and folds iterations into one pattern', () => {
    expect(bodyIndexes(['fe[10].c', 'fe[2].c', 'fe[2].d', 'fe', 'fex[1].c', 'other'], 'fe')).toEqual([2, 10]);
    expect(keyPattern(key)).toBe('outer.sub/fe.c');
    expect(keyPattern(key, '[*]')).toBe('outer[*].sub/fe[*].c');
  });
});
