// Checks a JUnit report with xmllint against the JUnit XSD committed under test/fixtures/junit.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, tempDir } from './cli.js';

const JUNIT_XSD = path.join(ROOT, 'test/fixtures/junit/junit.xsd');

/** Throws with xmllint's message unless `xml` (text, or a file when `isFile`) is well-formed and valid. */
export function xmllintValid(xml: string, isFile = false): void {
  const file = isFile ? xml : path.join(tempDir('baton-junit-'), 'report.xml');
  if (!isFile) fs.writeFileSync(file, xml);
  execFileSync('xmllint', ['--noout', '--schema', JUNIT_XSD, file], { stdio: 'pipe' });
}
