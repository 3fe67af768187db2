// Small text helpers shared by the reporters: durations, clock times, colours and line fitting.
import { sanitizeText } from './sanitize.js';
import { Chalk, type ChalkInstance } from 'chalk';

export type Tone = 'success' | 'failure' | 'warning' | 'muted' | 'active' | 'plain';

export interface Palette {
  paint(tone: Tone, text: string): string;
  bold(text: string): string;
}

export function createPalette(color: boolean): Palette {
  // A private instance: the global chalk guesses from process.stdout, we were told explicitly.
  const chalk: ChalkInstance = new Chalk({ level: color ? 1 : 0 });
  const tones: Record<Tone, (s: string) => string> = {
    success: chalk.green,
    failure: chalk.red,
    warning: chalk.yellow,
    muted: chalk.dim,
    active: chalk.cyan,
    plain: (s) => s,
  };
  return { paint: (tone, text) => tones[tone](text), bold: (text) => chalk.bold(text) };
}

// Durations print one way everywhere: their one formatter lives with the duration parser.
export { formatDuration, formatElapsed } from '../blueprint/duration.js';

/** Local wall-clock time `HH:MM:SS` of an epoch-milliseconds instant. */
export function formatClock(epochMs: number): string {
  const d = new Date(epochMs);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** An instant as `HH:MM:SS` within 12 hours of `nowMs`, else with its date (`2025-01-31 08:00:00`): a 25-day wait shows its day. */
export function formatMoment(epochMs: number, nowMs: number): string {
  if (Math.abs(epochMs - nowMs) < 12 * 3_600_000) return formatClock(epochMs);
  const d = new Date(epochMs);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${formatClock(epochMs)}`;
}

/** Epoch milliseconds of an ISO time, or `fallback` when it does not parse. */
export function parseTime(iso: string | null | undefined, fallback: number): number {
  const ms = iso ? Date.parse(iso) : Number.NaN;
  return Number.isFinite(ms) ? ms : fallback;
}

/** Cuts plain (uncoloured) text to `width` characters so a live line never wraps. */
export function fitWidth(text: string, width: number): string {
  const chars = Array.from(text);
  if (chars.length <= width) return text;
  return width <= 1 ? chars.slice(0, width).join('') : `${chars.slice(0, width - 1).join('')}…`;
}

/** The first line of a possibly multi-line message. */
export function firstLine(text: string): string {
  const line = text.split(/\r?\n/).find((l) => sanitizeText(l).trim() !== '') ?? '';
  return sanitizeText(line).trim();
}
