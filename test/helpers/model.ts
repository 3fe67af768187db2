// Builds blueprint models and run states by hand, for decider and reducer tables that need no YAML and no processes.
import { NO_RETRY, type Blueprint, type RetryPolicy, type TaskSpec } from '../../src/blueprint/model.js';
import { STATE_SCHEMA, STATE_SCHEMA_VERSION, type RunState, type TaskInstance } from '../../src/engine/core/state.js';
import { newInstance } from '../../src/engine/core/reducer.js';

const range = { file: 'test.yaml', start: 0, end: 0 };

export function run(id: string, extra: Partial<TaskSpec> & { retry?: RetryPolicy } = {}): TaskSpec {
  return { kind: 'run', id, script: 'true', env: {}, output: 'file', killGraceMs: 5000, retry: NO_RETRY, optional: false, range, kindRange: range, ...extra } as TaskSpec;
}

export function task<T extends TaskSpec['kind']>(kind: T, id: string, fields: Record<string, unknown>): TaskSpec {
  return { kind, id, optional: false, range, kindRange: range, ...fields } as TaskSpec;
}

export function blueprint(tasks: TaskSpec[], extra: Partial<Blueprint> = {}): Blueprint {
  return { file: '/tmp/test.yaml', source: '', name: 'test', version: 1, inputs: {}, env: {}, secrets: [], tasks, outputs: {}, onFailure: [], finally: [], ...extra };
}

export function state(tasks: Record<string, Partial<TaskInstance>> = {}, extra: Partial<RunState> = {}): RunState {
  const all: Record<string, TaskInstance> = {};
  for (const [key, fields] of Object.entries(tasks)) {
    all[key] = { ...newInstance(key, fields.id ?? key.slice(key.lastIndexOf('.') + 1), fields.kind ?? 'run'), ...fields };
  }
  return {
    schema: STATE_SCHEMA, schema_version: STATE_SCHEMA_VERSION, id: 'r1', workflow: 'test', status: 'running', error: null,
    inputs: {}, outputs: null, vars: {}, blueprint_file: '/tmp/test.yaml', invocation_dir: '/tmp', started_at: '2026-01-01T00:00:00.000Z',
    ended_at: null, phase: 'main', outcome: null, active_ms: 0, seq: 0, tasks: all, options: { keep_going: false, concurrency: null }, ...extra,
  };
}

export const done = (extra: Partial<TaskInstance> = {}): Partial<TaskInstance> => ({ status: 'completed', attempts: 1, ...extra });
export const failed = (extra: Partial<TaskInstance> = {}): Partial<TaskInstance> => ({ status: 'failed', attempts: 1, error: 'exit code 1', ...extra });
export const running = (extra: Partial<TaskInstance> = {}): Partial<TaskInstance> => ({ status: 'running', attempts: 1, started_at: '2026-01-01T00:00:00.000Z', ...extra });
