// `baton __complete <kind> [run]`: the words a completion script offers that only the state folder knows (run ids, task keys, waiting signals).
import { taskInfoFromBlueprint } from '../report/task-info.js';
import { listRuns, resolveStateDir } from '../store/index.js';
import { EXIT, type CommandIO } from './io.js';
import { openRun, runBlueprint } from './open-run.js';

export type WordKind = 'runs' | 'tasks' | 'waiting';

/** One word a line on stdout; never an error: a half-typed command line must not print anything on the terminal. */
export function printCompletionWords(io: CommandIO, kind: WordKind, run: string | undefined, stateDir: string | undefined): number {
  let words: string[] = [];
  try {
    words = completionWords(io, kind, run, stateDir);
  } catch {
    words = [];
  }
  if (words.length > 0) io.stdout.write(`${words.join('\n')}\n`);
  return EXIT.ok;
}

function completionWords(io: CommandIO, kind: WordKind, run: string | undefined, stateDir: string | undefined): string[] {
  if (kind === 'runs') {
    const ids = listRuns(resolveStateDir(stateDir, io.env, io.cwd)).map((r) => r.id);
    return ['last', ...ids.sort().reverse()];
  }
  if (!run) return [];
  const opened = openRun(io, run, stateDir);
  try {
    const tasks = Object.values(opened.state.tasks);
    if (kind === 'tasks') return tasks.map((t) => t.key);
    // What `baton signal` accepts: the key of each signal-waiting task, and the signal names they wait for.
    const waiting = tasks.filter((t) => t.kind === 'wait' && t.status === 'waiting' && t.deadline === null);
    if (waiting.length === 0) return [];
    const info = taskInfoFromBlueprint(runBlueprint(opened).blueprint!);
    const names = waiting.map((t) => info(t.key)?.signal).filter((n): n is string => n !== undefined);
    return [...new Set([...names, ...waiting.map((t) => t.key)])];
  } finally {
    opened.store.close();
  }
}
