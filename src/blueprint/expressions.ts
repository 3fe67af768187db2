// Checking every `${{ }}` in a blueprint: syntax, task references in scope, and `run:` script pitfalls.
import { isMap, isScalar, isSeq, YAMLMap, type Node, type Scalar } from 'yaml';
import { checkExpression, envReferences, rootNames, scriptExpressions, splitTemplate, taskReferences, unwrapExpression } from '../expr/index.js';
import { shellValueProblem } from './shell-values.js';
import { isPosixShell, POSIX_SHELLS, shellProgram } from './shells.js';
import { errorAt, warningAt } from './diagnostics.js';
import type { ConvertContext, TaskSite } from './convert-context.js';
import { referenceProblem, type Viewpoint } from './scope.js';
import { offsetMapper } from './scalar-offsets.js';
import { entries, getNode, keyText, resolveNode } from './yaml-nodes.js';

/** Task keys holding task lists: their tasks are checked as tasks of their own. */
const TASK_LIST_KEYS = new Set(['parallel', 'do', 'cases', 'default']);
/** Keys whose string is one expression, `${{ x }}` or bare `x`. */
const BARE_EXPRESSION_KEYS = new Set(['if', 'switch', 'for_each']);

/** Check the expressions of the whole blueprint (the document in `ctx`). */
export function checkBlueprintExpressions(ctx: ConvertContext): void {
  const root = ctx.doc.contents as YAMLMap;
  for (const { key, pair } of entries(root)) {
    if (key === null || ['tasks', 'on_failure', 'finally'].includes(key)) continue;
    const view: Viewpoint = key === 'outputs' ? { kind: 'outputs' } : { kind: 'static', what: `\`${key}\`` };
    walkTemplates(ctx, pair.value as Node, view);
  }
  const secrets = secretNames(ctx, root);
  for (const site of ctx.sites) checkTask(ctx, site, secrets);
}

/** Names listed under the blueprint's `secrets:`. */
function secretNames(ctx: ConvertContext, root: YAMLMap): Set<string> {
  const node = getNode(root, 'secrets', ctx.doc);
  const names = new Set<string>();
  if (!isSeq(node)) return names;
  for (const item of node.items) {
    const name = resolveNode(item, ctx.doc);
    if (isStringScalar(name)) names.add(name.value);
  }
  return names;
}

/** A secret rendered into `command:` is in the process's argv, which every local user can read (ps, /proc/<pid>/cmdline). */
function checkSecretsInArgv(ctx: ConvertContext, raw: unknown, secrets: Set<string>): void {
  if (secrets.size === 0) return;
  const node = resolveNode(raw, ctx.doc);
  if (isSeq(node)) {
    for (const item of node.items) checkSecretsInArgv(ctx, item, secrets);
    return;
  }
  if (!isStringScalar(node) || !node.value.includes('${{')) return;
  const map = offsetMapper(node, ctx.source);
  for (const part of splitTemplate(node.value).parts) {
    if (part.kind !== 'expr') continue;
    for (const ref of envReferences(part.source)) {
      if (!secrets.has(ref.id)) continue;
      const message = `the secret \`${ref.id}\` is passed in \`command:\` arguments, which any local user can read (ps, /proc/<pid>/cmdline): pass it through \`env:\` instead`;
      ctx.diagnostics.push(warningAt('secret-in-command', message, span(ctx, map, part.sourceStart + ref.offset, ref.id.length)));
    }
  }
}

function checkTask(ctx: ConvertContext, site: TaskSite, secrets: Set<string>): void {
  const view: Viewpoint = { kind: 'task', id: site.id, path: site.path };
  for (const { key, pair } of entries(site.node)) {
    if (key === null || TASK_LIST_KEYS.has(key)) continue;
    const node = resolveNode(pair.value, ctx.doc);
    if (BARE_EXPRESSION_KEYS.has(key) && isStringScalar(node)) {
      checkBare(ctx, node, view);
    } else if (key === 'loop' && isMap(node)) {
      for (const inner of node.items) {
        const innerKey = keyText(inner.key);
        const innerNode = resolveNode(inner.value, ctx.doc);
        if (innerKey === 'do') continue;
        if (innerKey === 'while' && isStringScalar(innerNode)) checkBare(ctx, innerNode, { kind: 'while', id: site.id, path: site.path });
        else walkTemplates(ctx, innerNode, view);
      }
    } else if (key === 'command') {
      walkTemplates(ctx, node, view);
      checkSecretsInArgv(ctx, node, secrets);
    } else if (key === 'run' && isStringScalar(node)) {
      walkTemplates(ctx, node, view);
      checkScript(ctx, site, node);
    } else {
      walkTemplates(ctx, node, view);
    }
  }
}

function isStringScalar(node: unknown): node is Scalar<string> {
  return isScalar(node) && typeof node.value === 'string';
}

/** Every string under `node` that holds `${{ }}`. */
function walkTemplates(ctx: ConvertContext, raw: unknown, view: Viewpoint): void {
  const node = resolveNode(raw, ctx.doc);
  if (isStringScalar(node)) {
    if (node.value.includes('${{')) checkTemplate(ctx, node, view);
  } else if (isMap(node)) {
    for (const pair of node.items) walkTemplates(ctx, pair.value, view);
  } else if (isSeq(node)) {
    for (const item of node.items) walkTemplates(ctx, item, view);
  }
}

function checkTemplate(ctx: ConvertContext, node: Scalar<string>, view: Viewpoint): void {
  const map = offsetMapper(node, ctx.source);
  const { parts, error } = splitTemplate(node.value);
  if (error) ctx.diagnostics.push(errorAt('expression-syntax', error.message, span(ctx, map, error.offset, 3)));
  for (const part of parts) if (part.kind === 'expr') checkSource(ctx, part.source, part.sourceStart, map, view);
}

