// Runs a blueprint written inline through the real driver, in memory, with mocked attempts (no process, no files).
import path from 'node:path';
import { tempDir, writeFiles } from '../../../helpers/cli.js';
import { loadBlueprint } from '../../../../src/blueprint/load.js';
import { driveInMemory, type InMemoryOptions, type InMemoryRun } from '../../../../src/app/drive-in-memory.js';
import { idOfKey } from '../../../../src/engine/core/keys.js';
import type { MockAttempt } from '../../../../src/executor/mock.js';

export interface HarnessOptions extends Omit<InMemoryOptions, 'plan'> {
  /** By task id or instance key; a list answers attempt 1, 2, … (its last entry answers the rest). Unmocked tasks exit 0. */
  mocks?: Record<string, MockAttempt | MockAttempt[]>;
  /** Files beside the blueprint (sub-workflows): then the blueprint is read from a temp folder, not from memory. */
  files?: Record<string, string>;
}

export async function runBlueprint(yaml: string, o: HarnessOptions = {}): Promise<InMemoryRun & { order: string[] }> {
  const loaded = o.files
    ? loadBlueprint(path.join(writeFiles(tempDir('baton-harness-'), { ...o.files, 'main.yaml': yaml }), 'main.yaml'))
    : loadBlueprint('/virtual/test.yaml', { source: yaml });
  if (!loaded.blueprint) throw new Error(loaded.diagnostics.map((d) => d.message).join('\n'));
  const mocks = o.mocks ?? {};
  const result = await driveInMemory(loaded.blueprint, {
    ...o,
    plan: (key, attempt) => {
      const mock = mocks[key] ?? mocks[idOfKey(key)] ?? {};
      return Array.isArray(mock) ? (mock[Math.min(attempt, mock.length) - 1] ?? {}) : mock;
    },
  });
  return { ...result, order: result.calls.map((c) => (c.attempt === 1 ? c.key : `${c.key}#${c.attempt}`)) };
}

/** Each task instance's status, by key. */
export function statuses(run: InMemoryRun): Record<string, string> {
  return Object.fromEntries(Object.values(run.state.tasks).map((t) => [t.key, t.status]));
}
