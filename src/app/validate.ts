// `baton validate`: check blueprints without running anything; every problem of every file is reported.
import path from 'node:path';
import { hasErrors } from '../blueprint/diagnostics.js';
import { loadBlueprint } from '../blueprint/load.js';
import { diagnosticsJson, printDiagnostics } from '../report/diagnostics.js';
import { annotateDiagnostics } from './ci-output.js';
import { EXIT, type CommandIO } from './io.js';

export async function validateFiles(io: CommandIO, files: string[], json: boolean, ciAnnotations = true): Promise<number> {
  let valid = true;
  const results: { file: string; valid: boolean; diagnostics: unknown[] }[] = [];
  for (const file of files) {
    const loaded = loadBlueprint(path.resolve(io.cwd, file));
    const ok = loaded.blueprint !== null && !hasErrors(loaded.diagnostics);
    valid &&= ok;
    await printDiagnostics(io, loaded.diagnostics, loaded.sources);
    annotateDiagnostics(io, { ciAnnotations }, loaded.diagnostics, loaded.sources);
    if (!json) {
      const warnings = loaded.diagnostics.filter((d) => d.severity === 'warning').length;
      const errors = loaded.diagnostics.length - warnings;
      const counts = [errors ? `${errors} error${errors > 1 ? 's' : ''}` : '', warnings ? `${warnings} warning${warnings > 1 ? 's' : ''}` : ''].filter(Boolean).join(', ');
      io.stderr.write(ok ? `${file}: valid${counts ? ` (${counts})` : ''}\n` : `${file}: invalid (${counts})\n`);
    }
    results.push({ file, valid: ok, diagnostics: diagnosticsJson(loaded.diagnostics, loaded.sources) });
  }
  if (json) io.stdout.write(`${JSON.stringify({ valid, files: results }, null, 2)}\n`);
  return valid ? EXIT.ok : EXIT.usage;
}
