// Prints diagnostics for people (code frames, colour when allowed) or as the one JSON document of --json.
import type { Diagnostic } from '../blueprint/diagnostics.js';
import { diagnosticToJson, formatDiagnostic, type DiagnosticStyle } from '../blueprint/format.js';
import { chooseOutputMode } from './mode.js';

interface Streams {
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/** chalk is loaded only when colour is on: most validate runs (CI, pipes) never need it. */
async function style(io: Streams): Promise<DiagnosticStyle | undefined> {
  if (!chooseOutputMode(io.stderr, io.env).color) return undefined;
  const { Chalk } = await import('chalk');
  const c = new Chalk({ level: 1 });
  return { error: (s) => c.red.bold(s), warning: (s) => c.yellow.bold(s), marker: (s) => c.green(s), location: (s) => c.bold(s) };
}

export async function printDiagnostics(io: Streams, diagnostics: Diagnostic[], sources: Map<string, string>): Promise<void> {
  if (diagnostics.length === 0) return;
  const s = await style(io);
  for (const d of diagnostics) io.stderr.write(`${formatDiagnostic(d, sources, { cwd: io.cwd, ...(s ? { style: s } : {}) })}\n`);
}

export function diagnosticsJson(diagnostics: Diagnostic[], sources: Map<string, string>): unknown[] {
  return diagnostics.map((d) => diagnosticToJson(d, sources));
}
