// GitHub workflow commands escape data and properties as GitHub's runner unescapes them.
import { describe, expect, it } from 'vitest';
import { escapeData, workflowCommand } from '../../src/report/github.js';

describe('workflow commands', () => {
  it('escapes %, CR and LF in data, and : and , too in properties', () => {
    expect(escapeData('100% done\r\nnext: a,b')).toBe('100%25 done%0D%0Anext: a,b');
    expect(workflowCommand('error', { file: 'a,b:c%.yaml', line: 3, col: undefined, title: 'x: y\n' }, 'm: 1,2%\r\n')).toBe(
      '::error file=a%2Cb%3Ac%25.yaml,line=3,title=x%3A y%0A::m: 1,2%25%0D%0A',
    );
    expect(workflowCommand('endgroup', {}, '')).toBe('::endgroup::');
  });
});
