// The generic JUnit XML writer: always well-formed and valid against the common JUnit XSD, whatever the text holds.
import { describe, expect, it } from 'vitest';
import { renderJUnit, xmlSafeText, type JUnitDocument } from '../../src/report/junit-xml.js';
import { xmllintValid } from '../helpers/junit.js';

const hostile = `a < b && c > d ]]> "q" 'a' \x1b[31mred\x1b[0m \x1b]0;title\x07 nul\x00 bell\x07 vt\x0b ${Buffer.from([0xff, 0xfe]).toString('latin1')} \ud800 lone`;

describe('renderJUnit', () => {
  it('is valid against the JUnit XSD with hostile text in every field', () => {
    const doc: JUnitDocument = {
      name: `runs ${hostile}`,
      suites: [
        {
          name: `suite ${hostile}`,
          timestamp: '2026-01-02T03:04:05.678Z',
          time: 1.5,
          properties: { [`p ${hostile}`]: hostile },
          testcases: [
            { name: `ok ${hostile}`, classname: 'wf', time: 0.25, systemOut: hostile },
            { name: 'bad', classname: 'wf', time: 1, failure: { message: `exit code 1\n${hostile}`, type: 'failed', text: `line\n${hostile}` }, systemOut: `out ]]> more` },
            { name: 'cut', classname: 'wf', error: { message: 'interrupted' } },
            { name: 'skip', classname: 'wf', skipped: { message: hostile } },
            { name: 'skip2', classname: 'wf', skipped: {} },
          ],
        },
        { name: 'empty', testcases: [] },
      ],
    };
    const xml = renderJUnit(doc);
    expect(() => xmllintValid(xml)).not.toThrow();
    expect(xml).not.toContain('\x1b');
    expect(xml).not.toContain('[31m');
    expect(xml).not.toContain('\x00');
    expect(xml).not.toMatch(/]]>/);
    expect(xml).toContain('a &lt; b &amp;&amp; c &gt; d ]]&gt;');
    expect(xml).toContain('tests="5" failures="1" errors="1" skipped="2"');
    expect(xml).toContain('timestamp="2026-01-02T03:04:05"');
  });

  it('decodes invalid UTF-8 bytes into replacement characters rather than failing', () => {
    expect(xmlSafeText(Buffer.from([0x61, 0xc3, 0x28, 0x62, 0xff]))).toBe('a\ufffd(b\ufffd');
    expect(() => xmllintValid(renderJUnit({ suites: [{ name: 's', testcases: [{ name: 't', classname: 'c', systemOut: xmlSafeText(Buffer.from([0xc3, 0x28, 0x80])) }] }] }))).not.toThrow();
  });

  it('caps long text by keeping its end', () => {
    const long = `${'x'.repeat(100)}\n${'y'.repeat(50)}\nTHE END`;
    const xml = renderJUnit({ suites: [{ name: 's', testcases: [{ name: 't', classname: 'c', systemOut: long }] }] }, { maxTextChars: 40 });
    expect(xml).toMatch(/<system-out>\[… \d+ earlier characters cut\]\nTHE END<\/system-out>/);
  });
});
