// Reporters: render journal events for people (live TTY view or plain lines) and the JSON summary for machines.
import type { RunEvent } from '../engine/core/events.js';
import type { RunState } from '../engine/core/state.js';
import { RUN_STATUS } from '../engine/core/status.js';
import type { EventSink } from '../engine/ports.js';
import { summaryFooter, summaryTable, errorText } from './final-summary.js';
import { createPalette, formatClock, parseTime, type Palette } from './format.js';
import { LineBuffer } from './line-buffer.js';
import { LiveView, type Spinner } from './live-view.js';
import { summarize } from './summary.js';
import { taskEventLines, type Line, type LineContext } from './task-lines.js';
import type { TaskInfoLookup } from './task-info.js';
import { warningText } from './warnings.js';

export { chooseOutputMode } from './mode.js';
export { taskInfoFromBlueprint, type TaskInfoLookup } from './task-info.js';

/** The engine's event sink (events, live output, warnings as data), plus what the app says and the closing summary. */
export interface Reporter extends EventSink {
  /** A message from the app itself (notes before the run, errors), already in words. */
  message(level: 'error' | 'warning' | 'info', text: string): void;
  /** The run is over for this driver (finished, interrupted or failed to continue). JSON mode prints the summary here. */
  close(state: RunState): void;
}

export interface ReporterOptions {
  /** tty: live view; plain: lines (no redraws). */
  mode: 'tty' | 'plain';
  /** --json: exactly one JSON document (summarize(state)) on `stdout` at close; everything else to `stderr`. */
  json: boolean;
  /** Only errors (and the JSON document if json). */
  quiet: boolean;
  /** Task output lines with a `[key]` prefix to stderr. */
  verbose: boolean;
  color: boolean;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** To read a failed task's log tail (state has stderr tail too). */
  runDir: string;
  /** For tests. */
  now?: () => number;
  /** Spinner frames for the live view (see loadSpinner). */
  spinner?: Spinner;
  /** Retry budgets and signal names from the blueprint (see taskInfoFromBlueprint); lines are less precise without. */
  taskInfo?: TaskInfoLookup;
}

const LEVEL_TONE = { error: 'failure', warning: 'warning', info: 'plain' } as const;

