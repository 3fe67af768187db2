// Runs one test case: the blueprint on the real decider and driver, its tasks answered by the test's mocks.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Blueprint } from '../../blueprint/model.js';
import type { TaskMock, TestCase } from '../../blueprint/test-file.js';
import { idOfKey } from '../../engine/core/keys.js';
import { localExecutor } from '../../executor/index.js';
import type { MockPlan } from '../../executor/mock.js';
import { driveInMemory } from '../drive-in-memory.js';
import { checkRun, ranOrder, type Failure } from './check.js';

export interface CaseResult {
  name: string;
  passed: boolean;
  failures: Failure[];
  /** How the run ended, and what started, to read beside the failures. */
  status: string | null;
  ran: string[];
  error: string | null;
  /** Wall time of the case (the virtual time it covered is `virtualMs`). */
  ms: number;
  virtualMs: number;
}

let folders = 0;

export async function runCase(bp: Blueprint, c: TestCase, cwd: string): Promise<CaseResult> {
  const started = performance.now();
  const unmocked = new Set<string>();
  const plan: MockPlan = (key, attempt) => {
    const mock: TaskMock | undefined = c.mocks.get(key) ?? c.mocks.get(idOfKey(key));
    if (!mock) {
      unmocked.add(key);
      return { unmocked: `no mock for task ${key} in test "${c.name}"` };
    }
    if (mock.real) return 'real';
    return mock.attempts[Math.min(attempt, mock.attempts.length) - 1] ?? {};
  };
  // Real attempts write their logs here; nothing is created unless one runs.
  const dir = path.join(os.tmpdir(), `baton-test-${process.pid}-${++folders}`);
  try {
    const run = await driveInMemory(bp, {
      plan,
      inputs: c.inputs,
      keepGoing: c.keepGoing,
      ...(c.concurrency === undefined ? {} : { concurrency: c.concurrency }),
      signals: c.signals.map((s) => ({ task: s.task, afterMs: s.afterMs, data: s.data, failed: s.failed, ...(s.reason === null ? {} : { reason: s.reason }) })),
      ...(c.cancelAfterMs === undefined ? {} : { cancelAfterMs: c.cancelAfterMs }),
      real: localExecutor.execute,
      dir,
      invocationDir: cwd,
      runId: 'test',
    });
    const failures: Failure[] = [...unmocked].map((key) => ({
      what: `mocks.${idOfKey(key)}`, expected: 'a mock', actual: null,
      message: `task ${key} ran without a mock: add one under \`mocks:\`, or \`${idOfKey(key)}: { run: real }\` to run it for real`,
    }));
    for (const s of run.undelivered) {
      failures.push({ what: 'signals', expected: `${s.task} waiting`, actual: null, message: `the signal for ${s.task} (after ${s.afterMs} ms) was never taken: no task of that name waited after it arrived` });
    }
    failures.push(...checkRun(c, run));
    return {
      name: c.name, passed: failures.length === 0, failures, status: run.status, ran: ranOrder(run), error: run.state.error?.message ?? null,
      ms: performance.now() - started, virtualMs: run.elapsedMs,
    };
  } catch (err) {
    // Inputs the blueprint refuses, a run concurrency that does not evaluate: the case cannot run.
    const message = (err as Error).message;
    return { name: c.name, passed: false, failures: [{ what: 'run', expected: 'a run', actual: null, message }], status: null, ran: [], error: message, ms: performance.now() - started, virtualMs: 0 };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
