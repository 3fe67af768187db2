// A clock whose time moves only when asked (tests, `baton test`): timers fire in order of due time, chance is seeded.

interface Timer {
  at: number;
  seq: number;
  fn: () => void;
  cleared: boolean;
}

/** Fits the engine's `Clock` port; `advance()` moves time to the next timer and fires what is due then. */
export class VirtualClock {
  private time: number;
  private seq = 0;
  private seed: number;
  /** Sorted by due time, then by order set: equal deadlines fire in the order they were set. */
  private timers: Timer[] = [];

  constructor(start = Date.parse('2026-01-01T00:00:00.000Z'), seed = 1) {
    this.time = start;
    this.seed = seed >>> 0;
  }

  readonly now = (): number => this.time;

  /** mulberry32: the same seed, the same jitter, run after run. */
  readonly random = (): number => {
    this.seed = (this.seed + 0x6d2b79f5) >>> 0;
    let t = this.seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };

  readonly setTimer = (fn: () => void, ms: number): { clear(): void } => {
    const timer: Timer = { at: this.time + Math.max(0, ms), seq: this.seq++, fn, cleared: false };
    let i = this.timers.length;
    while (i > 0 && this.timers[i - 1]!.at > timer.at) i--;
    this.timers.splice(i, 0, timer);
    return { clear: () => void (timer.cleared = true) };
  };

  /** Timers set and not yet fired or cleared. */
  get pending(): number {
    return this.timers.filter((t) => !t.cleared).length;
  }

  /** Moves time to the earliest live timer and fires every timer due then; false when none is left. */
  advance(): boolean {
    this.timers = this.timers.filter((t) => !t.cleared);
    const first = this.timers[0];
    if (!first) return false;
    this.time = Math.max(this.time, first.at);
    while (this.timers[0] && this.timers[0].at <= this.time) {
      const timer = this.timers.shift()!;
      if (!timer.cleared) timer.fn();
    }
    return true;
  }
}
