// Requests from other processes to a run's driver (cancel, signal): one file each under <run>/control/, taken in order.
import fs from 'node:fs';
import path from 'node:path';
import { ioError } from './errors.js';
import { writeFileAtomic } from './snapshot.js';
import { ensureDir } from './ensure-dir.js';

const CONTROL_DIR = 'control';

export type ControlRequest =
  | { type: 'cancel'; by: string }
  | { type: 'signal'; keys: string[]; name: string | null; data: unknown; failed: boolean; reason: string | null };

export interface PendingRequest {
  file: string;
  request: ControlRequest;
}

/** Leaves a request for the driver; returns its file, which the driver removes once it has recorded the request. */
export function writeControlRequest(runDir: string, request: ControlRequest): string {
  const dir = path.join(runDir, CONTROL_DIR);
  const name = `${Date.now().toString().padStart(15, '0')}-${process.pid}-${Math.random().toString(36).slice(2, 8)}.json`;
  const file = path.join(dir, name);
  try {
    ensureDir(dir);
    writeFileAtomic(file, JSON.stringify(request));
  } catch (err) {
    throw ioError(err, 'writing', file);
  }
  return file;
}

/** Requests waiting for the driver, oldest first; unreadable ones are skipped (a writer may be mid-rename). */
function readControlRequests(runDir: string): PendingRequest[] {
  const dir = path.join(runDir, CONTROL_DIR);
  let names: string[];
  try {
    names = fs.readdirSync(dir).filter((n) => n.endsWith('.json')).sort();
  } catch {
    return [];
  }
  const out: PendingRequest[] = [];
  for (const name of names) {
    const file = path.join(dir, name);
    try {
      out.push({ file, request: JSON.parse(fs.readFileSync(file, 'utf8')) as ControlRequest });
    } catch {
      continue;
    }
  }
  return out;
}

function removeControlRequest(file: string): void {
  fs.rmSync(file, { force: true });
}

/** Watches the control folder; calls `onRequest` when something may have arrived. Returns a stop function. */
function watchControl(runDir: string, onRequest: () => void): () => void {
  const dir = path.join(runDir, CONTROL_DIR);
  ensureDir(dir);
  let watcher: fs.FSWatcher | null = null;
  try {
    watcher = fs.watch(dir, () => onRequest());
    watcher.on('error', () => undefined);
  } catch {
    watcher = null;
  }
  // inotify can miss events on some filesystems; a slow timer is the fallback, costing nothing measurable.
  const timer = setInterval(onRequest, 2000);
  timer.unref();
  return () => {
    watcher?.close();
    clearInterval(timer);
  };
}

/** The control folder of a run as the driver's inbox (the engine's ControlInbox port). */
export function controlInbox(runDir: string): {
  pending(): PendingRequest[];
  take(item: PendingRequest): void;
  watch(onRequest: () => void): () => void;
} {
  return {
    pending: () => readControlRequests(runDir),
    take: (item) => removeControlRequest(item.file),
    watch: (onRequest) => watchControl(runDir, onRequest),
  };
}
