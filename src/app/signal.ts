// `baton signal`: complete (or fail) the `wait: {signal}` tasks a run is waiting in, from another process.
import fs from 'node:fs';
import { BlueprintError, hasErrors } from '../blueprint/diagnostics.js';
import { loadBlueprint } from '../blueprint/load.js';
import { Recorder } from '../engine/driver/recorder.js';
import { findSpec, frameBlueprint } from '../engine/core/specs.js';
import { frameOfKey } from '../engine/core/keys.js';
import type { RunState } from '../engine/core/state.js';
import { writeControlRequest } from '../store/index.js';
import { UsageError, type CommandIO } from './io.js';
import { letGo, openRun, type OpenRun } from './open-run.js';
import { waitUntil } from './wait.js';

export interface SignalOptions {
  data?: string;
  fail: boolean;
  reason?: string;
  stateDir?: string;
  /** Print {run, keys, signal, failed, delivery} on stdout. */
  json?: boolean;
}

export async function signalRun(io: CommandIO, ref: string, target: string, o: SignalOptions): Promise<number> {
  let data: unknown = null;
  if (o.data !== undefined) {
    try {
      data = JSON.parse(o.data);
    } catch (err) {
      throw new UsageError(`--data is not valid JSON: ${(err as Error).message}`, `quote it for the shell, e.g. --data '{"approved": true}'`);
    }
  }
  if (o.fail && o.data !== undefined) throw new UsageError('--fail and --data do not go together: a failed wait has no output');
  const run = openRun(io, ref, o.stateDir);
  try {
    const keys = waitingFor(run, target);
    const name = run.state.tasks[target] ? null : target;
    const request = { type: 'signal' as const, keys, name, data, failed: o.fail, reason: o.fail ? (o.reason ?? 'rejected by baton signal') : null };
    const report = (delivery: 'delivered' | 'queued' | 'recorded'): void => {
      if (o.json) io.stdout.write(`${JSON.stringify({ run: run.state.id, keys, signal: name, failed: o.fail, delivery }, null, 2)}\n`);
    };
    if (run.holder) {
      const file = writeControlRequest(run.store.dir, request);
      const taken = await waitUntil(() => !fs.existsSync(file), 10_000);
      io.stderr.write(taken ? `signal delivered to ${keys.join(', ')}\n` : `signal queued for ${keys.join(', ')}; the driver will take it\n`);
      report(taken ? 'delivered' : 'queued');
      return 0;
    }
    // No driver: record it now; `resume` goes on from there.
    run.store.acquireLock();
    run.store.repairJournal();
    const recorder = new Recorder(run.state, run.store);
    recorder.record({ type: 'signal_received', keys, name, data, failed: o.fail, reason: request.reason });
    for (const key of keys) {
      if (o.fail) recorder.record({ type: 'task_ended', key, status: 'failed', output: null, error: request.reason });
      else recorder.record({ type: 'task_ended', key, status: 'completed', output: data, error: null });
    }
    run.store.writeSnapshot(run.state);
    run.store.releaseLock();
    io.stderr.write(`signal recorded for ${keys.join(', ')}; go on with: baton resume ${run.state.id}\n`);
    report('recorded');
    return 0;
  } catch (err) {
    letGo(run); // a failed write must not leave the run locked
    throw err;
  } finally {
    run.store.close();
  }
}

/** Instances waiting on `target`: an instance key, or every task waiting for the signal of that name. */
function waitingFor(run: OpenRun, target: string): string[] {
  const { state } = run;
  const waiting = Object.values(state.tasks).filter((t) => t.kind === 'wait' && t.status === 'waiting');
  const byKey = waiting.filter((t) => t.key === target);
  if (byKey.length > 0) return byKey.map((t) => t.key);
  const loaded = loadBlueprint(state.blueprint_file, { source: run.store.readBlueprintSource(), readEnvFiles: false });
  const bp = loaded.blueprint;
  if (!bp || hasErrors(loaded.diagnostics)) throw new BlueprintError(`the blueprint of run ${state.id} cannot be read`);
  const keys = waiting
    .filter((t) => {
      const spec = findSpec(frameBlueprint(bp, frameOfKey(t.key)), t.id);
      return spec?.kind === 'wait' && spec.signal === target;
    })
    .map((t) => t.key);
  if (keys.length === 0) throw new UsageError(nothingWaiting(state, target));
  return keys;
}

function nothingWaiting(state: RunState, target: string): string {
  const waiting = Object.values(state.tasks).filter((t) => t.status === 'waiting').map((t) => t.key);
  const now = waiting.length > 0 ? `; waiting now: ${waiting.join(', ')}` : '';
  return `nothing in run ${state.id} is waiting for "${target}"${now}`;
}
