// Request and outcome of one attempt of a command task: the executor's contract with the engine.

export type OutputMode = 'file' | 'json' | 'text' | 'lines';

export interface ExecRequest {
  /** Program and arguments, no shell involved (for `run:` see resolveShell). */
  file: string;
  args: string[];
  /** The COMPLETE environment; process.env is not merged again. */
  env: Record<string, string>;
  cwd: string;
  /** Text fed to stdin; otherwise stdin is /dev/null. */
  stdin?: string;
  /**
   * Log files of this attempt, each created (parent dirs too) on its first byte: an attempt that writes nothing has
   * none. Whatever is at these paths (and at outputFile) before it starts is removed; a symbolic link fails it.
   */
  stdoutPath: string;
  stderrPath: string;
  outputMode: OutputMode;
  /** The $BATON_OUTPUT file (already in env as BATON_OUTPUT): the task creates it if it writes; its folder exists. */
  outputFile: string;
  timeoutMs?: number;
  killGraceMs: number;
  /** Values replaced by *** in logs, tails and output. */
  secrets: string[];
  /**
   * abort('cancel') kills the group at once; abort('interrupt') and abort('stop') SIGTERM it, SIGKILL after
   * killGraceMs (the attempt ends `canceled`, with error `interrupted` / `canceled`).
   */
  abort?: AbortSignal;
  /** Which attempt this is: a remote executor names its job after it and routes it to `pool`'s queue. */
  job?: AttemptIdentity;
  /** Called as soon as the pid is known; `worker` is set when the process runs on a remote worker (pid is its pid there). */
  onSpawn?(pid: number, worker?: WorkerIdentity): void;
  /** Live (masked) output, e.g. for --verbose. */
  onOutput?(stream: 'stdout' | 'stderr', text: string): void;
}

export interface AttemptIdentity {
  runId: string;
  key: string;
  attempt: number;
  /** The worker pool (absent: `default`). */
  pool?: string;
  /** Taken up again after the decider that dispatched it died: its job may exist already, its logs so far are kept. */
  reattach?: boolean;
}

/** The remote worker that ran an attempt. */
export interface WorkerIdentity {
  host: string;
  pid: number;
}

export interface CapturedTail {
  text: string;
  truncated: boolean;
}

export type ExecStatus = 'completed' | 'failed' | 'timed_out' | 'canceled';

export interface ExecOutcome {
  status: ExecStatus;
  exitCode: number | null;
  signal: string | null;
  pid: number | null;
  /** Parsed per outputMode; null when none. */
  output: unknown;
  /** Last 64 KiB of each log, masked. */
  stdout: CapturedTail;
  stderr: CapturedTail;
  /** Why it failed, one clear line; null when completed. */
  error: string | null;
  durationMs: number;
  /** The output held a secret's value, now *** (the engine warns). */
  outputMasked?: boolean;
  /** Lost with its worker (stalled, or handed back on shutdown): runs again as a new attempt, outside the retry budget. */
  interrupted?: boolean;
  /** Set when a remote worker ran it; `pid` above is then null (it is no process of this machine). */
  worker?: WorkerIdentity;
}
