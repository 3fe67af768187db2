// The read side of the API: a run (status document, diagram, timeline), a task instance, its log, the blueprint.
import { loadBlueprint } from '../blueprint/load.js';
import { diagnosticToJson } from '../blueprint/format.js';
import { runNames } from '../app/graph.js';
import { currentStatus } from '../app/open-run.js';
import { readRunView, type BlueprintCache, type RunView } from '../app/run-view.js';
import { buildGraph, type GraphModel } from '../report/graph-model.js';
import { summarize } from '../report/summary.js';
import { checkEvent, isLockHeld } from '../store/index.js';
import { applyEvent } from '../engine/core/reducer.js';
import type { RunEvent } from '../engine/core/events.js';
import path from 'node:path';
import { captureIO } from './capture-io.js';
import { colourDiagram, layoutGraph, type Diagram } from './diagram.js';
import { HttpError } from './http.js';
import { logToHtml } from './log-html.js';
import { checkKey, readRunBytes, readRunFile, runFolder } from './run-files.js';
import { signatureOf } from './runs-feed.js';

/** A log is shown from its last this many bytes per stream (`truncated` says so). */
const LOG_BYTES = 1024 * 1024;
/** The timeline lists at most this many attempts (the latest ones). */
const MAX_TIMELINE = 5000;

/** Runs whose last reading is kept (a 10,000-instance run's state is about 8 MB in memory). */
const KEPT_RUNS = 8;
/** Snapshots the runs list read are kept for the run page only when their state.json is at least this big… */
const OFFER_FROM_BYTES = 256 * 1024;
/** …and up to this many bytes of state.json in all (the most recently read). */
const OFFERED_BYTES = 64 * 1024 * 1024;

interface RunCache {
  blueprint: BlueprintCache;
  /** The last reading and the folder's signature then: an unchanged folder is not read (and replayed) again. */
  view?: { signature: string; view: RunView; journalLines: number; journalOffset: number; response?: { status: string; text: string } };
  diagram?: { blueprint: object; names: string; model: GraphModel; layout: ReturnType<typeof layoutGraph> };
}

interface Offered {
  signature: string;
  snapshot: Record<string, unknown>;
  bytes: number;
}

export class RunReader {
  private readonly caches = new Map<string, RunCache>();
  private readonly offered = new Map<string, Offered>();
  /** How many times a run was read (and replayed) whole: a growing journal alone should not make it read again. */
  fullReads = 0;

  constructor(readonly stateDir: string) {}

  /**
   * A state.json just read elsewhere (the runs list), with the folder's signature from before: a big one is kept so the
   * run's first reading need not read it again (the file is megabytes for a 10,000-instance run).
   */
  offer(id: string, signature: string, snapshot: Record<string, unknown>, bytes: number): void {
    if (bytes < OFFER_FROM_BYTES || this.caches.get(id)?.view) return;
    this.offered.delete(id);
    this.offered.set(id, { signature, snapshot, bytes });
    let total = 0;
    for (const o of this.offered.values()) total += o.bytes;
    for (const [old, o] of this.offered) {
      if (total <= OFFERED_BYTES) break;
      this.offered.delete(old);
      total -= o.bytes;
    }
  }

  /** The run as `baton status` reads it; again only when its folder changed (the driver's liveness is always re-checked). */
  view(id: string): RunView {
    return this.reading(id).view;
  }

  private reading(id: string): NonNullable<RunCache['view']> {
    const dir = runFolder(this.stateDir, id);
    const cache = this.caches.get(id) ?? { blueprint: {} };
    this.caches.delete(id);
    this.caches.set(id, cache);
    for (const old of [...this.caches.keys()].slice(0, Math.max(0, this.caches.size - KEPT_RUNS))) this.caches.delete(old);
    // Taken before reading: a change while reading makes the next call read again.
    const { signature } = signatureOf(dir);
    if (cache.view && cache.view.signature === signature) {
      const holder = isLockHeld(dir);
      cache.view.view = { ...cache.view.view, holder, status: currentStatus(cache.view.view.state, holder) };
      return cache.view;
    }
    // Only the journal grew (a live run): apply its new events to the kept state instead of replaying all of it.
    if (cache.view && sameBesidesJournal(cache.view.signature, signature) && this.catchUp(dir, cache.view)) {
      const holder = isLockHeld(dir);
      cache.view = { ...cache.view, signature, view: { ...cache.view.view, holder, status: currentStatus(cache.view.view.state, holder) } };
      delete cache.view.response;
      return cache.view;
    }
    this.fullReads++;
    const journalOffset = Math.max(0, Number(signature.split('|')[1]));
    const journalLines = countLines(dir, journalOffset);
    const offered = this.offered.get(id);
    this.offered.delete(id);
    const snapshot = offered?.signature === signature ? offered.snapshot : undefined;
    const view = readRunView(captureIO(), id, this.stateDir, cache.blueprint, { snapshot });
    cache.view = { signature, view, journalLines, journalOffset };
    return cache.view;
  }

