// Journal events: every transition of a run, appended to events.jsonl and applied to state by the reducer.
import type { CapturedText, Phase, RunError } from './state.js';
import type { RunStatus, TaskStatus } from './status.js';

interface Base {
  /** 1-based position in the journal. */
  seq: number;
  /** ISO time the event happened. */
  at: string;
}

export type RunEvent = Base &
  (
    | { type: 'run_created'; id: string; workflow: string; inputs: Record<string, unknown> }
    | { type: 'driver_started'; pid: number; host: string }
    | { type: 'driver_stopped'; status: RunStatus; active_ms: number }
    /** An `if`, `for_each`, `switch` or `while` expression was evaluated; the result is kept for good. */
    | {
        type: 'task_evaluated';
        key: string;
        id: string;
        kind: string;
        field: 'condition' | 'items' | 'selected' | 'continue';
        value: unknown;
        /** items: the for_each's `concurrency`, when it is an expression. */
        limit?: number;
      }
    /** `reason`: a task it needs did not succeed (graph lists); absent when its own `if` was false. */
    | { type: 'task_skipped'; key: string; id: string; kind: string; reason?: string }
    /** A control-flow, wait or instant task began. */
    | {
        type: 'task_started';
        key: string;
        id: string;
        kind: string;
        deadline?: string | null;
        /** workflow tasks: the sub-run's inputs. */
        inputs?: Record<string, unknown>;
      }
    | {
        type: 'attempt_started';
        key: string;
        id: string;
        kind: string;
        attempt: number;
        stdout_log: string;
        stderr_log: string;
      }
    /** `worker`: a remote worker runs it, and `pid` is that machine's (--executor bullmq). */
    | { type: 'attempt_spawned'; key: string; attempt: number; pid: number; worker?: { host: string; pid: number } }
    | {
        type: 'attempt_ended';
        key: string;
        attempt: number;
        status: TaskStatus;
        exit_code: number | null;
        signal: string | null;
        error: string | null;
        output: unknown;
        stdout: CapturedText | null;
        stderr: CapturedText | null;
        /** Set when another attempt will follow after this time. */
        retry_at: string | null;
        /** True when this attempt counts against the retry budget. */
        counted: boolean;
      }
    /** A non-command task ended (control flow, wait, set, terminate, an `if` that failed to evaluate). */
    | { type: 'task_ended'; key: string; status: TaskStatus; output: unknown; error: string | null; cause?: string | null }
    /** A control-flow task started canceling its descendants and will end with `status`. */
    | { type: 'task_ending'; key: string; status: TaskStatus; error: string | null; cause?: string | null }
    | { type: 'loop_iteration'; key: string; iteration: number }
    | { type: 'vars_set'; key: string; frame: string; values: Record<string, unknown> }
    /** The main tasks are over (or a terminate ended them); handlers may follow. */
    | {
        type: 'run_outcome';
        /** '' for the run itself, else the key of the `workflow` task whose sub-run this is. */
        frame: string;
        status: RunStatus;
        error: RunError | null;
        outputs: Record<string, unknown> | null;
      }
    | { type: 'phase_changed'; frame: string; phase: Phase }
    | { type: 'run_ended'; status: RunStatus; error: RunError | null }
    /** The driver is alive and every unfinished task waits (`waiting`), or work resumed (`running`). */
    | { type: 'run_status'; status: 'running' | 'waiting' }
    /** A `workflow` task's sub-run failed and is tried again (inside the child) after `retry_at`. */
    | { type: 'subrun_retry'; key: string; attempt: number; retry_at: string }
    /** `baton cancel` asked the run to stop. */
    | { type: 'cancel_requested'; by: string }
    /** A signal was delivered to waiting tasks (their `task_ended` events follow). */
    | { type: 'signal_received'; keys: string[]; name: string | null; data: unknown; failed: boolean; reason: string | null }
    /** retry / rerun: instances set back to not-run (history kept, fresh retry budget), enclosing ones reopened. */
    | {
        type: 'run_reset';
        reason: 'retry' | 'rerun';
        reset: string[];
        reopen: { key: string; iteration: number | null }[];
        frames: string[];
        vars: Record<string, Record<string, unknown>>;
      }
  );

export type RunEventType = RunEvent['type'];

/** An event before the journal numbered it. */
export type NewEvent = RunEvent extends infer E ? (E extends RunEvent ? Omit<E, 'seq' | 'at'> : never) : never;
