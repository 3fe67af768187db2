// chooseOutputMode(): TTY, CI, TERM=dumb, NO_COLOR and FORCE_COLOR decide live view and colour.
import { describe, expect, it } from 'vitest';
import { chooseOutputMode } from '../../src/report/reporter.js';

describe('chooseOutputMode', () => {
  const cases: [string, boolean, NodeJS.ProcessEnv, { mode: 'tty' | 'plain'; color: boolean }][] = [
    ['a TTY', true, {}, { mode: 'tty', color: true }],
    ['no TTY', false, {}, { mode: 'plain', color: false }],
    ['NO_COLOR on a TTY', true, { NO_COLOR: '1' }, { mode: 'tty', color: false }],
    ['empty NO_COLOR is ignored', true, { NO_COLOR: '' }, { mode: 'tty', color: true }],
    ['FORCE_COLOR without a TTY', false, { FORCE_COLOR: '1' }, { mode: 'plain', color: true }],
    ['FORCE_COLOR=0 on a TTY', true, { FORCE_COLOR: '0' }, { mode: 'tty', color: false }],
    ['empty FORCE_COLOR is ignored', false, { FORCE_COLOR: '' }, { mode: 'plain', color: false }],
    ['NO_COLOR beats FORCE_COLOR', false, { NO_COLOR: '1', FORCE_COLOR: '3' }, { mode: 'plain', color: false }],
    ['CI=true on a TTY', true, { CI: 'true' }, { mode: 'plain', color: true }],
    ['CI=false on a TTY', true, { CI: 'false' }, { mode: 'tty', color: true }],
    ['CI with FORCE_COLOR and no TTY', false, { CI: 'true', FORCE_COLOR: '1' }, { mode: 'plain', color: true }],
    ['TERM=dumb on a TTY', true, { TERM: 'dumb' }, { mode: 'plain', color: false }],
  ];
  it.each(cases)('%s', (_name, isTTY, env, expected) => {
    expect(chooseOutputMode({ isTTY }, env)).toEqual(expected);
  });

  it('treats a stream without isTTY as no TTY', () => {
    expect(chooseOutputMode({}, {})).toEqual({ mode: 'plain', color: false });
  });
});
