// `baton test`: loads every test file and its blueprint (any problem: positioned diagnostics, exit 2, nothing run),
// runs each case in memory, and reports like a test runner (exit 1 when a case failed).
import path from 'node:path';
import { hasErrors, type Diagnostic } from '../../blueprint/diagnostics.js';
import { loadBlueprint } from '../../blueprint/load.js';
import type { Blueprint } from '../../blueprint/model.js';
import { loadTestFile, type TestFile } from '../../blueprint/test-file.js';
import { stopSpawnHelpers } from '../../executor/index.js';
import { diagnosticsJson, printDiagnostics } from '../../report/diagnostics.js';
import { EXIT, type CommandIO } from '../io.js';
import { junitTarget, writeAtomically } from '../ci-output.js';
import { checkAgainstBlueprint } from './checks.js';
import { testsJUnitXml } from './junit.js';
import { findTestFiles } from './files.js';
import { formatResults, type FileResult } from './print.js';
import { runCase } from './run-case.js';

export interface TestFlags {
  json: boolean;
  /** --junit FILE: a JUnit XML report of the cases (its folder is checked before anything runs). */
  junit?: string;
}

export async function runBlueprintTests(io: CommandIO, args: string[], flags: TestFlags): Promise<number> {
  const started = performance.now();
  const startedAt = new Date();
  const junit = flags.junit === undefined ? null : junitTarget(io, { junit: flags.junit, verbose: false });
  const shown = (file: string): string => {
    const relative = path.relative(io.cwd, file);
    return relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
  };
  const diagnostics: Diagnostic[] = [];
  const sources = new Map<string, string>();
  const loaded: { test: TestFile; bp: Blueprint }[] = [];
  const blueprints = new Map<string, Blueprint | null>();
  for (const file of findTestFiles(io.cwd, args)) {
    const t = loadTestFile(file, shown(file));
    for (const [f, text] of t.sources) sources.set(f, text);
    diagnostics.push(...t.diagnostics);
    if (!t.testFile) continue;
    let bp = blueprints.get(t.testFile.blueprint);
    if (bp === undefined) {
      const result = loadBlueprint(t.testFile.blueprint);
      for (const [f, text] of result.sources) sources.set(f, text);
      bp = result.blueprint;
      blueprints.set(t.testFile.blueprint, bp);
      if (!bp) {
        diagnostics.push({ severity: 'error', code: 'invalid-blueprint', message: `the blueprint under test, ${shown(t.testFile.blueprint)}, is invalid (its problems follow)`, range: t.testFile.blueprintRange });
        diagnostics.push(...result.diagnostics.filter((d) => d.severity === 'error'));
      }
    }
    if (!bp) continue;
    diagnostics.push(...checkAgainstBlueprint(t.testFile, bp, shown(t.testFile.blueprint)));
    loaded.push({ test: t.testFile, bp });
  }
  if (hasErrors(diagnostics)) {
    await printDiagnostics(io, diagnostics, sources);
    if (flags.json) io.stdout.write(`${JSON.stringify({ error: 'invalid test files', diagnostics: diagnosticsJson(diagnostics, sources) }, null, 2)}\n`);
    return EXIT.usage;
  }
  const results: FileResult[] = [];
  try {
    for (const { test, bp } of loaded) {
      const cases = [];
      for (const c of test.cases) cases.push(await runCase(bp, c, io.cwd));
      results.push({ file: shown(test.file), blueprint: shown(test.blueprint), cases });
    }
  } finally {
    await stopSpawnHelpers(); // started only if a `run: real` task ran
  }
  if (junit !== null) writeAtomically(junit, testsJUnitXml(results, startedAt));
  const ms = performance.now() - started;
  const failed = results.flatMap((f) => f.cases).filter((c) => !c.passed).length;
  if (flags.json) {
    const passed = results.flatMap((f) => f.cases).length - failed;
    io.stdout.write(`${JSON.stringify({ passed, failed, ms: Math.round(ms), files: results }, null, 2)}\n`);
  } else {
    io.stdout.write(formatResults(results, ms));
  }
  return failed > 0 ? EXIT.failed : EXIT.ok;
}
