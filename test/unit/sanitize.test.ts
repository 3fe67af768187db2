// The sanitiser of printed task- and user-controlled text, and the log tail that uses it.
import { describe, expect, it } from 'vitest';
import { lastLines } from '../../src/report/log-tail.js';
import { sanitizeText } from '../../src/report/sanitize.js';

describe('sanitizeText', () => {
  it.each([
    ['OSC title (BEL)', 'a\x1b]0;X\x07b', 'ab'],
    ['OSC 52 clipboard (ST)', 'a\x1b]52;c;aGk=\x1b\\b', 'ab'],
    ['OSC 8 link', '\x1b]8;;http://x\x07link\x1b]8;;\x07', 'link'],
    ['unterminated OSC', 'a\x1b]0;rest of line', 'a'],
    ['DCS', 'a\x1bPq#0;2;0;0;0\x1b\\b', 'ab'],
    ['charset switch', '\x1b(0lqk\x1b(B', 'lqk'],
    ['clear screen and cursor home', '\x1b[2J\x1b[Hx', 'x'],
    ['colour', '\x1b[1;31mred\x1b[0m', 'red'],
    ['8-bit CSI and C1', 'a\x9b2Jb\x85c', 'abc'],
    ['reset', 'a\x1bcb', 'ab'],
    ['other controls', 'a\x00\x07\x08\rb\x7f', 'ab'],
    ['tab, newline and text kept', 'tab\there\nnl é 日本', 'tab\there\nnl é 日本'],
  ])('%s', (_name, input, expected) => {
    expect(sanitizeText(input)).toBe(expected);
  });
});

describe('lastLines', () => {
  it('keeps what a carriage return left visible, sanitised', () => {
    expect(lastLines('10%\r100%\x1b]0;t\x07 done\r\nnext \x1b[31mred\x1b[0m\n\n', 5)).toEqual(['100% done', 'next red']);
  });
});
