// Starts a worker's watchdog process and tells it which process groups to kill if this worker dies.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface Watchdog {
  watch(pgid: number): void;
  unwatch(pgid: number): void;
  /** Closes the pipe: the watchdog kills what it still watches, and exits. */
  stop(): void;
}

export function startWatchdog(): Watchdog {
  const child = spawn(process.execPath, [fileURLToPath(new URL('./watchdog.js', import.meta.url))], {
    stdio: ['pipe', 'ignore', 'ignore'],
    detached: true, // its own group: a Ctrl-C or a kill of the worker's group does not reach it first
  });
  child.unref();
  const stdin = child.stdin;
  stdin.on('error', () => {});
  (stdin as unknown as { unref?: () => void }).unref?.();
  return {
    watch: (pgid) => void stdin.write(`+${pgid}\n`),
    unwatch: (pgid) => void stdin.write(`-${pgid}\n`),
    stop: () => stdin.end(),
  };
}
