// `matrix:` expansion as a table: GitHub Actions' cross product, exclude and include rules.
import { describe, expect, it } from 'vitest';
import { expandMatrix, type MatrixSpec } from '../../src/blueprint/matrix.js';

const spec = (axes: MatrixSpec['axes'], more: Partial<MatrixSpec> = {}): MatrixSpec => ({ axes, include: [], exclude: [], ...more });
const osNode = (more: Partial<MatrixSpec> = {}) => spec([['os', ['linux', 'mac']], ['node', [18, 20]]], more);

describe('matrix expansion', () => {
  it.each<[string, MatrixSpec, Record<string, unknown>[]]>([
    ['one axis', spec([['os', ['linux', 'mac']]]), [{ os: 'linux' }, { os: 'mac' }]],
    ['the cross product, the last axis varying fastest', osNode(), [
      { os: 'linux', node: 18 }, { os: 'linux', node: 20 }, { os: 'mac', node: 18 }, { os: 'mac', node: 20 },
    ]],
    ['exclude drops every combination it matches', osNode({ exclude: [{ os: 'mac', node: 18 }] }), [
      { os: 'linux', node: 18 }, { os: 'linux', node: 20 }, { os: 'mac', node: 20 },
    ]],
    ['a partial exclude matches on the keys it names', osNode({ exclude: [{ os: 'mac' }] }), [{ os: 'linux', node: 18 }, { os: 'linux', node: 20 }]],
    ['values compare as text (YAML 18 and "18")', osNode({ exclude: [{ node: '18' }] }), [{ os: 'linux', node: 20 }, { os: 'mac', node: 20 }]],
    ['include adds a variable to the combinations it fits', osNode({ include: [{ os: 'mac', xcode: 15 }] }), [
      { os: 'linux', node: 18 }, { os: 'linux', node: 20 }, { os: 'mac', node: 18, xcode: 15 }, { os: 'mac', node: 20, xcode: 15 },
    ]],
    ['include that fits none becomes a combination of its own', osNode({ include: [{ os: 'windows', node: 20 }] }), [
      { os: 'linux', node: 18 }, { os: 'linux', node: 20 }, { os: 'mac', node: 18 }, { os: 'mac', node: 20 }, { os: 'windows', node: 20 },
    ]],
    ['include never changes an original value, but may change an added one', spec([['os', ['linux']]], { include: [{ cc: 'gcc' }, { cc: 'clang' }] }), [{ os: 'linux', cc: 'clang' }]],
    ['exclude applies before include', spec([['os', ['linux', 'mac']]], { exclude: [{ os: 'mac' }], include: [{ os: 'mac', arm: true }] }), [{ os: 'linux' }, { os: 'mac', arm: true }]],
    ['only include: its entries are the combinations', spec([], { include: [{ os: 'linux' }, { os: 'linux' }, { os: 'mac' }] }), [{ os: 'linux' }, { os: 'mac' }]],
  ])('%s', (_name, input, expected) => {
    expect(expandMatrix(input)).toEqual(expected);
  });
});
