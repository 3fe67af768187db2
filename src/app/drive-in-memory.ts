// Drives a run wholly in memory: the real decider and driver, a mock executor, an in-memory journal and inbox, and a
// virtual clock that moves only when the driver has nothing to do but wait. No `.baton/` folder, no lock, no process.
import os from 'node:os';
import path from 'node:path';
import { resolveInputs } from '../blueprint/inputs.js';
import type { Blueprint } from '../blueprint/model.js';
import { Driver } from '../engine/driver/driver.js';
import type { RunEvent } from '../engine/core/events.js';
import { idOfKey } from '../engine/core/keys.js';
import { evaluateRunConcurrency } from '../engine/core/limit.js';
import type { RunState } from '../engine/core/state.js';
import type { RunStatus } from '../engine/core/status.js';
import type { EngineWarning } from '../engine/core/warnings.js';
import type { ExecOutcome, ExecRequest } from '../executor/index.js';
import { mockExecutor, type MockCall, type MockPlan } from '../executor/mock.js';
import { VirtualClock } from '../executor/virtual-clock.js';
import { MemoryInbox, MemoryJournal } from '../store/memory-journal.js';
import { initialState } from './start-run.js';

/** A signal request (`baton signal`) after `afterMs` of virtual time, for the instances of `task` waiting then or later. */
export interface ScheduledSignal {
  task: string;
  afterMs: number;
  data?: unknown;
  failed?: boolean;
  reason?: string;
}

export interface InMemoryOptions {
  plan: MockPlan;
  /** As given (`-i name=value` parsed): defaults and types are applied here; an invalid one throws. */
  inputs?: Record<string, unknown>;
  signals?: ScheduledSignal[];
  /** `baton cancel` after this much virtual time. */
  cancelAfterMs?: number;
  /** SIGINT to the driver (Ctrl-C) after this much virtual time. */
  interruptAfterMs?: number;
  keepGoing?: boolean;
  /** Most command tasks at once: the blueprint's number, else this, else no limit (the machine's cores would make tests vary). */
  concurrency?: number;
  /** Runs the attempts the plan answers `'real'` for (their logs go under `dir`). */
  real?: (request: ExecRequest) => Promise<ExecOutcome>;
  /** The run folder named to tasks (BATON_RUN_DIR); nothing is created there unless a real attempt writes logs. */
  dir?: string;
  invocationDir?: string;
  clock?: VirtualClock;
  runId?: string;
}

export interface InMemoryRun {
  /** How the run ended; when it could only wait forever (a signal that never comes), its status then (`waiting`). */
  status: RunStatus;
  state: RunState;
  events: RunEvent[];
  calls: MockCall[];
  warnings: EngineWarning[];
  /** Signals no instance of their task ever took: it never waited after they arrived, or the run ended before. */
  undelivered: ScheduledSignal[];
  /** The run could not go on: nothing was running and no timer or request was due. */
  stuck: boolean;
  /** Virtual time from start to end. */
  elapsedMs: number;
}

/** A turn of the event loop: promise chains the last timer started run to their next wait. */
const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export async function driveInMemory(bp: Blueprint, o: InMemoryOptions): Promise<InMemoryRun> {
  const clock = o.clock ?? new VirtualClock();
  const start = clock.now();
  const id = o.runId ?? 'test';
  const dir = o.dir ?? path.join(os.tmpdir(), 'baton-in-memory', id);
  const journal = new MemoryJournal<RunEvent>(dir);
  const inbox = new MemoryInbox();
  let realRunning: Promise<unknown>[] = [];
  const real = o.real;
  const runReal = real && ((request: ExecRequest): Promise<ExecOutcome> => {
    const p = real(request);
    realRunning.push(p);
    void p.finally(() => (realRunning = realRunning.filter((r) => r !== p)));
    return p;
  });
  const executor = mockExecutor(o.plan, clock, runReal);
  const warnings: EngineWarning[] = [];
  const resolved = resolveInputs(bp, o.inputs ?? {});
  const bad = resolved.diagnostics.filter((d) => d.severity === 'error');
  if (bad.length > 0) throw new Error(bad.map((d) => d.message).join('; '));
  const inputs = resolved.inputs;
  const bpConcurrency = typeof bp.concurrency === 'string'
    ? await evaluateRunConcurrency({ ...bp, concurrency: bp.concurrency }, inputs, { id, dir, invocationDir: o.invocationDir ?? process.cwd() })
    : bp.concurrency;
  if (typeof bpConcurrency === 'string') throw new Error(`\`concurrency: \${{ ${bp.concurrency} }}\`: ${bpConcurrency}`);
  const state = initialState(id, bp.name, bp.file, o.invocationDir ?? process.cwd(), inputs, o.keepGoing ?? false, bpConcurrency ?? null, new Date(start));
  const sink = { event: (): void => {}, output: (): void => {}, warning: (w: EngineWarning): void => void warnings.push(w) };
  const driver = new Driver(bp, state, { executor, journal, inbox, sink, clock }, {
    keepGoing: o.keepGoing ?? false,
    concurrency: bpConcurrency ?? o.concurrency ?? Number.MAX_SAFE_INTEGER,
    verbose: false,
  });
  // A signal arrives at `afterMs`; if its task does not wait yet, it is handed over as soon as the task waits.
  const arrived: ScheduledSignal[] = [];
  const deliver = (): void => {
    for (const s of [...arrived]) {
      const keys = Object.values(state.tasks).filter((t) => t.status === 'waiting' && (t.key === s.task || idOfKey(t.key) === s.task)).map((t) => t.key);
      if (keys.length === 0) continue;
      arrived.splice(arrived.indexOf(s), 1);
      inbox.send({ type: 'signal', keys, name: s.task, data: s.data ?? null, failed: s.failed ?? false, reason: s.reason ?? null });
    }
  };
  sink.event = () => {
    if (arrived.length > 0) deliver();
  };
  const coming = new Set(o.signals ?? []);
  for (const s of coming) {
    clock.setTimer(() => {
      coming.delete(s);
      arrived.push(s);
      deliver();
    }, s.afterMs);
  }
  if (o.cancelAfterMs !== undefined) clock.setTimer(() => inbox.send({ type: 'cancel', by: 'a test' }), o.cancelAfterMs);
  if (o.interruptAfterMs !== undefined) clock.setTimer(() => driver.interrupt('SIGINT'), o.interruptAfterMs);

  let finished = false;
  const driven = driver.drive().finally(() => (finished = true));
  driven.catch(() => {}); // awaited below; a rejection before then is not unhandled
  let stuck = false;
  let stuckStatus: RunStatus | null = null;
  while (!finished) {
    await turn();
    if (finished) break;
    if (realRunning.length > 0) {
      await Promise.race(realRunning).catch(() => {});
      continue;
    }
    if (clock.advance()) continue;
    await turn(); // nothing due: one more turn to be sure the driver is asleep, not between two awaits
    if (finished || clock.pending > 0 || realRunning.length > 0) continue;
    if (!stuck) {
      stuck = true;
      stuckStatus = state.status;
      driver.interrupt('SIGTERM');
    }
  }
  const status = await driven;
  return {
    status: stuckStatus ?? status,
    state,
    events: journal.events,
    calls: executor.calls,
    warnings,
    undelivered: [...arrived, ...coming],
    stuck,
    elapsedMs: clock.now() - start,
  };
}
