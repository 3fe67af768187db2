// Warnings the engine raises, as data: reporters render them (report/warnings.ts), the engine never words them.

/** A process named by pid and command line (masked). */
export interface NamedProcess {
  pid: number;
  command: string;
}

export type EngineWarning =
  /** A value the task set or output held a secret's value, now ***. */
  | { code: 'output_masked'; task: string }
  /** Processes an attempt left outside its process group (setsid), killed. */
  | { code: 'escaped_processes'; task: string; processes: NamedProcess[] }
  /** Processes a completed task left running in its group, being killed at the end of the run. */
  | { code: 'leftover_processes'; task: string; processes: NamedProcess[] }
  /** Processes of a driver that died, ended before the run goes on. */
  | { code: 'orphans_ended'; processes: NamedProcess[] }
  /** An output expression failed in a lenient ending: the output is null. */
  | { code: 'output_null'; frame: string; message: string };
