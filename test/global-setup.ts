// Every temp folder the tests make (os.tmpdir()) goes under one folder per `npm test`, removed at the end, so
// repeated test runs do not pile thousands of run folders up in /tmp. And no test runs against a stale dist/.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureFreshBuild } from './helpers/fresh-build.js';

export default function setup(): () => void {
  // `npx vitest run` alone must be as safe as `npm test` (which builds first): rebuild when a source is newer.
  ensureFreshBuild(fileURLToPath(new URL('..', import.meta.url)), (line) => process.stderr.write(`${line}\n`));
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-tests-'));
  const previous = process.env.TMPDIR;
  process.env.TMPDIR = root; // the test workers are forked after this, and inherit it
  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    fs.rmSync(root, { recursive: true, force: true });
  };
}
