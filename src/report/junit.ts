// A run's state as a JUnit report: one suite per run and per sub-run, one testcase per command-task instance.
import os from 'node:os';
import path from 'node:path';
import type { Blueprint } from '../blueprint/model.js';
import { frameOfKey } from '../engine/core/keys.js';
import { frameBlueprint } from '../engine/core/specs.js';
import type { RunState, TaskInstance } from '../engine/core/state.js';
import { maskText } from '../executor/index.js';
import { readTail } from '../executor/logs.js';
import { renderJUnit, type JUnitTestCase, type JUnitTestSuite } from './junit-xml.js';
import { lastLines } from './log-tail.js';

export interface RunJUnitOptions {
  /** The run's folder, where its task logs are. */
  runDir: string;
  /** To name sub-runs' suites after their workflows; the workflow task's id stands in without it. */
  blueprint?: Blueprint;
  /** Secret values, masked again in everything taken from logs (logs are masked when written; this is a second guard). */
  secrets?: string[];
  /** Lines of the log in a failure's body. */
  failureLines?: number;
}

const COMMAND_KINDS = new Set(['command', 'run']);

/** The JUnit XML text for a run as it stands (finished, failed, timed out or interrupted). */
export function runJUnitXml(state: RunState, o: RunJUnitOptions): string {
  const frames = ['', ...Object.values(state.tasks).filter((t) => t.frame !== undefined).map((t) => t.key)];
  const suites = frames.map((frame) => frameSuite(state, frame, o));
  return renderJUnit({ name: `baton run ${state.id}`, suites });
}

function frameSuite(state: RunState, frame: string, o: RunJUnitOptions): JUnitTestSuite {
  const workflow = frame === '' ? state.workflow : subWorkflowName(frame, o.blueprint);
  const owner = frame === '' ? null : state.tasks[frame];
  const tasks = Object.values(state.tasks).filter((t) => COMMAND_KINDS.has(t.kind) && frameOfKey(t.key) === frame);
  const startedAt = owner ? owner.started_at : state.started_at;
  const endedAt = owner ? owner.ended_at : state.ended_at;
  const ms = startedAt && endedAt ? Date.parse(endedAt) - Date.parse(startedAt) : sum(tasks.map((t) => t.duration_ms ?? 0));
  const status = owner ? owner.status : state.status;
  return {
    name: frame === '' ? `${state.workflow} (${state.id})` : `${state.workflow} (${state.id}) / ${frame}`,
    hostname: os.hostname(),
    time: Math.max(0, ms) / 1000,
    ...(startedAt ? { timestamp: startedAt } : {}),
    properties: { run: state.id, workflow, status, ...(frame === '' ? { blueprint: state.blueprint_file } : { task: frame }) },
    testcases: tasks.map((t) => testcase(t, workflow, state, o)),
  };
}

function testcase(task: TaskInstance, workflow: string, state: RunState, o: RunJUnitOptions): JUnitTestCase {
  const secrets = o.secrets ?? [];
  const attempt = task.history[task.history.length - 1];
  const stdout = attempt ? readLog(o.runDir, attempt.stdout_log, secrets) : task.stdout?.text ?? '';
  const stderr = attempt ? readLog(o.runDir, attempt.stderr_log, secrets) : task.stderr?.text ?? '';
  const base: JUnitTestCase = {
    name: task.key,
    classname: workflow,
    time: (task.duration_ms ?? 0) / 1000,
    ...(stdout !== '' ? { systemOut: stdout } : {}),
    ...(stderr !== '' ? { systemErr: stderr } : {}),
  };
  const reason = maskText(verdictMessage(task, state), secrets);
  switch (task.status) {
    case 'completed':
      return base;
    case 'failed':
    case 'timed_out': {
      const tail = lastLines(stderr !== '' ? stderr : stdout, o.failureLines ?? 20).join('\n');
      return { ...base, failure: { message: reason, type: task.status, text: tail } };
    }
    case 'skipped':
      return { ...base, skipped: task.condition === false ? { message: 'its `if` was false' } : {} };
    case 'canceled':
      return { ...base, skipped: { message: reason } };
    default:
      // running, waiting, pending: the run stopped (interrupted) before this task had a verdict.
      return { ...base, error: { message: `not finished: the run is ${state.status}`, type: 'interrupted' } };
  }
}

/** `exit code 2: <error>`, or the error or status alone. */
function verdictMessage(task: TaskInstance, state: RunState): string {
  const parts: string[] = [];
  if (task.exit_code !== null && !(task.error ?? '').includes(`exit code ${task.exit_code}`)) parts.push(`exit code ${task.exit_code}`);
  if (task.error) parts.push(task.error);
  if (parts.length === 0) parts.push(task.status === 'canceled' && state.error ? `canceled (${state.error.message})` : task.status);
  return parts.join(': ');
}

function subWorkflowName(frame: string, blueprint: Blueprint | undefined): string {
  if (blueprint) {
    try {
      return frameBlueprint(blueprint, frame).name;
    } catch {
      // a key from another blueprint version (--reload): fall through
    }
  }
  return frame;
}

function readLog(runDir: string, file: string, secrets: string[]): string {
  try {
    return readTail(path.resolve(runDir, file), secrets).text;
  } catch {
    return '';
  }
}

const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
