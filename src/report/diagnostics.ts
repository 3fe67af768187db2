// Prints diagnostics for people (code frames, colour when allowed) or as the one JSON document of --json.
import { Chalk } from 'chalk';
import type { Diagnostic } from '../blueprint/diagnostics.js';
import { diagnosticToJson, formatDiagnostic, type DiagnosticStyle } from '../blueprint/format.js';
import { chooseOutputMode } from './mode.js';

interface Streams {
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  cwd: string;
}

function style(io: Streams): DiagnosticStyle | undefined {
  if (!chooseOutputMode(io.stderr, io.env).color) return undefined;
  const c = new Chalk({ level: 1 });
  return { error: (s) => c.red.bold(s), warning: (s) => c.yellow.bold(s), marker: (s) => c.green(s), location: (s) => c.bold(s) };
}

export function printDiagnostics(io: Streams, diagnostics: Diagnostic[], sources: Map<string, string>): void {
  const s = style(io);
  for (const d of diagnostics) io.stderr.write(`${formatDiagnostic(d, sources, { cwd: io.cwd, ...(s ? { style: s } : {}) })}\n`);
}

export function diagnosticsJson(diagnostics: Diagnostic[], sources: Map<string, string>): unknown[] {
  return diagnostics.map((d) => diagnosticToJson(d, sources));
}
