// A run's journal and files as the e2e tests read them while a driver is writing.
import fs from 'node:fs';
import path from 'node:path';
import { start, waitFor } from './cli.js';

export const lines = (file: string) => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim().split('\n').filter(Boolean) : []);
/** The run's journal as far as it is written (a line being written is skipped). */
export function events(cwd: string, id: string): any[] {
  const file = path.join(cwd, '.baton/runs', id, 'events.jsonl');
  if (!fs.existsSync(file)) return [];
  return fs.readFileSync(file, 'utf8').split('\n').flatMap((l) => {
    try {
      return [JSON.parse(l)];
    } catch {
      return [];
    }
  });
}

/** Starts a run and returns once `ready` holds; the caller kills or signals it. */
export async function startUntil(cwd: string, args: string[], ready: () => boolean) {
  const driver = start(args, { cwd });
  await waitFor(ready, 15_000, 'the run to get going');
  return driver;
}