function checkBare(ctx: ConvertContext, node: Scalar<string>, view: Viewpoint): void {
  const map = offsetMapper(node, ctx.source);
  const { source, offset } = unwrapExpression(node.value);
  checkSource(ctx, source, offset, map, view);
}

function checkSource(ctx: ConvertContext, source: string, offset: number, map: (o: number) => number, view: Viewpoint): void {
  for (const problem of checkExpression(source)) {
    const range = span(ctx, map, offset + problem.offset, problem.length);
    ctx.diagnostics.push(problem.severity === 'error' ? errorAt('expression-syntax', problem.message, range) : warningAt('expression-lint', problem.message, range));
  }
  for (const ref of taskReferences(source)) {
    const problem = referenceProblem(ref.id, view, ctx.ids, ctx.graphs);
    if (problem === null) continue;
    const target = ctx.ids.get(ref.id);
    const related = target ? [{ message: `\`${ref.id}\` is defined here`, range: target.idRange }] : undefined;
    const code = target ? 'reference-out-of-scope' : 'unknown-task';
    ctx.diagnostics.push(errorAt(code, problem, span(ctx, map, offset + ref.offset, ref.id.length), related));
  }
  const bodies = enclosingBodies(ctx, view);
  for (const { name, offset: at } of rootNames(source, BODY_NAMES)) {
    const needs = name === 'iteration' ? 'loop' : 'for_each';
    if (bodies.has(needs)) continue;
    const message = `\`${name}\` is only defined inside the body of a \`${needs}\` task${name === 'iteration' ? ' (and its `while`)' : ''}`;
    ctx.diagnostics.push(errorAt('name-out-of-scope', message, span(ctx, map, offset + at, name.length)));
  }
  checkGraphNames(ctx, source, offset, map, view);
}

const BODY_NAMES = ['item', 'index', 'iteration'] as const;
const EMPTY = new YAMLMap();

/** `matrix` exists only inside a `matrix:` body, `needs` only in a task that has `needs:`. */
function checkGraphNames(ctx: ConvertContext, source: string, offset: number, map: (o: number) => number, view: Viewpoint): void {
  const path = view.kind === 'task' || view.kind === 'while' ? view.path : [];
  const own = view.kind === 'task' ? ctx.ids.get(view.id) : undefined;
  for (const { name, offset: at } of rootNames(source, ['matrix', 'needs'])) {
    const inMatrix = path.some((s) => s.container === 'body' && s.owner !== null && getNode(ctx.ids.get(s.owner)?.node ?? EMPTY, 'matrix', ctx.doc) !== undefined);
    const hasNeeds = own !== undefined && getNode(own.node, 'needs', ctx.doc) !== undefined;
    if (name === 'matrix' ? inMatrix : hasNeeds) continue;
    const message = name === 'matrix' ? '`matrix` is only defined inside the body of a `matrix:` task' : '`needs` is only defined in a task that has `needs:` (it reads the tasks named there)';
    ctx.diagnostics.push(errorAt('name-out-of-scope', message, span(ctx, map, offset + at, name.length)));
  }
}

/** Kinds of the for_each / loop bodies an expression is evaluated in. */
function enclosingBodies(ctx: ConvertContext, view: Viewpoint): Set<string> {
  const kinds = new Set<string>();
  if (view.kind === 'while') kinds.add('loop');
  if (view.kind !== 'task' && view.kind !== 'while') return kinds;
  for (const segment of view.path) {
    if (segment.container !== 'body' || !segment.owner) continue;
    const kind = ctx.ids.get(segment.owner)?.kind;
    if (kind) kinds.add(kind);
  }
  return kinds;
}

/** `${{ }}` in a script needs a POSIX shell (values pass as env vars); inside single quotes it never expands. */
function checkScript(ctx: ConvertContext, site: TaskSite, node: Scalar<string>): void {
  const script = node.value;
  const { parts } = splitTemplate(script);
  const exprs = parts.filter((p) => p.kind === 'expr');
  if (exprs.length === 0) return;
  const map = offsetMapper(node, ctx.source);
  const shell = shellOf(ctx, site.node);
  const program = shell === undefined ? undefined : shellProgram(shell);
  if (program !== undefined && !isPosixShell(program)) {
    for (const part of exprs) {
      const message = `\`\${{ }}\` in \`run:\` needs a POSIX shell (${POSIX_SHELLS.join(', ')}), not \`${shell}\`: pass the value through \`env:\` instead`;
      ctx.diagnostics.push(errorAt('expression-in-foreign-shell', message, span(ctx, map, part.start, part.end - part.start)));
    }
    return;
  }
  for (const site of scriptExpressions(script)) {
    const range = span(ctx, map, site.offset, site.length);
    if (site.context === 'inert') {
      const message = '`${{ }}` inside single quotes is not expanded by the shell: use double quotes';
      ctx.diagnostics.push(warningAt('expression-in-single-quotes', message, range));
      continue;
    }
    const problem = shellValueProblem(ctx, site);
    if (problem) ctx.diagnostics.push(errorAt('expression-as-shell-code', problem, range));
  }
}

function shellOf(ctx: ConvertContext, task: YAMLMap): string | undefined {
  const own = getNode(task, 'shell', ctx.doc);
  if (isStringScalar(own)) return own.value;
  return ctx.defaults.shell;
}

function span(ctx: ConvertContext, map: (o: number) => number, offset: number, length: number) {
  const start = map(offset);
  const end = length > 0 ? map(offset + length - 1) + 1 : start + 1;
  return { file: ctx.file, start, end: end > start ? end : start + Math.max(1, length) };
}
