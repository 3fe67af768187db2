// `run --dry-run`: what would run, in blueprint order, with commands rendered where they can be; nothing runs or is recorded.
import type { Blueprint, TaskSpec } from '../blueprint/model.js';
import { childLists } from '../blueprint/visit.js';
import { evaluateExpression, rootNames, splitTemplate, toText, type EvalContext } from '../expr/index.js';
import { maskText } from '../executor/index.js';
import { EXIT, type CommandIO } from './io.js';

/** Names whose values exist only once tasks ran: expressions reading them are shown as written. */
const RUN_TIME_NAMES = ['tasks', 'vars', 'item', 'index', 'iteration'] as const;

export async function printDryRun(
  io: CommandIO,
  bp: Blueprint,
  inputs: Record<string, unknown>,
  env: Record<string, string>,
  secrets: string[],
  only: readonly string[],
  json = false,
): Promise<number> {
  const ctx: EvalContext = {
    inputs,
    env: { ...env },
    vars: {},
    tasks: {},
    run: { id: '(dry run)', name: bp.name, dir: '', invocation_dir: io.cwd, started_at: new Date().toISOString(), status: 'running', error: null },
  };
  for (const [name, value] of Object.entries(bp.env)) ctx.env[name] = await render(String(value), ctx);
  const lines: string[] = [`dry run of ${bp.name}: nothing runs and no run is recorded; \`\${{ … }}\` left as written needs other tasks' results`];
  const main = only.length === 0 ? bp.tasks : bp.tasks.filter((t) => only.includes(t.id));
  await describeList(main, 1, ctx, lines);
  for (const [label, list] of [['on_failure (if the run fails)', bp.onFailure], ['finally (at the end)', bp.finally]] as const) {
    if (list.length === 0) continue;
    lines.push(label);
    await describeList(list, 1, ctx, lines);
  }
  const text = maskText(lines.join('\n'), secrets);
  // --json: still exactly one JSON document on stdout.
  io.stdout.write(json ? `${JSON.stringify({ dry_run: true, workflow: bp.name, lines: text.split('\n') }, null, 2)}\n` : `${text}\n`);
  return EXIT.ok;
}

async function describeList(tasks: TaskSpec[], depth: number, ctx: EvalContext, lines: string[]): Promise<void> {
  for (const spec of tasks) await describeTask(spec, depth, ctx, lines);
}

async function describeTask(spec: TaskSpec, depth: number, ctx: EvalContext, lines: string[]): Promise<void> {
  const pad = '  '.repeat(depth);
  const cond = spec.if === undefined ? '' : ` (if ${typeof spec.if === 'boolean' ? spec.if : `\${{ ${spec.if} }}`})`;
  switch (spec.kind) {
    case 'run': {
      const env = await taskEnv(spec, ctx);
      lines.push(`${pad}${spec.id}${cond}: run${spec.shell ? ` (${spec.shell})` : ''}`);
      for (const line of (await render(spec.script, env)).replace(/\n$/, '').split('\n')) lines.push(`${pad}  | ${line}`);
      return;
    }
    case 'command': {
      const env = await taskEnv(spec, ctx);
      const argv = await Promise.all(spec.argv.map((a) => render(String(a), env)));
      lines.push(`${pad}${spec.id}${cond}: command ${JSON.stringify(argv)}`);
      return;
    }
    case 'workflow':
      lines.push(`${pad}${spec.id}${cond}: workflow ${spec.path}`);
      return;
    case 'wait':
      lines.push(`${pad}${spec.id}${cond}: wait ${spec.signal !== undefined ? `for signal ${spec.signal}` : `${spec.durationMs}ms`}`);
      return;
    default: {
      lines.push(`${pad}${spec.id}${cond}: ${spec.kind}`);
      for (const list of childLists(spec)) {
        const label = list.role === 'body' ? null : list.role === 'branch' ? `branch ${list.label}` : list.role === 'case' ? `case ${list.label}` : list.label;
        if (label !== null) lines.push(`${pad}  ${label}:`);
        await describeList(list.tasks, depth + (label === null ? 1 : 2), ctx, lines);
      }
    }
  }
}

/** The context a task's command renders with: the task's env_file values and `env` over the run's. */
async function taskEnv(spec: TaskSpec & { kind: 'run' | 'command' }, ctx: EvalContext): Promise<EvalContext> {
  const env = { ...ctx.env };
  for (const file of spec.envFiles) Object.assign(env, file.values);
  const inner = { ...ctx, env };
  for (const [name, value] of Object.entries(spec.env)) env[name] = await render(String(value), inner);
  return inner;
}

/** Each `${{ }}` replaced by its value when it needs no task's result; otherwise (or on error) kept as written. */
async function render(text: string, ctx: EvalContext): Promise<string> {
  const { parts, error } = splitTemplate(text);
  if (error) return text;
  let out = '';
  for (const part of parts) {
    if (part.kind === 'text') out += part.text;
    else if (rootNames(part.source, RUN_TIME_NAMES).length > 0) out += text.slice(part.start, part.end);
    else {
      try {
        out += toText(await evaluateExpression(part.source, ctx));
      } catch {
        out += text.slice(part.start, part.end);
      }
    }
  }
  return out;
}
