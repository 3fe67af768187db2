// A run journal and control inbox kept in memory (tests, `baton test`): nothing is written, no lock is taken.
import path from 'node:path';
import type { ControlRequest } from './control.js';

/** Fits the engine's `RunJournal` port; `events` holds everything flushed, in order. */
export class MemoryJournal<E = unknown> {
  readonly events: E[] = [];
  private queued: E[] = [];

  /** `dir` is only named (BATON_RUN_DIR, log paths); nothing is created there unless a real attempt writes to it. */
  constructor(readonly dir: string) {}

  append(event: E): void {
    this.queued.push(event);
  }

  flush(): void {
    for (const e of this.queued) this.events.push(e);
    this.queued = [];
  }

  logPaths(key: string, attempt: number): { stdout: string; stderr: string; output: string; script: string } {
    const base = `logs/${key.replace(/\//g, '~')}.${attempt}`;
    return { stdout: `${base}.stdout`, stderr: `${base}.stderr`, output: `${base}.output`, script: `${base}.script` };
  }

  resolve(relative: string): string {
    return path.join(this.dir, relative);
  }
}

/** Fits the engine's `ControlInbox` port: requests are handed in by `send` rather than left in a folder. */
export class MemoryInbox {
  private items: { file: string; request: ControlRequest }[] = [];
  private listeners = new Set<() => void>();
  private count = 0;

  send(request: ControlRequest): void {
    this.items.push({ file: `request-${++this.count}`, request });
    for (const l of this.listeners) l();
  }

  pending(): { file: string; request: ControlRequest }[] {
    return [...this.items];
  }

  take(item: { file: string }): void {
    this.items = this.items.filter((i) => i.file !== item.file);
  }

  watch(onRequest: () => void): () => void {
    this.listeners.add(onRequest);
    return () => void this.listeners.delete(onRequest);
  }
}