export function createReporter(options: ReporterOptions): Reporter {
  const now = options.now ?? Date.now;
  const palette = createPalette(options.color);
  const lineContext: LineContext = { runDir: options.runDir, taskInfo: options.taskInfo };
  // Quiet shows no live block at all: only errors, as plain lines.
  const live = options.mode === 'tty' && !options.quiet ? new LiveView({ stream: options.stderr, palette, now, ...(options.spinner ? { spinner: options.spinner } : {}) }) : null;
  const verboseLines = new LineBuffer();
  let announced = false;
  let closed = false;

  /** Plain lines carry the time of what they report; live lines appear as it happens. */
  const emit = (lines: string[], atMs: number): void => {
    if (lines.length === 0) return;
    if (live) return live.print(lines);
    const clock = formatClock(atMs);
    options.stderr.write(lines.map((l) => (l.startsWith(' ') ? `${l}\n` : `${clock} ${l}\n`)).join(''));
  };

  /** The first line of a run: started, resumed, retried or rerun. */
  const announce = (state: RunState, verb: string, atMs: number): void => {
    announced = true;
    emit(renderLine({ symbol: '●', tone: 'active', text: `run ${state.id} (${state.workflow}) ${verb}` }, palette), atMs);
  };
  let pendingAnnounce: { state: RunState; atMs: number } | null = null;
  const flushAnnounce = (verb: string): void => {
    if (pendingAnnounce === null) return;
    const { state, atMs } = pendingAnnounce;
    pendingAnnounce = null;
    announce(state, verb, atMs);
  };

  const trackLive = (e: RunEvent, state: RunState): void => {
    if (!live) return;
    if (e.type === 'attempt_started') live.setActive(e.key, parseTime(e.at, now()));
    else if (e.type === 'task_started' && e.kind !== 'set' && e.kind !== 'terminate') {
      const line = taskEventLines(e, state, lineContext)[0];
      const waiting = e.kind === 'wait';
      live.setActive(e.key, parseTime(e.at, now()), waiting && line ? line.text : '', waiting);
    } else if (e.type === 'attempt_ended' || e.type === 'task_ended' || e.type === 'task_skipped') live.remove(e.key);
  };

  const reporter: Reporter = {
    event(e, state) {
      if (closed) return;
      trackLive(e, state);
      if (options.quiet) return;
      if (e.type === 'run_created') announce(state, 'started', parseTime(e.at, now()));
      else if (e.type === 'driver_started' && !announced) {
        // resume, retry or rerun: the event after this one tells (retry and rerun record a run_reset first).
        pendingAnnounce = { state, atMs: parseTime(e.at, now()) };
        return;
      } else if (e.type === 'run_reset') flushAnnounce(`${e.reason === 'retry' ? 'retried' : 'rerun'} (${e.reset.length} task${e.reset.length === 1 ? '' : 's'} reset)`);
      flushAnnounce('resumed');
      const lines = taskEventLines(e, state, lineContext).filter((l) => !(live && l.transient));
      emit(lines.flatMap((l) => renderLine(l, palette)), parseTime(e.at, now()));
    },

    output(key, stream, text) {
      if (closed || !options.verbose) return;
      const lines = verboseLines.push(key, stream, text).map((l) => `${palette.paint('muted', `[${l.key}]`)} ${l.line}`);
      if (lines.length === 0) return;
      if (live) live.print(lines);
      else options.stderr.write(lines.map((l) => `${l}\n`).join(''));
    },

    warning(w) {
      reporter.message('warning', warningText(w));
    },

    message(level, text) {
      if (closed || (options.quiet && level !== 'error')) return;
      if (!options.quiet) flushAnnounce('resumed');
      const line = level === 'info' ? text : `${palette.paint(LEVEL_TONE[level], `${level}:`)} ${text}`;
      if (live) live.print([line]);
      else options.stderr.write(`${line}\n`);
    },

    close(state) {
      if (closed) return;
      if (!options.quiet) flushAnnounce('resumed');
      closed = true;
      const finalLines = options.verbose
        ? verboseLines.flush().map((l) => `${palette.paint('muted', `[${l.key}]`)} ${l.line}`)
        : [];
      finalLines.push(...closingLines(state, options, palette, now()));
      if (live) live.stop(finalLines);
      else if (finalLines.length > 0) options.stderr.write(finalLines.map((l) => `${l}\n`).join(''));
      if (options.json) options.stdout.write(`${JSON.stringify(summarize(state), null, 2)}\n`);
    },
  };
  return reporter;
}

function closingLines(state: RunState, options: ReporterOptions, palette: Palette, nowMs: number): string[] {
  if (options.quiet) {
    // A run that ended in failure says so even when quiet; everything else stays silent.
    if (RUN_STATUS[state.status].exitCode !== 1) return [];
    const why = errorText(state);
    return [`${palette.paint('failure', 'error:')} run ${state.id} ${state.status}${why ? `: ${why}` : ''}`];
  }
  const table = options.mode === 'tty' ? [...summaryTable(state, palette), ''] : [];
  const footer = summaryFooter(state, nowMs, palette, options.taskInfo);
  if (options.mode === 'plain' && footer[0] !== undefined) footer[0] = `${formatClock(nowMs)} ${footer[0]}`;
  return [...(options.mode === 'tty' ? [''] : []), ...table, ...footer];
}

function renderLine(line: Line, palette: Palette): string[] {
  const head = `${palette.paint(line.tone, line.symbol)} ${line.key ? `${line.key} ` : ''}${line.text}`;
  return [head, ...(line.detail ?? []).map((d) => `    ${palette.paint('muted', d)}`)];
}

/** ora's spinner, loaded only for a live view: ora and what it pulls in cost ~14 MB that plain runs need not carry. */
export async function loadSpinner(): Promise<Spinner> {
  const { spinners } = await import('ora');
  return spinners.dots;
}
