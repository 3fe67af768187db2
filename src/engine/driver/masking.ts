// Masks secrets in what the engine records and says: every journal event passes here before it is stored, applied
// to the state and shown (and every warning before it is shown), so events.jsonl, state.json, status, --json and the
// run's output all see it masked.
import { maskEntries, maskText, maskValue } from '../../executor/index.js';
import type { NewEvent } from '../core/events.js';
import type { CapturedText, RunError } from '../core/state.js';
import type { EngineWarning, NamedProcess } from '../core/warnings.js';

/**
 * The values and texts of an event, masked: errors, reasons, outputs, inputs, vars, evaluated values, signal data.
 * Its structure (keys, ids, attempt numbers, pids, statuses) is not: those are baton's own, and a short secret must
 * not rename a task. A switch's `selected` value is masked by the evaluation, which knows the case values.
 */
export function maskEvent(e: NewEvent, secrets: readonly string[]): NewEvent {
  if (secrets.length === 0) return e;
  const text = (t: string): string => maskText(t, secrets);
  const out: Record<string, unknown> = { ...e };
  let changed = false;
  const set = (field: string, masked: unknown): void => {
    if (masked === out[field]) return;
    out[field] = masked;
    changed = true;
  };
  for (const [field, value] of Object.entries(e)) {
    if (value === null || value === undefined) continue;
    switch (field) {
      case 'error':
        set(field, typeof value === 'string' ? text(value) : maskError(value as RunError, secrets));
        break;
      case 'reason':
      case 'by':
      case 'name':
        if (typeof value === 'string') set(field, text(value));
        break;
      case 'output':
      case 'data':
        set(field, maskValue(value, secrets));
        break;
      case 'value':
        if (!(e.type === 'task_evaluated' && e.field === 'selected')) set(field, maskValue(value, secrets));
        break;
      case 'inputs':
      case 'outputs':
      case 'values':
        set(field, maskEntries(value as Record<string, unknown>, secrets));
        break;
      case 'vars':
        set(field, maskFrames(value as Record<string, Record<string, unknown>>, secrets));
        break;
      case 'stdout':
      case 'stderr':
        set(field, maskCaptured(value as CapturedText, secrets));
        break;
    }
  }
  return changed ? (out as NewEvent) : e;
}

function maskError(error: RunError, secrets: readonly string[]): RunError {
  const message = maskText(error.message, secrets);
  return message === error.message ? error : { ...error, message };
}

function maskCaptured(captured: CapturedText, secrets: readonly string[]): CapturedText {
  const text = maskText(captured.text, secrets);
  return text === captured.text ? captured : { ...captured, text };
}

function maskFrames(frames: Record<string, Record<string, unknown>>, secrets: readonly string[]): Record<string, Record<string, unknown>> {
  let changed = false;
  const entries = Object.entries(frames).map(([frame, vars]) => {
    const masked = maskEntries(vars, secrets);
    if (masked !== vars) changed = true;
    return [frame, masked] as const;
  });
  return changed ? Object.fromEntries(entries) : frames;
}

/** A warning with every text in it masked, keys included: it used to be masked as one sentence, and still reads so. */
export function maskWarning(w: EngineWarning, secrets: readonly string[]): EngineWarning {
  if (secrets.length === 0) return w;
  const text = (t: string): string => maskText(t, secrets);
  const named = (list: NamedProcess[]): NamedProcess[] => list.map((p) => ({ pid: p.pid, command: text(p.command) }));
  switch (w.code) {
    case 'escaped_processes':
    case 'leftover_processes':
      return { ...w, task: text(w.task), processes: named(w.processes) };
    case 'orphans_ended':
      return { ...w, processes: named(w.processes) };
    case 'output_null':
      return { ...w, frame: text(w.frame), message: text(w.message) };
    case 'output_masked':
      return { ...w, task: text(w.task) };
  }
}
