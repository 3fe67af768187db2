// One table answers every "is this done / did it succeed / may it retry" question about a status.

export type TaskStatus =
  | 'pending'
  | 'running'
  | 'waiting'
  | 'completed'
  | 'failed'
  | 'timed_out'
  | 'canceled'
  | 'skipped';

export type RunStatus = 'running' | 'waiting' | 'completed' | 'failed' | 'timed_out' | 'canceled' | 'interrupted';

interface StatusFlags {
  terminal: boolean;
  /** Lets the list it is in go on. */
  successful: boolean;
  /** `baton retry` re-runs tasks that ended so. */
  retriable: boolean;
}

export const TASK_STATUS: Record<TaskStatus, StatusFlags> = {
  pending: { terminal: false, successful: false, retriable: false },
  running: { terminal: false, successful: false, retriable: false },
  waiting: { terminal: false, successful: false, retriable: false },
  completed: { terminal: true, successful: true, retriable: false },
  skipped: { terminal: true, successful: true, retriable: false },
  failed: { terminal: true, successful: false, retriable: true },
  timed_out: { terminal: true, successful: false, retriable: true },
  canceled: { terminal: true, successful: false, retriable: true },
};

export const RUN_STATUS: Record<RunStatus, { terminal: boolean; exitCode: number }> = {
  running: { terminal: false, exitCode: 3 },
  waiting: { terminal: false, exitCode: 3 },
  interrupted: { terminal: false, exitCode: 3 },
  completed: { terminal: true, exitCode: 0 },
  failed: { terminal: true, exitCode: 1 },
  timed_out: { terminal: true, exitCode: 1 },
  canceled: { terminal: true, exitCode: 1 },
};

export const isTerminal = (s: TaskStatus): boolean => TASK_STATUS[s].terminal;
export const isSuccessful = (s: TaskStatus): boolean => TASK_STATUS[s].successful;
