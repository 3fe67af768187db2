// Instance keys are built and parsed in engine/keys.ts alone: its builders and parsers agree with each other.
import { describe, expect, it } from 'vitest';
import { bodyInstances, bodyPrefix, childKey, enclosingPrefixes, frameOfKey, frameTaskIds, idOfKey, keyPattern, matrixLabel, parseBodyPrefix, subRunPrefix } from '../../src/engine/core/keys.js';
import { state } from '../helpers/model.js';

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
    const st = state({ 'fe[10].c': {}, 'fe[2].c': {}, 'fe[2].d': {}, fe: {}, 'fex[1].c': {}, other: {} });
    expect(bodyInstances(st, 'fe')).toEqual([{ index: 2, prefix: 'fe[2].' }, { index: 10, prefix: 'fe[10].' }]);
    expect(keyPattern(key)).toBe('outer.sub/fe.c');
    expect(keyPattern(key, '[*]')).toBe('outer[*].sub/fe[*].c');
  });

  it('keys a matrix instance by its combination, and parses the label back to its index', () => {
    const items = [{ os: 'linux', node: 18 }, { os: 'mac os/x', node: '20]' }];
    const labels = items.map(matrixLabel);
    expect(labels).toEqual(['os=linux,node=18', 'os=mac%20os%2Fx,node=20%5D']);
    const key = childKey(bodyPrefix('test', 1, labels[1]), 't');
    expect(key).toBe('test[os=mac%20os%2Fx,node=20%5D].t');
    expect(idOfKey(key)).toBe('t');
    expect(frameOfKey(key)).toBe('');
    const st = state({ test: { kind: 'for_each', items }, [key]: {}, 'test[os=linux,node=18].t': {} });
    expect(parseBodyPrefix(bodyPrefix('test', 1, labels[1]), st)).toEqual({ owner: 'test', index: 1 });
    expect(bodyInstances(st, 'test')).toEqual([{ index: 0, prefix: 'test[os=linux,node=18].' }, { index: 1, prefix: 'test[os=mac%20os%2Fx,node=20%5D].' }]);
    expect(keyPattern(key, '[*]')).toBe('test[*].t');
    expect(enclosingPrefixes('test[os=linux,node=18].')).toEqual(['test[os=linux,node=18].', '']);
  });
});
