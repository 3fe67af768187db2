// Prepares one attempt of a command task: renders its templates into argv, env, cwd and stdin for the executor.
import path from 'node:path';
import type { CommandTaskSpec } from '../../blueprint/model.js';
import { prepareScript, renderText, scriptEnv, type EvalContext } from '../../expr/index.js';
import { resolveShell, type ExecRequest } from '../../executor/index.js';

export interface AttemptFiles {
  stdoutPath: string;
  stderrPath: string;
  outputFile: string;
  scriptPath: string;
}

export interface AttemptEnv {
  /** baton's environment plus the blueprint's rendered `env`. */
  base: Record<string, string>;
  /** BATON_RUN_ID, BATON_TASK_ID, BATON_ATTEMPT, BATON_RUN_DIR, BATON_INVOCATION_DIR. */
  baton: Record<string, string>;
}

/** Renders everything an attempt needs; throws ExpressionError when a template fails. */
export async function prepareAttempt(
  spec: CommandTaskSpec,
  ctx: EvalContext,
  env: AttemptEnv,
  files: AttemptFiles,
  invocationDir: string,
): Promise<Omit<ExecRequest, 'secrets' | 'abort' | 'onSpawn' | 'onOutput'>> {
  // The task's env_file values sit below its `env`, whose expressions see them as `env.NAME`.
  const taskEnv: Record<string, string> = {};
  for (const file of spec.envFiles) Object.assign(taskEnv, file.values);
  if (spec.envFiles.length > 0) ctx = { ...ctx, env: { ...ctx.env, ...taskEnv } };
  for (const [name, value] of Object.entries(spec.env)) taskEnv[name] = await renderText(value, ctx);
  let file: string;
  let args: string[];
  let refsEnv: Record<string, string> = {};
  if (spec.kind === 'run') {
    const prepared = prepareScript(spec.script);
    refsEnv = await scriptEnv(prepared, ctx);
    ({ file, args } = resolveShell(spec.shell, prepared.text, files.scriptPath));
  } else {
    const argv = await Promise.all(spec.argv.map((a) => renderText(a, ctx)));
    [file, ...args] = argv as [string, ...string[]];
  }
  const cwd = spec.cwd === undefined ? invocationDir : path.resolve(invocationDir, await renderText(spec.cwd, ctx));
  const stdin = spec.stdin === undefined ? undefined : await renderText(spec.stdin, ctx);
  return {
    file,
    args,
    env: { ...env.base, ...taskEnv, ...refsEnv, ...env.baton, BATON_OUTPUT: files.outputFile },
    cwd,
    ...(stdin === undefined ? {} : { stdin }),
    stdoutPath: files.stdoutPath,
    stderrPath: files.stderrPath,
    outputMode: spec.output,
    outputFile: files.outputFile,
    ...(spec.timeoutMs === undefined ? {} : { timeoutMs: spec.timeoutMs }),
    killGraceMs: spec.killGraceMs,
  };
}
