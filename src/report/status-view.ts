// `baton status` for people: a header about the run, then its task tree with status, attempts, duration, exit code and failure details.
import type { Blueprint } from '../blueprint/model.js';
import type { RunState, TaskInstance } from '../engine/core/state.js';
import { RUN_STATUS, type RunStatus, type TaskStatus } from '../engine/core/status.js';
import type { LockInfo } from '../store/index.js';
import { errorText, outputLines, statusCounts } from './final-summary.js';
import { firstLine, formatClock, formatDuration, formatMoment, parseTime, type Palette, type Tone } from './format.js';
import { taskLogTail } from './log-tail.js';
import { logsStep, signalSteps } from './next-steps.js';
import { taskInfoFromBlueprint } from './task-info.js';
import { STATUS_LOOK, statusTone } from './status-look.js';
import type { TreeNode } from './tree.js';

export interface StatusViewInput {
  state: RunState;
  /** What the run is now (a run whose driver is gone is `interrupted`). */
  status: RunStatus;
  holder: LockInfo | null;
  tree: TreeNode[];
  /** To read failed tasks' log tails. */
  runDir: string;
  nowMs: number;
  palette: Palette;
  /** The run's blueprint, for the signal names its waiting tasks wait for. */
  blueprint?: Blueprint | null;
}

const TAIL_LINES = 10;
const MAX_LABEL_WIDTH = 60;
type Column = { text: string; tone: Tone };

interface Row {
  /** Guide, symbol and key: coloured text and its width on screen. */
  label: string;
  labelWidth: number;
  columns: Column[] | null;
  details: string[];
}

export function statusViewLines(input: StatusViewInput): string[] {
  const rows: Row[] = [];
  collectRows(input, input.tree, '', true, rows);
  const labelWidth = Math.min(MAX_LABEL_WIDTH, Math.max(4, ...rows.map((r) => r.labelWidth)));
  const { palette } = input;
  const header = palette.paint('muted', `${'TASK'.padEnd(labelWidth)}  ${'STATUS'.padEnd(11)}  ${'ATTEMPTS'.padStart(8)}  ${'DURATION'.padStart(8)}  EXIT`);
  const body = rows.flatMap((row) => {
    if (!row.columns) return [row.label, ...row.details];
    const [status, attempts, duration, exit] = row.columns as [Column, Column, Column, Column];
    const pad = ' '.repeat(Math.max(0, labelWidth - row.labelWidth));
    const line = `${row.label}${pad}  ${palette.paint(status.tone, status.text.padEnd(11))}  ${attempts.text.padStart(8)}  ${duration.text.padStart(8)}  ${exit.text}`;
    return [line.trimEnd(), ...row.details];
  });
  return [...headerLines(input), '', ...(rows.length > 0 ? [header, ...body] : [palette.paint('muted', 'no tasks have started')]), ...hintLines(input)];
}

function headerLines({ state, status, holder, nowMs, palette }: StatusViewInput): string[] {
  const ended = state.ended_at ? parseTime(state.ended_at, nowMs) : nowMs;
  const started = parseTime(state.started_at, ended);
  const took = formatDuration(ended - started);
  const lines = [
    `run ${palette.bold(state.id)} (${state.workflow}) ${palette.paint(statusTone(status), status)}`,
    `  started ${formatDateTime(started)}, ${state.ended_at ? `took ${took}` : status === 'interrupted' ? 'not finished' : `for ${took}`} · ${countsText(state, status)}`,
  ];
  if (holder && !RUN_STATUS[status].terminal) lines.push(`  driven by pid ${holder.pid} on ${holder.host} since ${formatDateTime(parseTime(holder.started_at, nowMs))}`);
  if (status === 'interrupted') lines.push(`  ${palette.paint('warning', 'its driver is gone: resume it to go on')}`);
  if (state.error) lines.push(`  ${palette.paint('failure', 'error:')} ${errorText(state)}`);
  lines.push(...outputLines(state, palette));
  return lines;
}

/** `3 completed, 1 failed`; tasks left running by a dead driver count as interrupted. */
function countsText(state: RunState, status: RunStatus): string {
  const tasks = Object.values(state.tasks);
  if (status !== 'interrupted') return statusCounts(tasks);
  const stuck = tasks.filter((t) => t.status === 'running' || t.status === 'waiting');
  const rest = statusCounts(tasks.filter((t) => !stuck.includes(t)));
  if (stuck.length === 0) return rest;
  return rest === 'no tasks' ? `${stuck.length} interrupted` : `${rest}, ${stuck.length} interrupted`;
}

function hintLines({ state, status, palette, blueprint }: StatusViewInput): string[] {
  const hints: string[] = [];
  const logs = logsStep(state, status);
  if (logs) hints.push(logs);
  if (status === 'failed' || status === 'timed_out' || status === 'canceled') hints.push(`baton retry ${state.id}`);
  hints.push(...signalSteps(state, status, blueprint ? taskInfoFromBlueprint(blueprint) : undefined));
  if (status === 'interrupted') hints.push(`baton resume ${state.id}`);
  if (status === 'running' || status === 'waiting') hints.push(`baton status ${state.id} --watch`);
  return hints.length > 0 ? ['', ...hints.map((h) => palette.paint('muted', h))] : [];
}

