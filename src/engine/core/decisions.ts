// What the decider asks the driver to do; the driver turns each into journal events (and processes).
import type { TaskSpec } from '../../blueprint/model.js';
import type { Phase, RunError } from './state.js';
import type { RunStatus, TaskStatus } from './status.js';

/** Where a task instance sits: its key prefix, the frame (run '' or sub-run key) and the body bindings. */
export interface Scope {
  prefix: string;
  frame: string;
  /** A task of a graph list: the ids it needs (what `needs.<id>` reads). */
  needs?: readonly string[];
}

export type Decision =
  /** Evaluate an `if`, `for_each` items, `switch` value or loop `while`, and record the result. */
  | { type: 'evaluate'; key: string; spec: TaskSpec; field: 'condition' | 'items' | 'selected' | 'continue'; scope: Scope }
  /** `reason`: skipped because a task it needs did not succeed (not by its own `if`). */
  | { type: 'skip'; key: string; spec: TaskSpec; scope: Scope; reason?: string }
  /** Start a task: a new attempt of a command task, or the beginning of any other kind. `reattach`: take up again
   *  the attempt on record as running that a driver which died left to its executor (same attempt number). */
  | { type: 'start'; key: string; spec: TaskSpec; scope: Scope; reattach?: true }
  /** `cause`: the instance whose failure this one passes on (run.error.task names it). */
  | { type: 'end'; key: string; status: TaskStatus; output: unknown; error: string | null; cause?: string | null }
  /** A control-flow task starts canceling its descendants; it ends with `status` once they stopped. */
  | { type: 'ending'; key: string; status: TaskStatus; error: string | null; cause?: string | null }
  /** Kill the running attempt of a command task (fail_fast, timeout of an enclosing task, run ending). */
  | { type: 'cancel'; key: string }
  /** The frame's main tasks completed: evaluate its outputs and record the outcome; or it is ending otherwise and
   *  its outputs are evaluated for the record only (an expression that fails gives null). */
  | { type: 'outputs'; frame: string }
  | { type: 'outcome'; frame: string; status: RunStatus; error: RunError | null }
  | { type: 'phase'; frame: string; phase: Phase }
  /** The frame is over: the run ends, or the workflow task of a sub-run ends. */
  | { type: 'finish'; frame: string; status: RunStatus; error: RunError | null };

export interface Decisions {
  decisions: Decision[];
  /** Earliest time (ms) something becomes due (a retry delay, a wait, a timeout), or null. */
  wakeAt: number | null;
  /** Earliest timeout deadline (ms): an expression still evaluating then is stopped so the timeout can act. */
  timeoutAt: number | null;
}
