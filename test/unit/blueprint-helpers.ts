// Test helpers for blueprint tests: write blueprints to a temp folder, load them, and summarise diagnostics.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadBlueprint, type LoadResult } from '../../src/blueprint/load.js';
import { lineColumn } from '../../src/blueprint/source-file.js';

export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'baton-blueprint-'));
}

/** Write `files` (name → text) into a fresh folder and load the first one. */
export function loadFiles(files: Record<string, string | Buffer>): LoadResult & { dir: string } {
  const dir = tempDir();
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  const first = Object.keys(files)[0] as string;
  return { ...loadBlueprint(path.join(dir, first)), dir };
}

export function loadText(text: string): LoadResult & { dir: string } {
  return loadFiles({ 'flow.yaml': text });
}

/** Each diagnostic as `severity code line:col message` (file name added when not the first file). */
export function summary(result: LoadResult): string[] {
  return result.diagnostics.map((d) => {
    const source = d.range ? result.sources.get(d.range.file) : undefined;
    const at = d.range && source !== undefined ? lineColumn(source, d.range.start) : undefined;
    const where = at ? ` ${path.basename(d.range?.file ?? '')}:${at.line}:${at.column}` : '';
    return `${d.severity} ${d.code}${where} ${d.message}`;
  });
}

/** The text a marker points at. */
export function marked(result: LoadResult, index = 0): string {
  const d = result.diagnostics[index];
  if (!d?.range) return '';
  return (result.sources.get(d.range.file) ?? '').slice(d.range.start, d.range.end);
}

/** A minimal valid blueprint around the given task YAML (indented list items). */
export function withTasks(tasksYaml: string, head = 'name: t\n'): string {
  return `${head}tasks:\n${tasksYaml}`;
}
