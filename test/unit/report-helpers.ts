// Test helpers for the reporter tests: hand-built run states, events and a stream that records writes.
import { newInstance } from '../../src/engine/core/reducer.js';
import type { RunEvent } from '../../src/engine/core/events.js';
import { STATE_SCHEMA, STATE_SCHEMA_VERSION, type Attempt, type RunState, type TaskInstance } from '../../src/engine/core/state.js';

export const T0 = Date.parse('2024-05-01T12:00:00.000Z');
export const at = (secondsAfterT0: number): string => new Date(T0 + secondsAfterT0 * 1000).toISOString();

export function makeState(overrides: Partial<RunState> = {}): RunState {
  return {
    schema: STATE_SCHEMA,
    schema_version: STATE_SCHEMA_VERSION,
    id: 'r1',
    workflow: 'wf',
    status: 'running',
    error: null,
    inputs: {},
    outputs: null,
    vars: {},
    blueprint_file: '/tmp/wf.yaml',
    invocation_dir: '/tmp',
    started_at: at(0),
    ended_at: null,
    phase: 'main',
    outcome: null,
    active_ms: 0,
    seq: 0,
    tasks: {},
    options: { keep_going: false, concurrency: null },
    ...overrides,
  };
}

export function makeTask(key: string, overrides: Partial<TaskInstance> = {}): TaskInstance {
  return { ...newInstance(key, key.split('.').pop()?.replace(/\[\d+\]$/, '') ?? key, 'run'), ...overrides };
}

export function makeAttempt(key: string, n: number, overrides: Partial<Attempt> = {}): Attempt {
  return {
    n,
    status: 'running',
    started_at: at(0),
    ended_at: null,
    exit_code: null,
    signal: null,
    pid: null,
    error: null,
    stdout_log: `logs/${key}.${n}.stdout.log`,
    stderr_log: `logs/${key}.${n}.stderr.log`,
    ...overrides,
  };
}

type Body = RunEvent extends infer E ? (E extends RunEvent ? Omit<E, 'seq' | 'at'> : never) : never;
let seq = 0;
export function ev(secondsAfterT0: number, body: Body): RunEvent {
  seq += 1;
  return { seq, at: at(secondsAfterT0), ...body } as RunEvent;
}

/** A writable that keeps every write, with optional terminal size. */
export class RecordingStream {
  writes: string[] = [];
  rows?: number;
  columns?: number;
  isTTY?: boolean;
  constructor(size?: { rows: number; columns: number }) {
    if (size) Object.assign(this, size, { isTTY: true });
  }
  write(chunk: string | Uint8Array): boolean {
    this.writes.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  }
  get text(): string {
    return this.writes.join('');
  }
  get lines(): string[] {
    const text = this.text;
    return text === '' ? [] : text.replace(/\n$/, '').split('\n');
  }
  asStream(): NodeJS.WritableStream {
    return this as unknown as NodeJS.WritableStream;
  }
}