  /**
   * Applies the journal lines past `journalOffset` whose seq the kept state has not seen, as `openRun` replays them
   * (checked first); false (read it all again) if anything does not fit.
   */
  private catchUp(dir: string, kept: NonNullable<RunCache['view']>): boolean {
    const file = path.join(dir, 'events.jsonl');
    const { text } = readRunFile(dir, 'events.jsonl', 0, kept.journalOffset);
    const end = text.lastIndexOf('\n');
    if (end < 0) return true;
    const state = kept.view.state;
    const lines = text.slice(0, end).split('\n');
    try {
      for (const line of lines) {
        if (line.trim() === '') continue;
        // A line cut where the offset was measured does not parse: then everything is read again.
        const event = JSON.parse(line) as Record<string, unknown>;
        if (typeof event['seq'] !== 'number' || event['seq'] <= state.seq) continue;
        if (event['seq'] !== state.seq + 1) return false;
        checkEvent(state, event, file, 0);
        applyEvent(state, event as unknown as RunEvent);
      }
    } catch {
      return false;
    }
    kept.journalLines += lines.length;
    kept.journalOffset += Buffer.byteLength(text.slice(0, end + 1));
    return true;
  }

  /** The run document as JSON text, kept while the folder and the run's status stay the same. */
  async run(id: string): Promise<string> {
    const reading = this.reading(id);
    const { view } = reading;
    if (reading.response?.status === view.status) return reading.response.text;
    const body = {
      // Exactly what `baton status <id> --json` prints.
      status: { ...summarize(view.state), status: view.status },
      diagram: await this.diagram(id, view),
      timeline: timeline(view),
      journalLines: reading.journalLines,
    };
    reading.response = { status: view.status, text: JSON.stringify(body) };
    return reading.response.text;
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

  log(id: string, key: string, attemptParam: string | null): { html: string; bytes: number; sizes: { stdout: number; stderr: number }; truncated: boolean } {
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
    if (!attempt) return { html: '', bytes: 0, sizes: { stdout: 0, stderr: 0 }, truncated: false };
    const out = readRunFile(view.runDir, attempt.stdout_log, LOG_BYTES);
    const err = readRunFile(view.runDir, attempt.stderr_log, LOG_BYTES);
    // Logs are masked as they are written (the executor's secret masker), so they are shown as the CLI shows them.
    const stderr = err.text === '' ? '' : `<span class="log-stderr">${logToHtml(err.text)}</span>`;
    // `sizes`: how far each file was read, so the page can tell whether live text it is sent follows on.
    return { html: logToHtml(out.text) + stderr, bytes: out.bytes + err.bytes, sizes: { stdout: out.bytes, stderr: err.bytes }, truncated: out.truncated || err.truncated };
  }

  blueprint(id: string): { path: string; source: string; diagnostics: unknown[] } {
    const view = this.view(id);
    // Reading the view kept the blueprint's text.
    const source = this.caches.get(id)?.blueprint.source ?? '';
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
  // ISO times in UTC sort as strings (localeCompare takes 10x longer on 10,000 bars).
  bars.sort((a, b) => (a.startedAt < b.startedAt ? -1 : a.startedAt > b.startedAt ? 1 : 0));
  return bars.length > MAX_TIMELINE ? bars.slice(-MAX_TIMELINE) : bars;
}

/** Lines in the first `bytes` of the run's journal: a page that then follows /live with ?after=<this> misses nothing. */
function countLines(dir: string, bytes: number): number {
  const head = readRunBytes(dir, 'events.jsonl', bytes);
  let n = 0;
  for (let i = head.indexOf(10); i !== -1; i = head.indexOf(10, i + 1)) n++;
  return n;
}

/** Two folder signatures that differ at most in the journal's size. */
function sameBesidesJournal(a: string, b: string): boolean {
  const [stateA, , lockA] = a.split('|');
  const [stateB, , lockB] = b.split('|');
  return stateA === stateB && lockA === lockB;
}
