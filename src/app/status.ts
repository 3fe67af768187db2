// `baton status [<run>]`: the run's task tree (or the JSON summary), once or refreshed until the run ends.
import { RUN_STATUS } from '../engine/core/status.js';
import { createPalette, formatClock, type Palette } from '../report/format.js';
import { chooseOutputMode } from '../report/mode.js';
import { statusViewLines } from '../report/status-view.js';
import { summarize } from '../report/summary.js';
import { STATUS_LOOK } from '../report/status-look.js';
import { buildTaskTree } from '../report/tree.js';
import { EXIT, type CommandIO } from './io.js';
import { printWarnings, readRunView, type BlueprintCache, type RunView } from './run-view.js';
import { watchRunFolder } from './run-watch.js';
import { TerminalFrame } from './terminal-frame.js';

export interface StatusOptions {
  /** A run id, unique part of one, or `last` (the default). */
  run?: string;
  json: boolean;
  watch: boolean;
  exitStatus: boolean;
  stateDir?: string;
}

/** How long an `interrupted` reading is re-checked before --watch believes it (a driver may be taking the lock). */
const INTERRUPTED_RECHECK_MS = 500;

export async function showStatus(io: CommandIO, o: StatusOptions): Promise<number> {
  const cache: BlueprintCache = {};
  let view = readRunView(io, o.run ?? 'last', o.stateDir, cache);
  printWarnings(io, view.warnings);
  if (o.watch && !isOver(view)) view = await watchUntilOver(io, o, view, cache);
  else if (!o.json) io.stdout.write(render(view, paletteFor(io)).join('\n') + '\n');
  if (o.json) io.stdout.write(`${JSON.stringify({ ...summarize(view.state), status: view.status }, null, 2)}\n`);
  return o.exitStatus ? RUN_STATUS[view.status].exitCode : EXIT.ok;
}

function isOver(view: RunView): boolean {
  return RUN_STATUS[view.status].terminal || view.status === 'interrupted';
}

function paletteFor(io: CommandIO): Palette {
  return createPalette(chooseOutputMode(io.stdout, io.env).color);
}

function render(view: RunView, palette: Palette): string[] {
  const tree = buildTaskTree(view.state, view.blueprint);
  return statusViewLines({ ...view, tree, nowMs: Date.now(), palette });
}

/** Re-reads the run at each change of its folder; TTY: redraws in place; plain: one line per task change; JSON: silent. */
async function watchUntilOver(io: CommandIO, o: StatusOptions, first: RunView, cache: BlueprintCache): Promise<RunView> {
  const palette = paletteFor(io);
  const tty = !o.json && chooseOutputMode(io.stdout, io.env).mode === 'tty';
  const frame = tty ? new TerminalFrame(io.stdout) : null;
  // Follow this run even if `last` comes to mean a newer one meanwhile.
  const id = first.state.id;
  const watch = watchRunFolder({ dirs: [first.runDir] });
  let view = first;
  try {
    if (frame) frame.draw(render(view, palette));
    else if (!o.json) io.stdout.write(render(view, palette).join('\n') + '\n');
    for (;;) {
      await watch.next();
      const previous = view;
      view = readRunView(io, id, o.stateDir, cache);
      if (view.status === 'interrupted' && !isOver(previous)) {
        await new Promise((r) => setTimeout(r, INTERRUPTED_RECHECK_MS));
        view = readRunView(io, id, o.stateDir, cache);
      }
      if (frame) frame.draw(render(view, palette));
      else if (!o.json) io.stdout.write(changeLines(previous, view, palette).map((l) => `${l}\n`).join(''));
      if (isOver(view)) break;
    }
    if (!frame && !o.json) io.stdout.write(['', ...render(view, palette)].join('\n') + '\n');
    return view;
  } finally {
    watch.close();
    frame?.end();
  }
}

/** Plain --watch: what changed since the last reading, one timed line per task (and the run). */
function changeLines(before: RunView, after: RunView, palette: Palette): string[] {
  const clock = formatClock(Date.now());
  const lines: string[] = [];
  for (const task of Object.values(after.state.tasks)) {
    const old = before.state.tasks[task.key];
    if (old && old.status === task.status && old.attempts === task.attempts) continue;
    const look = STATUS_LOOK[task.status];
    const attempt = task.attempts > 1 ? ` (attempt ${task.attempts})` : '';
    lines.push(`${clock} ${palette.paint(look.tone, look.symbol)} ${task.key} ${task.status}${attempt}`);
  }
  if (before.status !== after.status) lines.push(`${clock} run ${after.state.id} ${after.status}`);
  return lines;
}
