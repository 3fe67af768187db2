// `baton logs <run> [<task>]`: one task's log, or every task's logs with `[key]` prefixes; --follow streams a live run.
import path from 'node:path';
import type { Blueprint } from '../blueprint/model.js';
import { frameLists, walkTasks } from '../blueprint/visit.js';
import { idOfKey } from '../engine/core/keys.js';
import type { Attempt, RunState, TaskInstance } from '../engine/core/state.js';
import { isTerminal } from '../engine/core/status.js';
import { readLogFile } from '../executor/index.js';
import { createPalette, type Palette } from '../report/format.js';
import { chooseOutputMode } from '../report/mode.js';
import { buildTaskTree, descendants, findNode } from '../report/tree.js';
import { EXIT, UsageError, type CommandIO } from './io.js';
import { LogTailer } from './log-tailer.js';
import { printWarnings, readRunView, type BlueprintCache, type RunView } from './run-view.js';
import { watchRunFolder } from './run-watch.js';

export interface LogsOptions {
  run: string;
  /** An instance key, or a task id that names one instance. */
  task?: string;
  attempt?: number;
  follow: boolean;
  stateDir?: string;
  /** Instead of copying the logs: one JSON document at the end, {run, task, logs: [{key, attempt, stdout, stderr}]}. */
  json?: boolean;
}

const MAX_LISTED = 10;

export async function showLogs(io: CommandIO, o: LogsOptions): Promise<number> {
  if (o.attempt !== undefined && o.task === undefined) throw new UsageError('--attempt needs a <task>', 'baton logs <run> <task> --attempt 2');
  const cache: BlueprintCache = {};
  let view = readRunView(io, o.run, o.stateDir, cache);
  printWarnings(io, view.warnings);
  const palette = createPalette(chooseOutputMode(io.stdout, io.env).color);
  const follow = o.follow && isLive(view);
  // With --follow, a task that has not started yet is waited for.
  let target = o.task === undefined ? null : resolveTaskRef(view, o.task, follow);
  const tailer = new LogTailer(io);
  const picker = new SourcePicker(tailer, palette, io, o.attempt, o.json ? [] : null);
  if (target !== undefined) picker.add(view, target);
  tailer.drain();
  if (!follow) {
    tailer.flush();
    if (target && !picker.found) io.stderr.write(`${target.key} (${target.kind}) wrote no logs\n`);
    printJson(io, view, target ?? null, picker.collected);
    return EXIT.ok;
  }
  const id = view.state.id;
  const watch = watchRunFolder({ dirs: [view.runDir, path.join(view.runDir, 'logs')] });
  try {
    while (!isFollowOver(view, target)) {
      await watch.next();
      view = readRunView(io, id, o.stateDir, cache);
      if (target === undefined) target = resolveTaskRef(view, o.task as string, isLive(view));
      else if (target !== null) target = view.state.tasks[target.key] ?? target;
      if (target !== undefined) picker.add(view, target);
      tailer.drain();
    }
  } finally {
    watch.close();
    tailer.flush();
  }
  printJson(io, view, target ?? null, picker.collected);
  return EXIT.ok;
}

interface Collected {
  key: string;
  attempt: number;
  stream: 'stdout' | 'stderr';
  file: string;
}

/** --json: each picked attempt's logs as they are on disk now (a file not written yet, or never: empty). */
function printJson(io: CommandIO, view: RunView, target: TaskInstance | null, collected: Collected[] | null): void {
  if (collected === null) return;
  const logs = new Map<string, { key: string; attempt: number; stdout: string; stderr: string }>();
  for (const c of collected) {
    const id = `${c.key}#${c.attempt}`;
    const entry = logs.get(id) ?? { key: c.key, attempt: c.attempt, stdout: '', stderr: '' };
    // Never through a link a task may have put in its place (the log tailer reads the same way).
    entry[c.stream] = readLogFile(c.file);
    logs.set(id, entry);
  }
  io.stdout.write(`${JSON.stringify({ run: view.state.id, task: target?.key ?? null, logs: [...logs.values()] }, null, 2)}\n`);
}

function isLive(view: RunView): boolean {
  return view.status === 'running' || view.status === 'waiting';
}

/** Following ends with the run, or earlier when the one followed task is over. */
function isFollowOver(view: RunView, target: TaskInstance | null | undefined): boolean {
  if (!isLive(view)) return true;
  return target !== null && target !== undefined && isTerminal(target.status);
}

