// Timers for any duration: Node fires a setTimeout of 2^31 ms (24.8 days) or more after 1 ms, so long ones sleep in chunks.

/** The longest delay Node's setTimeout honours (a signed 32-bit number of milliseconds). */
export const MAX_TIMER_MS = 2 ** 31 - 1;

export interface LongTimer {
  clear(): void;
}

/** Call `fn` once after `ms` milliseconds, however long, through a chain of timers each below MAX_TIMER_MS. */
export function setLongTimeout(fn: () => void, ms: number): LongTimer {
  let remaining = Number.isNaN(ms) ? 0 : Math.max(0, ms);
  let timer: NodeJS.Timeout | undefined;
  const arm = (): void => {
    const chunk = Math.min(remaining, MAX_TIMER_MS);
    remaining -= chunk;
    timer = setTimeout(remaining > 0 ? arm : fn, chunk);
  };
  arm();
  return { clear: () => clearTimeout(timer) };
}
