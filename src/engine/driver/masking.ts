// Masks secrets in what the engine records and says: every journal event passes here before it is stored, applied
// to the state and shown, so events.jsonl, state.json, status, --json and the run's output all see it masked.
import { maskEntries, maskText, maskValue } from '../../executor/index.js';
import type { Reporter } from '../../report/reporter.js';
import type { NewEvent } from '../core/events.js';
import type { CapturedText, RunError } from '../core/state.js';

type Secrets = () => readonly string[];

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

/** The reporter, with baton's own messages (warnings, errors) masked; events come already masked from the recorder. */
export function maskingReporter(reporter: Reporter, secrets: Secrets): Reporter {
  return {
    event: (e, state) => reporter.event(e, state),
    output: (key, stream, text) => reporter.output(key, stream, text),
    message: (level, text) => reporter.message(level, maskText(text, secrets())),
    close: (state) => reporter.close(state),
  };
}
