// Loading a blueprint: read, parse, check structure and semantics, load sub-workflows; every problem collected.
import * as path from 'node:path';
import { errorAt, hasErrors, type Diagnostic } from './diagnostics.js';
import { checkBlueprintExpressions } from './expressions.js';
import { checkNeeds } from './needs.js';
import type { Blueprint } from './model.js';
import { convertBlueprint } from './convert.js';
import { blueprintSchema } from './schema.js';
import { readSourceFile, type SourceRead } from './source-file.js';
import { validateStructure } from './structural.js';
import { checkChildInputs } from './subworkflows.js';
import { parseYaml } from './yaml-doc.js';
import { rangeOf } from './yaml-nodes.js';

export interface LoadResult {
  /** The validated model; null iff any diagnostic is an error. */
  blueprint: Blueprint | null;
  diagnostics: Diagnostic[];
  /** File → text, for code frames; includes sub-workflow files. */
  sources: Map<string, string>;
}

interface Session {
  /** Each file is analysed once; the entry is its (possibly partial) model and its read failure, if any. */
  files: Map<string, { model: Blueprint | null; readFailure?: Diagnostic }>;
  diagnostics: Diagnostic[];
  sources: Map<string, string>;
  cwd: string;
  readEnvFiles: boolean;
}

/** Load and validate the blueprint at `file`; `source` replaces the file's text (run snapshots); `readEnvFiles: false`
 *  leaves `env_file`s unread (for commands that start no task). */
export function loadBlueprint(file: string, options: { source?: string; readEnvFiles?: boolean } = {}): LoadResult {
  const session: Session = { files: new Map(), diagnostics: [], sources: new Map(), cwd: process.cwd(), readEnvFiles: options.readEnvFiles ?? true };
  const absolute = path.resolve(file);
  const entry = analyzeFile(absolute, options.source, session, []);
  if (entry.readFailure) session.diagnostics.push(entry.readFailure);
  const diagnostics = sortDiagnostics(uniqueDiagnostics(session.diagnostics), [...session.files.keys()]);
  return { blueprint: hasErrors(diagnostics) ? null : entry.model, diagnostics, sources: session.sources };
}

function display(file: string, cwd: string): string {
  const relative = path.relative(cwd, file);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}

function analyzeFile(file: string, sourceText: string | undefined, session: Session, stack: string[]): { model: Blueprint | null; readFailure?: Diagnostic } {
  const cached = session.files.get(file);
  if (cached) return cached;
  const entry: { model: Blueprint | null; readFailure?: Diagnostic } = { model: null };
  session.files.set(file, entry);
  const shown = display(file, session.cwd);
  const read: SourceRead = sourceText !== undefined ? { ok: true, text: sourceText } : readSourceFile(file, shown);
  if (!read.ok) {
    if (read.text !== undefined) session.sources.set(file, read.text);
    if (read.diagnostic.range) session.diagnostics.push(read.diagnostic);
    else entry.readFailure = read.diagnostic;
    return entry;
  }
  session.sources.set(file, read.text);
  const parsed = parseYaml(read.text, file, shown);
  session.diagnostics.push(...parsed.diagnostics);
  if (!parsed.doc) return entry;

  const structure = validateStructure(parsed.doc.contents, blueprintSchema.node, parsed.doc, file);
  session.diagnostics.push(...structure.diagnostics);
  const { blueprint, ctx } = convertBlueprint(parsed.doc, file, read.text, structure.invalid, session.diagnostics, session.readEnvFiles);
  entry.model = blueprint;
  ctx.graphs = checkNeeds(ctx);
  checkBlueprintExpressions(ctx);

  for (const { task, node, pathNode } of ctx.workflowTasks) {
    if (task.path === '') continue;
    const childFile = path.resolve(path.dirname(file), task.path);
    const chain = [...stack, file];
    if (chain.includes(childFile)) {
      const cycle = [...chain.slice(chain.indexOf(childFile)), childFile].map((f) => display(f, session.cwd)).join(' → ');
      session.diagnostics.push(errorAt('recursive-workflow', `recursive sub-workflow: ${cycle}`, rangeOf(pathNode, file)));
      continue;
    }
    const child = analyzeFile(childFile, undefined, session, chain);
    if (child.readFailure) {
      const message = `sub-workflow \`${task.path}\`: ${child.readFailure.message}`;
      session.diagnostics.push(errorAt(`workflow-${child.readFailure.code}`, message, rangeOf(pathNode, file)));
      continue;
    }
    if (!child.model) continue;
    task.child = child.model;
    checkChildInputs(ctx, node, pathNode, child.model, task.path);
  }
  return entry;
}

/** One diagnostic per problem: a mistake inside an anchor is met again at each alias that reuses it. */
function uniqueDiagnostics(diagnostics: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = `${d.severity}|${d.code}|${d.range?.file ?? d.file ?? ''}|${d.range?.start ?? ''}|${d.range?.end ?? ''}|${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** By file (in loading order), then position; whole-file problems first. */
function sortDiagnostics(diagnostics: Diagnostic[], fileOrder: string[]): Diagnostic[] {
  const order = (d: Diagnostic) => {
    const file = d.range?.file ?? d.file ?? '';
    const index = fileOrder.indexOf(file);
    return index < 0 ? fileOrder.length : index;
  };
  return diagnostics
    .map((d, i) => ({ d, i }))
    .sort((a, b) => order(a.d) - order(b.d) || (a.d.range?.start ?? -1) - (b.d.range?.start ?? -1) || a.i - b.i)
    .map(({ d }) => d);
}