/**
 * The instance a `<task>` argument names: an exact instance key, else the only instance of that task id.
 * `undefined` when it has not started yet and `wait` allows waiting for it.
 */
function resolveTaskRef(view: RunView, ref: string, wait: boolean): TaskInstance | undefined {
  const { state } = view;
  const exact = state.tasks[ref];
  if (exact) return exact;
  const matches = Object.values(state.tasks).filter((t) => idOfKey(t.key) === ref);
  if (matches.length === 1) return matches[0];
  if (matches.length > 1) {
    const keys = matches.map((t) => t.key);
    const more = keys.length > MAX_LISTED ? ` and ${keys.length - MAX_LISTED} more` : '';
    throw new UsageError(`"${ref}" matches ${keys.length} task instances: ${keys.slice(0, MAX_LISTED).join(', ')}${more}`, 'name one instance by its key');
  }
  const known = view.blueprint !== null && blueprintHasTask(view.blueprint, idOfKey(ref));
  if (known && wait) return undefined;
  if (known) throw new UsageError(`task "${ref}" has not started in run ${state.id}`, `baton status ${state.id}`);
  throw new UsageError(`no task "${ref}" in run ${state.id}`, `baton status ${state.id} lists its tasks`);
}

function blueprintHasTask(bp: Blueprint, id: string): boolean {
  for (const { spec } of walkTasks(frameLists(bp))) if (spec.id === id) return true;
  return false;
}

/** Decides which attempts' log files the tailer copies, adding new ones as a followed run goes on. */
class SourcePicker {
  /** Whether any log file was picked (a control-flow task may have none). */
  found = false;
  private single: { key: string; attempt: number } | null = null;

  constructor(
    private readonly tailer: LogTailer,
    private readonly palette: Palette,
    private readonly io: CommandIO,
    private readonly attempt: number | undefined,
    /** --json: the picked files are listed here instead of copied. */
    readonly collected: Collected[] | null,
  ) {}

  add(view: RunView, target: TaskInstance | null): void {
    if (target && (target.kind === 'run' || target.kind === 'command')) return this.addSingle(view, target);
    const tasks = target ? this.descendantsOf(view, target) : Object.values(view.state.tasks);
    const attempts = tasks.flatMap((task) => task.history.map((attempt) => ({ task, attempt })));
    attempts.sort((a, b) => a.attempt.started_at.localeCompare(b.attempt.started_at));
    for (const { task, attempt } of attempts) {
      const label = attempt.n > 1 ? `${task.key}#${attempt.n}` : task.key;
      this.addAttempt(view, task.key, attempt, `${this.palette.paint('muted', `[${label}]`)} `);
    }
  }

  /** One command task: its chosen attempt (default the last), and later attempts as they start. */
  private addSingle(view: RunView, task: TaskInstance): void {
    if (this.attempt !== undefined) {
      const chosen = task.history.find((a) => a.n === this.attempt);
      if (!chosen) {
        const have = task.history.map((a) => a.n).join(', ') || 'none yet';
        throw new UsageError(`${task.key} has no attempt ${this.attempt} (attempts: ${have})`);
      }
      return this.addAttempt(view, task.key, chosen);
    }
    const last = task.history[task.history.length - 1];
    if (!last || (this.single && this.single.attempt === last.n)) return;
    if (this.single) this.io.stderr.write(`${this.palette.paint('muted', `── ${task.key} attempt ${last.n} ──`)}\n`);
    this.single = { key: task.key, attempt: last.n };
    this.addAttempt(view, task.key, last);
  }

  private addAttempt(view: RunView, key: string, attempt: Attempt, prefix?: string): void {
    this.found = true;
    for (const stream of ['stdout', 'stderr'] as const) {
      const file = path.resolve(view.runDir, stream === 'stdout' ? attempt.stdout_log : attempt.stderr_log);
      if (this.collected) this.collected.push({ key, attempt: attempt.n, stream, file });
      else this.tailer.add(prefix === undefined ? { file, stream } : { file, stream, prefix });
    }
  }

  private descendantsOf(view: RunView, task: TaskInstance): TaskInstance[] {
    const node = findNode(buildTaskTree(view.state as RunState, view.blueprint), task.key);
    return node ? descendants(node) : [];
  }
}
