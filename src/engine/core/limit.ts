// A `concurrency` given as an expression (run or for_each): its value checked, and the run's evaluated at start.
import type { Blueprint } from '../../blueprint/model.js';
import { evaluateExpression, renderText, type EvalContext } from '../../expr/index.js';

/** The value as a concurrency limit, or why it is not one. Digit strings count (`${{ env.JOBS }}` is text). */
export function concurrencyLimit(value: unknown): number | string {
  const n = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
  if (typeof n === 'number' && Number.isSafeInteger(n) && n >= 1) return n;
  const shown = value === undefined ? 'nothing' : JSON.stringify(value);
  return `expected an integer ≥ 1, got ${shown.length > 60 ? `${shown.slice(0, 59)}…` : shown}`;
}

/** The run's `concurrency` expression, evaluated with its inputs and env before the run is created. */
export async function evaluateRunConcurrency(
  bp: Blueprint & { concurrency: string },
  inputs: Record<string, unknown>,
  run: { id: string; dir: string; invocationDir: string },
  baseEnv: Record<string, string | undefined> = process.env,
): Promise<number | string> {
  const env: Record<string, string | undefined> = { ...baseEnv };
  for (const file of bp.envFiles) Object.assign(env, file.values);
  const ctx: EvalContext = {
    inputs,
    env,
    vars: {},
    tasks: {},
    run: { id: run.id, name: bp.name, dir: run.dir, invocation_dir: run.invocationDir, started_at: new Date().toISOString(), status: 'running', error: null },
  };
  try {
    for (const [name, value] of Object.entries(bp.env)) env[name] = await renderText(value, ctx);
    return concurrencyLimit(await evaluateExpression(bp.concurrency, ctx));
  } catch (err) {
    return (err as Error).message;
  }
}
