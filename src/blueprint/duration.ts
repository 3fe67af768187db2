// Durations: as written in blueprints (`500ms`, `30s`, `5m`, `2h`, `7d`, bare seconds) turned into milliseconds, and the one way baton prints them.

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const DURATION_PATTERN = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*(ms|s|m|h|d)?\s*$/;

/** The pattern a duration string must match, for the JSON Schema. */
export const DURATION_REGEX_SOURCE = '^\\s*(\\d+(\\.\\d+)?|\\.\\d+)\\s*(ms|s|m|h|d)?\\s*$';

const DURATION_HINT = 'use 500ms, 30s, 5m, 2h or seconds';

/** The longest duration a blueprint may give (365 days): longer ones are surely mistakes, and would overflow dates. */
export const MAX_DURATION_MS = 365 * 86_400_000;

/** Milliseconds, or null when `value` is not a duration. A bare number (or numeric string) is seconds. */
export function parseDuration(value: unknown): number | null {
  if (typeof value === 'number') {
    return Number.isFinite(value) && value >= 0 ? Math.round(value * 1000) : null;
  }
  if (typeof value !== 'string') return null;
  const match = DURATION_PATTERN.exec(value);
  if (!match) return null;
  const amount = Number(match[1]);
  const unit = match[2] ?? 's';
  const ms = amount * (UNIT_MS[unit] ?? 1000);
  return Number.isFinite(ms) ? Math.round(ms) : null;
}

/** The message for a value that is not a duration. */
export function invalidDurationMessage(value: unknown): string {
  // JSON has no Infinity or NaN: show them as YAML wrote them, not as `null`.
  const shown = typeof value === 'string' ? value : typeof value === 'number' && !Number.isFinite(value) ? yamlNonFinite(value) : JSON.stringify(value);
  return `invalid duration \`${shown}\`: ${DURATION_HINT}`;
}

/** The message for a duration longer than MAX_DURATION_MS, or null when `value` is not one. */
export function durationTooLong(value: unknown, written?: string): string | null {
  const ms = parseDuration(value);
  if (ms === null || ms <= MAX_DURATION_MS) return null;
  const shown = typeof value === 'string' ? value.trim() : (written ?? String(value)); // a number as written, not as the float read
  return `duration \`${shown}\` is too long: durations may be at most 365d`;
}

function yamlNonFinite(value: number): string {
  return Number.isNaN(value) ? '.nan' : value > 0 ? '.inf' : '-.inf';
}

/** The one way baton prints a duration, for limits and elapsed times alike: `850ms`, `1.2s`, `2s`, `1m 30s`, `1h 02m`. */
export function formatDuration(ms: number): string {
  const safe = Math.max(0, Math.round(ms));
  if (safe < 1000) return `${safe}ms`;
  if (safe < 60_000) {
    const seconds = Math.floor(safe / 100) / 10;
    return `${Number.isInteger(seconds) ? seconds.toFixed(0) : seconds.toFixed(1)}s`;
  }
  const totalSeconds = Math.floor(safe / 1000);
  const pad = (n: number): string => String(n).padStart(2, '0');
  if (totalSeconds < 3600) return `${Math.floor(totalSeconds / 60)}m ${pad(totalSeconds % 60)}s`;
  return `${Math.floor(totalSeconds / 3600)}h ${pad(Math.floor((totalSeconds % 3600) / 60))}m`;
}

/** A ticking elapsed time in whole seconds (`0s`, `42s`, `1m 30s`), so a live line does not flicker with tenths. */
export function formatElapsed(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  return seconds === 0 ? '0s' : formatDuration(seconds * 1000);
}
