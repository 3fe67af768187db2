// The read side of the API: a run (status document, diagram, timeline), a task instance, its log, the blueprint.
import { loadBlueprint } from '../blueprint/load.js';
import { diagnosticToJson } from '../blueprint/format.js';
import { runNames } from '../app/graph.js';
import { readRunView, type BlueprintCache, type RunView } from '../app/run-view.js';
import { buildGraph, type GraphModel } from '../report/graph-model.js';
import { summarize } from '../report/summary.js';
import { RunStore } from '../store/index.js';
import { captureIO } from './capture-io.js';
import { colourDiagram, layoutGraph, type Diagram } from './diagram.js';
import { HttpError } from './http.js';
import { logToHtml } from './log-html.js';
import { checkKey, readRunFile, runFolder } from './run-files.js';

/** A log is shown from its last this many bytes per stream (`truncated` says so). */
const LOG_BYTES = 1024 * 1024;
/** The timeline lists at most this many attempts (the latest ones). */
const MAX_TIMELINE = 5000;

interface RunCache {
  blueprint: BlueprintCache;
  diagram?: { blueprint: object; names: string; model: GraphModel; layout: ReturnType<typeof layoutGraph> };
}

export class RunReader {
  private readonly caches = new Map<string, RunCache>();

  constructor(readonly stateDir: string) {}

  view(id: string): RunView {
    runFolder(this.stateDir, id);
    const cache = this.caches.get(id) ?? { blueprint: {} };
    this.caches.set(id, cache);
    return readRunView(captureIO(), id, this.stateDir, cache.blueprint);
  }

  async run(id: string): Promise<{ status: unknown; diagram: Diagram | null; timeline: unknown[]; journalLines: number }> {
    const journalLines = countLines(runFolder(this.stateDir, id));
    const view = this.view(id);
    return {
      // Exactly what `baton status <id> --json` prints.
      status: { ...summarize(view.state), status: view.status },
      diagram: await this.diagram(id, view),
      timeline: timeline(view),
      journalLines,
    };
  }

  private async diagram(id: string, view: RunView): Promise<Diagram | null> {
    const bp = view.blueprint;
    if (!bp) return null;
    const cache = this.caches.get(id)!;
    const names = await runNames(bp, view.state);
    const nameKey = JSON.stringify([...names.values()]);
    if (!cache.diagram || cache.diagram.blueprint !== bp || cache.diagram.names !== nameKey) {
      const model = buildGraph(bp, names);
      cache.diagram = { blueprint: bp, names: nameKey, model, layout: layoutGraph(model) };
    }
    return colourDiagram(cache.diagram.layout, cache.diagram.model, view.state);
  }

  task(id: string, key: string): unknown {
    checkKey(key);
    const view = this.view(id);
    const task = Object.hasOwn(view.state.tasks, key) ? view.state.tasks[key] : undefined;
    if (!task) throw new HttpError(404, `no task instance ${key} in run ${id}`);
    const instance = summarize({ ...view.state, tasks: { [key]: task } }).tasks[key];
    const last = task.history[task.history.length - 1];
    return {
      key,
      instance,
      attempts: task.history.map((a) => ({
        attempt: a.n,
        status: a.status,
        exitCode: a.exit_code,
        signal: a.signal,
        startedAt: a.started_at,
        endedAt: a.ended_at,
        durationMs: a.ended_at ? Math.max(0, Date.parse(a.ended_at) - Date.parse(a.started_at)) : null,
        error: a.error,
        // Only the last attempt's output is recorded (the instance's).
        output: a === last ? (task.output ?? null) : null,
      })),
    };
  }

  log(id: string, key: string, attemptParam: string | null): { html: string; bytes: number; truncated: boolean } {
    checkKey(key);
    const view = this.view(id);
    const task = Object.hasOwn(view.state.tasks, key) ? view.state.tasks[key] : undefined;
    if (!task) throw new HttpError(404, `no task instance ${key} in run ${id}`);
    let attempt = task.history[task.history.length - 1];
    if (attemptParam !== null) {
      if (!/^[1-9]\d{0,5}$/.test(attemptParam)) throw new HttpError(400, `attempt must be a whole number ≥ 1, got ${JSON.stringify(attemptParam.slice(0, 20))}`);
      attempt = task.history.find((a) => a.n === Number(attemptParam));
      if (!attempt) throw new HttpError(404, `${key} has no attempt ${attemptParam}`);
    }
    if (!attempt) return { html: '', bytes: 0, truncated: false };
    const out = readRunFile(view.runDir, attempt.stdout_log, LOG_BYTES);
    const err = readRunFile(view.runDir, attempt.stderr_log, LOG_BYTES);
    // Logs are masked as they are written (the executor's secret masker), so they are shown as the CLI shows them.
    const stderr = err.text === '' ? '' : `<span class="log-stderr">${logToHtml(err.text)}</span>`;
    return { html: logToHtml(out.text) + stderr, bytes: out.bytes + err.bytes, truncated: out.truncated || err.truncated };
  }

  blueprint(id: string): { path: string; source: string; diagnostics: unknown[] } {
    const view = this.view(id);
    const opened = RunStore.open(this.stateDir, view.state.id);
    let source: string;
    try {
      source = opened.store.readBlueprintSource();
    } finally {
      opened.store.close();
    }
    const file = view.state.blueprint_file;
    const loaded = loadBlueprint(file, { source });
    const diagnostics = loaded.diagnostics.map((d) => {
      const j = diagnosticToJson(d, loaded.sources);
      return { line: j.line, col: j.column, severity: j.severity, message: j.message, file: j.file === file ? null : j.file };
    });
    return { path: file, source, diagnostics };
  }
}

function timeline(view: RunView): unknown[] {
  const bars = Object.values(view.state.tasks).flatMap((t) => t.history.map((a) => ({ key: t.key, attempt: a.n, status: a.status, startedAt: a.started_at, endedAt: a.ended_at })));
  bars.sort((a, b) => a.startedAt.localeCompare(b.startedAt));
  return bars.length > MAX_TIMELINE ? bars.slice(-MAX_TIMELINE) : bars;
}

/** Lines in the run's journal now: a page that then follows /live with ?after=<this> misses nothing. */
function countLines(dir: string): number {
  const text = readRunFile(dir, 'events.jsonl', Number.MAX_SAFE_INTEGER).text;
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
