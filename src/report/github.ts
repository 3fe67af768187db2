// GitHub Actions workflow commands: annotations per diagnostic and failed task, output groups, secret masks.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { Diagnostic } from '../blueprint/diagnostics.js';
import { diagnosticToJson } from '../blueprint/format.js';
import type { RunState } from '../engine/core/state.js';
import { maskPatterns } from '../executor/index.js';
import type { Reporter } from './reporter.js';
import { sanitizeText } from './sanitize.js';

/** Whether GitHub's workflow commands are wanted: inside GitHub Actions, unless --no-ci-annotations. */
export function githubActive(env: NodeJS.ProcessEnv, enabled: boolean | undefined): boolean {
  return enabled !== false && env.GITHUB_ACTIONS === 'true';
}

/** Terminal sequences removed; line breaks (CR too) kept, for escaping. */
function plainText(text: string): string {
  return text.split('\r').map(sanitizeText).join('\r');
}

/** A command's message, escaped as GitHub's runner unescapes it. */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A command property's value: as data, plus `:` and `,` which end a value. */
function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** `::name key=value,…::message` (properties in the order given, undefined ones left out). */
export function workflowCommand(name: string, props: Record<string, string | number | undefined>, message: string): string {
  const list = Object.entries(props)
    .filter((e): e is [string, string | number] => e[1] !== undefined)
    .map(([k, v]) => `${k}=${escapeProperty(String(v))}`);
  return `::${name}${list.length > 0 ? ` ${list.join(',')}` : ''}::${escapeData(message)}`;
}

/** One `::error`/`::warning` per diagnostic, located on the file relative to GITHUB_WORKSPACE (or the cwd). */
export function diagnosticCommands(diagnostics: Diagnostic[], sources: Map<string, string>, env: NodeJS.ProcessEnv, cwd: string): string[] {
  const root = env.GITHUB_WORKSPACE || cwd;
  return diagnostics.map((d) => {
    const j = diagnosticToJson(d, sources);
    const file = j.file === null ? undefined : path.relative(root, path.resolve(cwd, j.file)).split(path.sep).join('/');
    const props = {
      file,
      line: j.line ?? undefined,
      col: j.column ?? undefined,
      endLine: j.end_line !== null && j.end_line !== j.line ? j.end_line : undefined,
      title: `baton: ${d.code}`,
    };
    return workflowCommand(d.severity === 'error' ? 'error' : 'warning', props, plainText(d.message));
  });
}

/** `::add-mask::` for each secret value (and each line of a multi-line one), so the runner masks them too. */
export function addMaskCommands(secrets: string[]): string[] {
  return maskPatterns(secrets).map((s) => `::add-mask::${escapeData(s)}`);
}

interface GitHubReporterOptions {
  /** Where workflow commands go (stderr: stdout holds --json's document; the runner reads both). */
  stream: NodeJS.WritableStream;
  /** --verbose: each task's output, folded into a `::group::<key>` when its attempt ends. */
  verbose: boolean;
  /** Most characters of one task's output kept for its group. */
  maxGroupChars?: number;
}

/** The GitHub side of a run's event sink: failed tasks as annotations, verbose output in groups. */
export function createGitHubReporter(o: GitHubReporterOptions): Reporter {
  const max = o.maxGroupChars ?? 1024 * 1024;
  // Output is held per task until its attempt ends, so concurrent tasks' groups do not interleave.
  const pending = new Map<string, { text: string; dropped: number }>();
  const write = (lines: string[]): void => {
    if (lines.length > 0) o.stream.write(lines.map((l) => `${l}\n`).join(''));
  };
  const flushGroup = (key: string): void => {
    const entry = pending.get(key);
    if (!entry) return;
    pending.delete(key);
    const lines = entry.text.replace(/\n$/, '').split('\n').map((l) => l.replace(/\r$/, ''));
    // A task's own `::command::` lines would otherwise be obeyed inside the group: stop-commands turns them off.
    const token = `baton-${randomBytes(8).toString('hex')}`;
    const note = entry.dropped > 0 ? [`[${entry.dropped} more characters left out; see: baton logs]`] : [];
    write([`::group::${escapeData(key)}`, `::stop-commands::${token}`, ...lines, ...note, `::${token}::`, '::endgroup::']);
  };
  let closed = false;
  return {
    event(e, state: RunState) {
      if (closed) return;
      if (e.type === 'attempt_ended' && o.verbose) flushGroup(e.key);
      // A command task ends with its last attempt; other tasks with task_ended (a `cause` points at the task to blame).
      const failed = (s: string | undefined): boolean => s === 'failed' || s === 'timed_out';
      const ended =
        (e.type === 'attempt_ended' && e.retry_at === null && failed(state.tasks[e.key]?.status)) || (e.type === 'task_ended' && failed(e.status) && !e.cause);
      if (ended) {
        const task = state.tasks[e.key];
        write([workflowCommand('error', { title: `${state.workflow}: ${e.key}` }, plainText(task?.error ?? task?.status ?? 'failed'))]);
      }
    },
    output(key, _stream, text) {
      if (closed || !o.verbose) return;
      const entry = pending.get(key) ?? { text: '', dropped: 0 };
      pending.set(key, entry);
      const room = Math.max(0, max - entry.text.length);
      entry.text += text.slice(0, room);
      entry.dropped += Math.max(0, text.length - room);
    },
    warning() {},
    message() {},
    close() {
      if (closed) return;
      closed = true;
      for (const key of [...pending.keys()]) flushGroup(key);
    },
  };
}

/** Both sinks get every call: the terminal reporter first, then GitHub's. */
export function teeReporter(first: Reporter, second: Reporter): Reporter {
  return {
    event: (e, s) => (first.event(e, s), second.event(e, s)),
    output: (k, st, t) => (first.output(k, st, t), second.output(k, st, t)),
    warning: (w) => (first.warning(w), second.warning(w)),
    message: (l, t) => (first.message(l, t), second.message(l, t)),
    close: (s) => (first.close(s), second.close(s)),
  };
}
