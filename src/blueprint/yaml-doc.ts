// Parsing blueprint text into one YAML document: syntax errors, tabs, several documents, non-mappings, alias bombs, duplicate keys.
import { isMap, isSeq, parseAllDocuments, visit, type Document, type Node, type YAMLMap } from 'yaml';
import { errorAt, fileError, type Diagnostic } from './diagnostics.js';
import { aliasExpansionProblem } from './yaml-aliases.js';
import { keyText, rangeOf } from './yaml-nodes.js';

export interface ParsedYaml {
  /** The document, or null when it cannot be analysed further (syntax errors, not a mapping, empty). */
  doc: Document | null;
  diagnostics: Diagnostic[];
}

/** What the file is, for messages: a blueprint, or a `baton test` file. */
export interface YamlKind {
  noun: string;
  needs: string;
  keys: string;
}

const BLUEPRINT: YamlKind = { noun: 'a blueprint', needs: '`name` and `tasks`', keys: '`name: …`, `tasks: …`' };

/** Parse `text` (the contents of `file`) as exactly one YAML mapping. */
export function parseYaml(text: string, file: string, display: string, kind: YamlKind = BLUEPRINT): ParsedYaml {
  const parsed = parseAllDocuments(text, { keepSourceTokens: true, uniqueKeys: false, prettyErrors: false, strict: true });
  const docs = Array.isArray(parsed) ? parsed : [];
  const diagnostics = syntaxDiagnostics(docs, text, file);
  const nonEmpty = docs.filter((d) => d.contents !== null);
  if (nonEmpty.length > 1) {
    const second = nonEmpty[1] as Document;
    const start = second.range?.[0] ?? 0;
    const at = Math.max(0, text.lastIndexOf('---', start + 3));
    diagnostics.push(errorAt('multiple-documents', `\`${display}\` holds several YAML documents: ${kind.noun} is one document (remove the \`---\` separator)`, { file, start: at, end: at + 3 }));
  }
  const doc = nonEmpty[0] ?? docs[0] ?? null;
  if (diagnostics.length > 0) return { doc: null, diagnostics };
  if (!doc || doc.contents === null || isEmptyScalar(doc.contents)) {
    return { doc: null, diagnostics: [fileError('empty-file', `\`${display}\` is empty: ${kind.noun} needs at least ${kind.needs}`, file)] };
  }
  if (!isMap(doc.contents)) {
    const what = isSeq(doc.contents) ? 'a list' : 'a single value';
    const message = `${kind.noun} must be a mapping (${kind.keys}), but \`${display}\` holds ${what}`;
    return { doc: null, diagnostics: [errorAt('not-a-mapping', message, rangeOf(doc.contents, file))] };
  }
  const aliasProblem = aliasExpansionProblem(doc, file);
  if (aliasProblem) return { doc: null, diagnostics: [aliasProblem] };
  diagnostics.push(...duplicateKeys(doc, file));
  return { doc, diagnostics };
}

function isEmptyScalar(node: unknown): boolean {
  return (node as { value?: unknown }).value === null && !isMap(node) && !isSeq(node);
}

/** Every parser error as a diagnostic; tab indentation gets one clear message per line instead. */
function syntaxDiagnostics(docs: Document[], text: string, file: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  const tabLines = new Set<number>();
  const hinted = new Set<number>();
  const errorLines = new Set<number>();
  let cascaded = 0;
  for (const doc of docs) {
    for (const error of doc.errors) {
      const [start, end] = error.pos;
      const line = lineStartOf(text, start);
      if (error.code === 'TAB_AS_INDENT' || hasTabIndent(text, line)) {
        if (tabLines.has(line)) continue;
        tabLines.add(line);
        const tab = text.indexOf('\t', line);
        out.push(errorAt('tab-indent', 'tab character used for indentation: YAML indents with spaces only', { file, start: tab, end: tab + 1 }));
        continue;
      }
      // One error per line: the parser's follow-on complaints about the same line are noise.
      if (errorLines.has(line)) continue;
      errorLines.add(line);
      if (errorLines.size > MAX_SYNTAX_ERRORS) {
        cascaded++;
        continue;
      }
      const lineText = text.slice(line, text.indexOf('\n', line) < 0 ? text.length : text.indexOf('\n', line));
      const hint = hinted.has(line) ? '' : syntaxHint(error.message, lineText);
      hinted.add(line);
      out.push(errorAt('yaml-syntax', `YAML syntax error: ${cleanMessage(error.message)}${hint}`, { file, start, end: Math.max(end, start + 1) }));
    }
  }
  if (cascaded > 0) {
    const last = out[out.length - 1]!;
    last.message += ` (and syntax errors on ${cascaded} more line${cascaded > 1 ? 's' : ''}, likely caused by the ones above)`;
  }
  return out;
}

/** Past this many lines with syntax errors, later ones are counted, not shown: they mostly follow from the first. */
const MAX_SYNTAX_ERRORS = 5;

/** The usual causes of two confusing parser messages, said plainly. */
function syntaxHint(message: string, lineText: string): string {
  // `${{ }}` unquoted inside `[ ]` or `{ }` reads as YAML flow syntax.
  if (/flow/i.test(message) && lineText.includes('${{')) return ' (a `${{ }}` inside `[ ]` or `{ }` must be quoted: "${{ … }}")';
  if (message.includes('Nested mappings are not allowed in compact mappings') && /: .*: /.test(lineText)) return ' (a value that contains `: ` must be quoted)';
  return '';
}

function lineStartOf(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

function hasTabIndent(text: string, lineStart: number): boolean {
  const indent = /^[ \t]*/.exec(text.slice(lineStart))?.[0] ?? '';
  return indent.includes('\t');
}

/** The parser's message without its own "at line x" suffix and code frame. */
function cleanMessage(message: string): string {
  return (message.split('\n')[0] ?? message).replace(/ at line \d+, column \d+:?$/, '');
}

/** Duplicate keys in any mapping, pointing at the repeat with a note at the first one. */
function duplicateKeys(doc: Document, file: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  visit(doc, {
    Map(_, map: YAMLMap) {
      const seen = new Map<string, Node>();
      for (const pair of map.items) {
        const key = keyText(pair.key);
        if (key === null) continue;
        const first = seen.get(key);
        if (first) {
          out.push(errorAt('duplicate-key', `duplicate key \`${key}\``, rangeOf(pair.key as Node, file), [{ message: `\`${key}\` first appears here`, range: rangeOf(first, file) }]));
        } else {
          seen.set(key, pair.key as Node);
        }
      }
    },
  });
  return out;
}
