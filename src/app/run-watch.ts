// Wakes a reader when a run folder changes (journal appended, lock released, log written): fs.watch plus a slow timer.
import fs from 'node:fs';

export interface RunFolderWatch {
  /** Resolves at the next change (at most one wake per `minIntervalMs`) or after `fallbackMs` without one. */
  next(): Promise<void>;
  close(): void;
}

export interface RunFolderWatchOptions {
  /** Folders to watch (the run folder; its logs folder to follow logs). */
  dirs: string[];
  /** The timer that catches what fs.watch misses (network file systems, editors' renames). */
  fallbackMs?: number;
  /** Coalesces bursts of writes into one wake. */
  minIntervalMs?: number;
}

export function watchRunFolder(options: RunFolderWatchOptions): RunFolderWatch {
  const fallbackMs = options.fallbackMs ?? 1000;
  const minIntervalMs = options.minIntervalMs ?? 100;
  let changed = false;
  let lastWake = 0;
  let wake: (() => void) | null = null;
  const watchers: fs.FSWatcher[] = [];
  const onChange = (): void => {
    changed = true;
    wake?.();
  };
  for (const dir of options.dirs) {
    try {
      const watcher = fs.watch(dir, { persistent: true }, onChange);
      // A folder removed under us (run pruned) or a watch limit reached: the timer still wakes us.
      watcher.on('error', () => watcher.close());
      watchers.push(watcher);
    } catch {
      // Not watchable here: rely on the timer.
    }
  }
  return {
    next() {
      return new Promise<void>((resolve) => {
        let fallback: NodeJS.Timeout | null = null;
        let settle: NodeJS.Timeout | null = null;
        const done = (): void => {
          if (fallback) clearTimeout(fallback);
          if (settle) clearTimeout(settle);
          wake = null;
          changed = false;
          lastWake = Date.now();
          resolve();
        };
        const soon = (): void => {
          if (settle) return;
          settle = setTimeout(done, Math.max(0, lastWake + minIntervalMs - Date.now()));
        };
        fallback = setTimeout(done, fallbackMs);
        wake = soon;
        if (changed) soon();
      });
    },
    close() {
      for (const watcher of watchers) watcher.close();
      wake = null;
    },
  };
}
