// A generic JUnit XML writer (testsuites → testsuite → testcase) whose output is always well-formed XML 1.0.

export interface JUnitFailure {
  /** One line: the reason (exit code, error). */
  message: string;
  /** `type` attribute, e.g. "failed" or "timed_out". */
  type?: string;
  /** The body: usually the last lines of the output. */
  text?: string;
}

export interface JUnitTestCase {
  name: string;
  classname: string;
  /** Seconds. */
  time?: number;
  failure?: JUnitFailure;
  /** `<error>`: the test could not run to a verdict (interrupted, canceled). */
  error?: JUnitFailure;
  /** `<skipped/>` with an optional reason. */
  skipped?: { message?: string };
  systemOut?: string;
  systemErr?: string;
}

export interface JUnitTestSuite {
  name: string;
  /** ISO 8601 time the suite started (timezone suffix is dropped: the common XSD types it as xs:dateTime without zone). */
  timestamp?: string;
  hostname?: string;
  /** Seconds. */
  time?: number;
  properties?: Record<string, string>;
  testcases: JUnitTestCase[];
  systemOut?: string;
  systemErr?: string;
}

export interface JUnitDocument {
  name?: string;
  suites: JUnitTestSuite[];
}

export interface JUnitWriteOptions {
  /** Most characters kept in each system-out / system-err / failure body; the start is cut, the end is kept. */
  maxTextChars?: number;
}

const DEFAULT_MAX_TEXT = 64 * 1024;

/**
 * Characters XML 1.0 forbids (C0 controls but tab/newline/CR, lone surrogates, U+FFFE/U+FFFF), plus terminal escape
 * sequences (CSI, OSC, two-byte ESC) which would otherwise leave their printable tails behind.
 */
const ANSI = /\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b\[[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]?|\x1b[\x20-\x2f]*[\x30-\x7e]?|\x9b[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]?/g;
const FORBIDDEN = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** `text` (or raw bytes, decoded as UTF-8 with invalid sequences replaced) reduced to what XML 1.0 may hold. */
export function xmlSafeText(text: string | Uint8Array): string {
  const s = typeof text === 'string' ? text : new TextDecoder('utf-8', { fatal: false }).decode(text);
  return s.replace(ANSI, '').replace(FORBIDDEN, '');
}

/** Escaped for an attribute value in double quotes; newlines and tabs kept as character references. */
function xmlAttr(text: string): string {
  return xmlSafeText(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;')
    .replace(/\t/g, '&#9;');
}

/** Escaped for element content (entities rather than CDATA, so `]]>` in the text needs no special case). */
function xmlText(text: string): string {
  return xmlSafeText(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;');
}

/** The last `max` characters of `text`, with a note that the start was cut. */
function capText(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(text.length - max);
  const newline = cut.indexOf('\n');
  if (newline !== -1 && newline < 200) cut = cut.slice(newline + 1);
  return `[… ${text.length - cut.length} earlier characters cut]\n${cut}`;
}

const seconds = (s: number | undefined): string => (s === undefined || !Number.isFinite(s) ? '0' : Math.max(0, s).toFixed(3));

/** The document as a string, starting with the XML declaration. */
export function renderJUnit(doc: JUnitDocument, options: JUnitWriteOptions = {}): string {
  const max = options.maxTextChars ?? DEFAULT_MAX_TEXT;
  const body = (tag: string, text: string | undefined, indent: string): string[] =>
    text === undefined ? [] : [`${indent}<${tag}>${xmlText(capText(xmlSafeText(text), max))}</${tag}>`];
  const count = (pick: (c: JUnitTestCase) => boolean, suites: JUnitTestSuite[]): number => suites.reduce((n, s) => n + s.testcases.filter(pick).length, 0);
  const totals = (suites: JUnitTestSuite[]) => ({
    tests: count(() => true, suites),
    failures: count((c) => c.failure !== undefined, suites),
    errors: count((c) => c.error !== undefined && c.failure === undefined, suites),
    skipped: count((c) => c.skipped !== undefined && c.failure === undefined && c.error === undefined, suites),
  });
  const all = totals(doc.suites);
  const time = doc.suites.reduce((t, s) => t + (s.time ?? 0), 0);
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>'];
  lines.push(`<testsuites${doc.name !== undefined ? ` name="${xmlAttr(doc.name)}"` : ''} tests="${all.tests}" failures="${all.failures}" errors="${all.errors}" skipped="${all.skipped}" time="${seconds(time)}">`);
  doc.suites.forEach((suite, id) => {
    const t = totals([suite]);
    // The common XSD requires these attributes in this shape; package/id come from the Ant report format.
    const attrs = [
      `name="${xmlAttr(suite.name)}"`,
      `tests="${t.tests}"`,
      `failures="${t.failures}"`,
      `errors="${t.errors}"`,
      `skipped="${t.skipped}"`,
      `time="${seconds(suite.time)}"`,
      `timestamp="${xmlAttr(xsTimestamp(suite.timestamp))}"`,
      `hostname="${xmlAttr(suite.hostname || 'localhost')}"`,
      `id="${id}"`,
      `package="${xmlAttr(suite.name)}"`,
    ];
    lines.push(`  <testsuite ${attrs.join(' ')}>`);
    lines.push('    <properties>');
    for (const [name, value] of Object.entries(suite.properties ?? {})) lines.push(`      <property name="${xmlAttr(name)}" value="${xmlAttr(value)}"/>`);
    lines.push('    </properties>');
    for (const c of suite.testcases) {
      const open = `    <testcase name="${xmlAttr(c.name)}" classname="${xmlAttr(c.classname)}" time="${seconds(c.time)}"`;
      const inner: string[] = [];
      const verdict = (tag: string, f: JUnitFailure): void => {
        const head = `      <${tag} message="${xmlAttr(f.message)}" type="${xmlAttr(f.type ?? tag)}"`;
        inner.push(f.text === undefined || f.text === '' ? `${head}/>` : `${head}>${xmlText(capText(xmlSafeText(f.text), max))}</${tag}>`);
      };
      if (c.failure) verdict('failure', c.failure);
      else if (c.error) verdict('error', c.error);
      else if (c.skipped) inner.push(c.skipped.message !== undefined ? `      <skipped message="${xmlAttr(c.skipped.message)}"/>` : '      <skipped/>');
      inner.push(...body('system-out', c.systemOut, '      '), ...body('system-err', c.systemErr, '      '));
      lines.push(...(inner.length === 0 ? [`${open}/>`] : [`${open}>`, ...inner, '    </testcase>']));
    }
    lines.push(...body('system-out', suite.systemOut ?? '', '    '), ...body('system-err', suite.systemErr ?? '', '    '));
    lines.push('  </testsuite>');
  });
  lines.push('</testsuites>');
  return `${lines.join('\n')}\n`;
}

/** `2026-01-02T03:04:05` (xs:dateTime without zone, as the common XSD's ISO8601_DATETIME_PATTERN wants). */
function xsTimestamp(iso: string | undefined): string {
  const ms = iso === undefined ? NaN : Date.parse(iso);
  const date = Number.isFinite(ms) ? new Date(ms) : new Date();
  return date.toISOString().slice(0, 19);
}
