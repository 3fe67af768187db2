// The reducer: applies one journal event to the run state. Deterministic and free of I/O and clocks, so replaying
// the journal always rebuilds the same state. It updates the state in place: copying 10,000 instances per event
// would make recording a transition cost grow with the run.
import type { RunEvent } from './events.js';
import { getFrame, idOfKey } from './keys.js';
import type { Attempt, RunState, TaskInstance } from './state.js';

export function newInstance(key: string, id: string, kind: string): TaskInstance {
  return {
    key,
    id,
    kind,
    status: 'pending',
    attempts: 0,
    history: [],
    output: null,
    stdout: null,
    stderr: null,
    exit_code: null,
    started_at: null,
    ended_at: null,
    duration_ms: null,
    error: null,
    budget_used: 0,
    retry_at: null,
    condition: null,
    items: null,
    selected: null,
    iteration: null,
    deadline: null,
    ending: null,
  };
}

function instance(state: RunState, key: string, kind?: string, id?: string): TaskInstance {
  let inst = state.tasks[key];
  if (!inst) {
    inst = newInstance(key, id ?? idOfKey(key), kind ?? 'unknown');
    state.tasks[key] = inst;
  }
  return inst;
}

function lastAttempt(inst: TaskInstance, n: number): Attempt {
  const attempt = inst.history.find((a) => a.n === n);
  if (!attempt) throw new Error(`internal: ${inst.key} has no attempt ${n}`);
  return attempt;
}

function finish(inst: TaskInstance, at: string): void {
  inst.ended_at = at;
  inst.duration_ms = inst.started_at ? Date.parse(at) - Date.parse(inst.started_at) : 0;
}

