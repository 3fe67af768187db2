// Compares a finished in-memory run with a test's expectations: each difference becomes one failure, with both values.
import { isDeepStrictEqual } from 'node:util';
import type { TestCase } from '../../blueprint/test-file.js';
import { idOfKey } from '../../engine/core/keys.js';
import type { TaskInstance } from '../../engine/core/state.js';
import type { InMemoryRun } from '../drive-in-memory.js';

export interface Failure {
  /** What was compared: `status`, `ran`, `tasks.build.attempts`, `outputs.version`, … */
  what: string;
  expected: unknown;
  actual: unknown;
  /** Instead of a comparison: something went wrong (a task without a mock). */
  message?: string;
}

/** Kinds whose own tasks are listed in `ran` instead of them. */
const CONTAINERS = new Set(['parallel', 'for_each', 'switch', 'loop', 'workflow']);

/** The leaf tasks that started, in the order they first started. */
export function ranOrder(run: InMemoryRun): string[] {
  const seen = new Set<string>();
  for (const e of run.events) {
    if ((e.type === 'task_started' || e.type === 'attempt_started') && !CONTAINERS.has(e.kind)) seen.add(e.key);
  }
  return [...seen];
}

export function checkRun(c: TestCase, run: InMemoryRun): Failure[] {
  const failures: Failure[] = [];
  const compare = (what: string, expected: unknown, actual: unknown): void => {
    if (!isDeepStrictEqual(expected, actual)) failures.push({ what, expected, actual });
  };
  const x = c.expect;
  if (x.status) compare('status', x.status.value, run.status);
  if (x.error) compare('error', x.error.value, run.state.error?.message ?? null);
  if (x.ran) compare('ran', x.ran.value, ranOrder(run));
  for (const t of x.tasks) {
    const found = instances(run, t.name);
    if (found.length !== 1) {
      const what = found.length === 0 ? 'no instance of it started or was skipped' : `it has ${found.length} instances: name one (${found.map((i) => i.key).join(', ')})`;
      failures.push({ what: `tasks.${t.name}`, expected: t.status ?? 'an instance', actual: null, message: what });
      continue;
    }
    const inst = found[0]!;
    if (t.status !== undefined) compare(`tasks.${t.name}.status`, t.status, inst.status);
    if (t.attempts !== undefined) compare(`tasks.${t.name}.attempts`, t.attempts, inst.attempts);
    if (t.output !== undefined) compare(`tasks.${t.name}.output`, t.output.value, inst.output);
    if (t.error !== undefined) compare(`tasks.${t.name}.error`, t.error, inst.error);
  }
  for (const [name, value] of Object.entries(x.outputs?.value ?? {})) compare(`outputs.${name}`, value, run.state.outputs?.[name] ?? null);
  for (const [name, value] of Object.entries(x.vars?.value ?? {})) compare(`vars.${name}`, value, run.state.vars[name] ?? null);
  return failures;
}

/** By instance key, else every instance of the task id. */
function instances(run: InMemoryRun, name: string): TaskInstance[] {
  const exact = run.state.tasks[name];
  if (exact) return [exact];
  return Object.values(run.state.tasks).filter((t) => idOfKey(t.key) === name);
}
