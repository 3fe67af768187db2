// The TTY live block: one spinner line per running task under the finished lines, redrawn by a ~10 fps timer.
import { fitWidth, formatElapsed, type Palette } from './format.js';

export interface LiveViewOptions {
  stream: NodeJS.WritableStream & { rows?: number; columns?: number };
  palette: Palette;
  now: () => number;
  intervalMs?: number;
  /** Spinner frames (ora's, loaded only when a terminal shows them). */
  spinner?: Spinner;
}

export interface Spinner {
  frames: string[];
  interval: number;
}

/** Used when no spinner is given (tests, a terminal without ora loaded). */
const PLAIN_SPINNER: Spinner = { frames: ['-', '\\', '|', '/'], interval: 100 };

interface ActiveTask {
  since: number;
  label: string;
  waiting: boolean;
}

const ERASE_BELOW = '\x1b[J';

export class LiveView {
  private readonly active = new Map<string, ActiveTask>();
  private pending: string[] = [];
  private drawnLines = 0;
  private lastPicture = '';
  private dirty = false;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(private readonly options: LiveViewOptions) {}

  /** Shows (or updates) a running task; `label` follows the key, e.g. `waiting for signal approve`. */
  setActive(key: string, since: number, label = '', waiting = false): void {
    this.active.set(key, { since, label, waiting });
    this.touch();
  }

  remove(key: string): void {
    if (this.active.delete(key)) this.touch();
  }

  /** Queues finished lines to appear above the live block at the next frame. */
  print(lines: string[]): void {
    if (lines.length === 0) return;
    this.pending.push(...lines);
    this.touch();
  }

  /** Draws a frame if anything changed since the last one (timer callback; public for close and tests). */
  tick(): void {
    if (this.stopped) return;
    const picture = this.picture();
    if (!this.dirty && picture.join('\n') === this.lastPicture) return;
    this.write(this.eraseBlock() + this.takePending() + picture.map((l) => `${l}\n`).join(''));
    this.drawnLines = picture.length;
    this.lastPicture = picture.join('\n');
    this.dirty = false;
  }

  /** Erases the live block, prints what is still queued plus `finalLines`, and stops the timer for good. */
  stop(finalLines: string[] = []): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (this.stopped) return;
    this.stopped = true;
    this.pending.push(...finalLines);
    const text = this.eraseBlock() + this.takePending();
    this.drawnLines = 0;
    if (text) this.write(text);
  }

  private touch(): void {
    this.dirty = true;
    if (!this.timer && !this.stopped) {
      this.timer = setInterval(() => this.tick(), this.options.intervalMs ?? 100);
      // The view must never keep the process alive on its own.
      this.timer.unref();
    }
  }

  private picture(): string[] {
    const { palette, now, stream } = this.options;
    if (this.active.size === 0) return [];
    // One spare column: ⏳ is two columns wide and a full-width line would wrap on some terminals.
    const width = Math.max(20, (stream.columns || 80) - 1); // a pty of unknown size reports 0
    const room = Math.max(2, (stream.rows || 24) - 2);
    const nowMs = now();
    const spinner = this.options.spinner ?? PLAIN_SPINNER;
    const frame = spinner.frames[Math.floor(nowMs / spinner.interval) % spinner.frames.length] ?? '-';
    const shown = this.active.size > room ? room - 1 : this.active.size;
    const lines: string[] = [];
    for (const [key, task] of this.active) {
      if (lines.length >= shown) break;
      const symbol = task.waiting ? '⏳' : frame;
      const elapsed = formatElapsed(nowMs - task.since);
      const plain = fitWidth(`${key}${task.label ? ` ${task.label}` : ''} (${elapsed})`, width - 3);
      lines.push(`${palette.paint(task.waiting ? 'warning' : 'active', symbol)} ${plain}`);
    }
    if (this.active.size > shown) lines.push(palette.paint('muted', `… and ${this.active.size - shown} more`));
    return lines;
  }

  private eraseBlock(): string {
    return this.drawnLines > 0 ? `\x1b[${this.drawnLines}A\r${ERASE_BELOW}` : '';
  }

  private takePending(): string {
    const text = this.pending.map((l) => `${l}\n`).join('');
    this.pending = [];
    return text;
  }

  private write(text: string): void {
    this.options.stream.write(text);
  }
}