export function applyEvent(state: RunState, e: RunEvent): RunState {
  state.seq = e.seq;
  switch (e.type) {
    case 'run_created':
      // The initial snapshot holds the run as created; the event marks where its journal begins.
      break;
    case 'driver_started':
      state.status = 'running';
      break;
    case 'driver_stopped':
      state.active_ms = e.active_ms;
      state.status = e.status;
      break;
    case 'task_evaluated': {
      const inst = instance(state, e.key, e.kind, e.id);
      if (e.field === 'condition') inst.condition = Boolean(e.value);
      else if (e.field === 'items') {
        inst.items = e.value as unknown[];
        if (e.limit !== undefined) inst.limit = e.limit;
      }
      else if (e.field === 'selected') inst.selected = String(e.value);
      break;
    }
    case 'task_skipped': {
      const inst = instance(state, e.key, e.kind, e.id);
      inst.status = 'skipped';
      if (e.reason !== undefined) inst.error = e.reason;
      break;
    }
    case 'task_started': {
      const inst = instance(state, e.key, e.kind, e.id);
      inst.status = e.kind === 'wait' ? 'waiting' : 'running';
      inst.started_at = e.at;
      inst.ended_at = null;
      inst.duration_ms = null;
      inst.deadline = e.deadline ?? null;
      if (e.kind === 'loop') inst.iteration = 0;
      if (e.kind === 'workflow') {
        inst.attempts = Math.max(inst.attempts, 1);
        inst.frame = { phase: 'main', outcome: null, error: null, inputs: e.inputs ?? {}, outputs: null, vars: {} };
      }
      break;
    }
    case 'attempt_started': {
      const inst = instance(state, e.key, e.kind, e.id);
      inst.status = 'running';
      inst.attempts = e.attempt;
      inst.retry_at = null;
      if (inst.started_at === null || inst.history.length === 0) inst.started_at = e.at;
      inst.ended_at = null;
      inst.history.push({
        n: e.attempt,
        status: 'running',
        started_at: e.at,
        ended_at: null,
        exit_code: null,
        signal: null,
        pid: null,
        error: null,
        stdout_log: e.stdout_log,
        stderr_log: e.stderr_log,
      });
      break;
    }
    case 'attempt_spawned': {
      const attempt = lastAttempt(instance(state, e.key), e.attempt);
      attempt.pid = e.pid;
      if (e.worker) attempt.worker = { host: e.worker.host, pid: e.worker.pid };
      break;
    }
    case 'attempt_ended': {
      const inst = instance(state, e.key);
      const attempt = lastAttempt(inst, e.attempt);
      Object.assign(attempt, { status: e.status, ended_at: e.at, exit_code: e.exit_code, signal: e.signal, error: e.error });
      inst.exit_code = e.exit_code;
      inst.error = e.error;
      inst.stdout = e.stdout;
      inst.stderr = e.stderr;
      // A failed or timed-out attempt keeps what it reported (Conductor keeps a failed task's output); its status says so.
      inst.output = e.status === 'canceled' ? null : (e.output ?? null);
      if (e.counted) inst.budget_used += 1;
      inst.retry_at = e.retry_at;
      // Between attempts the task is pending again: not finished, not holding a process.
      inst.status = e.retry_at ? 'pending' : e.status;
      finish(inst, e.at);
      break;
    }
    case 'task_ending': {
      const inst = instance(state, e.key);
      inst.ending = e.status;
      inst.error = e.error;
      if (e.cause) inst.cause = e.cause;
      break;
    }
    case 'task_ended': {
      const inst = instance(state, e.key);
      if (e.cause) inst.cause = e.cause;
      inst.status = e.status;
      inst.output = e.output;
      inst.error = e.error;
      inst.ending = null;
      inst.retry_at = null;
      // The workflow task ended: its sub-run is over too (state.json shows `phase: done`, as for the run).
      if (inst.frame) inst.frame.phase = 'done';
      finish(inst, e.at);
      break;
    }
    case 'loop_iteration':
      instance(state, e.key).iteration = e.iteration;
      break;
    case 'vars_set': {
      const frame = getFrame(state, e.frame);
      frame.vars = { ...frame.vars, ...e.values };
      break;
    }
    case 'run_outcome': {
      const frame = getFrame(state, e.frame);
      frame.outcome = e.status;
      frame.error = e.error;
      if (e.outputs) frame.outputs = e.outputs;
      break;
    }
    case 'phase_changed':
      getFrame(state, e.frame).phase = e.phase;
      break;
    case 'run_ended':
      state.status = e.status;
      state.error = e.error;
      state.phase = 'done';
      state.ended_at = e.at;
      break;
    case 'run_status':
      state.status = e.status;
      break;
    case 'subrun_retry': {
      const inst = instance(state, e.key);
      inst.attempts = e.attempt;
      inst.budget_used += 1;
      inst.retry_at = e.retry_at;
      break;
    }
    case 'cancel_requested':
    case 'signal_received':
      break;
    case 'run_reset':
      applyReset(state, e);
      break;
  }
  return state;
}

function applyReset(state: RunState, e: RunEvent & { type: 'run_reset' }): void {
  for (const key of e.reset) {
    const inst = state.tasks[key];
    if (!inst) continue;
    // Not run again yet: attempt numbers go on, the retry budget starts afresh.
    state.tasks[key] = { ...newInstance(key, inst.id, inst.kind), attempts: inst.attempts, history: inst.history };
  }
  for (const { key, iteration } of e.reopen) {
    const inst = state.tasks[key];
    if (!inst) continue;
    Object.assign(inst, { status: 'running', ending: null, ended_at: null, duration_ms: null, error: null, output: null });
    if (iteration !== null) inst.iteration = iteration;
  }
  for (const frameKey of e.frames) {
    const frame = getFrame(state, frameKey);
    Object.assign(frame, { phase: 'main', outcome: null, error: null, outputs: null, vars: e.vars[frameKey] ?? {} });
    // A fresh run-timeout budget, as Conductor gives on retry/restart: the old one may be spent already.
    if (frameKey === '') Object.assign(state, { status: 'running', ended_at: null, active_ms: 0 });
  }
}