function collectRows(input: StatusViewInput, nodes: TreeNode[], guide: string, root: boolean, rows: Row[]): void {
  nodes.forEach((node, i) => {
    const last = i === nodes.length - 1;
    const connector = root ? '' : last ? '└─ ' : '├─ ';
    const childGuide = root ? '' : `${guide}${last ? '   ' : '│  '}`;
    const { palette } = input;
    const lead = palette.paint('muted', `${guide}${connector}`);
    const leadWidth = guide.length + connector.length;
    if (node.group) {
      rows.push({ label: `${lead}${palette.paint('muted', `${node.key}:`)}`, labelWidth: leadWidth + node.key.length + 1, columns: null, details: [] });
    } else {
      const shown = shownStatus(node.task, input.status);
      const look = STATUS_LOOK[shown.look];
      const symbol = palette.paint(shown.tone ?? look.tone, shown.symbol ?? look.symbol);
      const symbolWidth = (shown.symbol ?? look.symbol) === '⏳' ? 2 : 1;
      rows.push({
        label: `${lead}${symbol} ${node.key}`,
        labelWidth: leadWidth + symbolWidth + 1 + Array.from(node.key).length,
        columns: taskColumns(node.task, shown, input.nowMs),
        details: detailLines(node, input).map((d) => `${palette.paint('muted', `${childGuide}${node.children.length > 0 ? '│  ' : '   '}`)}${d}`),
      });
    }
    collectRows(input, node.children, childGuide, false, rows);
  });
}

interface ShownStatus {
  text: string;
  look: TaskStatus;
  tone?: Tone;
  symbol?: string;
}

/** A task recorded running in a run whose driver is gone is shown `interrupted`. */
function shownStatus(task: TaskInstance | null, runStatus: RunStatus): ShownStatus {
  if (!task) return { text: 'pending', look: 'pending' };
  if (runStatus === 'interrupted' && (task.status === 'running' || task.status === 'waiting')) {
    return { text: 'interrupted', look: task.status, ...STATUS_LOOK.interrupted };
  }
  return { text: task.status, look: task.status };
}

function taskColumns(task: TaskInstance | null, shown: ShownStatus, nowMs: number): Column[] {
  const tone = shown.tone ?? STATUS_LOOK[shown.look].tone;
  if (!task) return [{ text: shown.text, tone }, { text: '', tone: 'plain' }, { text: '', tone: 'plain' }, { text: '', tone: 'plain' }];
  const attempts = task.attempts > 0 ? String(task.attempts) : '';
  let duration = '';
  if (task.duration_ms !== null) duration = formatDuration(task.duration_ms);
  else if (task.started_at && !task.ended_at && shown.text !== 'interrupted') duration = formatDuration(nowMs - parseTime(task.started_at, nowMs));
  const last = task.history[task.history.length - 1];
  const exit = task.exit_code !== null ? String(task.exit_code) : last?.signal ? last.signal : '';
  return [{ text: shown.text, tone }, { text: attempts, tone: 'plain' }, { text: duration, tone: 'plain' }, { text: exit, tone: 'plain' }];
}

/** Under a task: when it retries or waits, and for a failed one its error and the tail of its log. */
function detailLines(node: TreeNode, { palette, runDir, nowMs }: StatusViewInput): string[] {
  const task = node.task;
  if (!task) return [];
  const lines: string[] = [];
  if (task.status === 'pending' && task.retry_at) lines.push(palette.paint('warning', `↻ next attempt at ${formatMoment(parseTime(task.retry_at, nowMs), nowMs)}`));
  if (task.status === 'waiting' && task.deadline) lines.push(palette.paint('warning', `⏳ until ${formatMoment(parseTime(task.deadline, nowMs), nowMs)}`));
  const worker = task.history.at(-1)?.worker;
  if (worker) lines.push(palette.paint('muted', `on worker ${worker.host} pid ${worker.pid}`));
  const failed = task.status === 'failed' || task.status === 'timed_out' || task.status === 'canceled';
  if (failed && task.error) lines.push(`${palette.paint('failure', 'error:')} ${firstLine(task.error)}`);
  if (task.status === 'skipped' && task.error) lines.push(palette.paint('muted', `because it ${firstLine(task.error)}`));
  if ((task.status === 'failed' || task.status === 'timed_out') && task.history.length > 0) {
    for (const line of taskLogTail(task, runDir, TAIL_LINES)) lines.push(palette.paint('muted', `│ ${line}`));
  }
  return lines;
}

/** Local `YYYY-MM-DD HH:MM:SS` of an epoch-milliseconds instant. */
export function formatDateTime(epochMs: number): string {
  const d = new Date(epochMs);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${formatClock(epochMs)}`;
}
