// Store: state dir resolution, run ids, listing runs, resolving `<run>` arguments, and removing runs.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { state as runState } from '../helpers/model.js';
import { storeErrorOf } from '../helpers/store.js';
import {
  RunStore,
  StoreError,
  generateRunId,
  isValidRunId,
  listRuns,
  removeRun,
  resolveRunRef,
  resolveStateDir,
} from '../../src/store/index.js';

let stateDir: string;
beforeEach(() => {
  stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-runs-'));
});
afterEach(() => {
  fs.rmSync(stateDir, { recursive: true, force: true });
});

/** `startedAt: null` leaves the field out (a damaged state file, which still sorts by the folder's time). */
function createRun(id: string, startedAt?: string | null): void {
  const state: Record<string, unknown> = { ...runState({}, { id }) };
  if (startedAt === null) delete state['started_at'];
  else if (startedAt !== undefined) state['started_at'] = startedAt;
  RunStore.create(stateDir, id, 'name: demo\n', state).close();
}

describe('resolveStateDir', () => {
  it('prefers the flag, then $BATON_STATE_DIR, then <cwd>/.baton, always absolute', () => {
    const env = { BATON_STATE_DIR: 'from-env' };
    expect(resolveStateDir('flag-dir', env, '/home/u')).toBe('/home/u/flag-dir');
    expect(resolveStateDir('/abs/dir', env, '/home/u')).toBe('/abs/dir');
    expect(resolveStateDir(undefined, env, '/home/u')).toBe('/home/u/from-env');
    expect(resolveStateDir(undefined, { BATON_STATE_DIR: '' }, '/home/u')).toBe('/home/u/.baton');
    expect(resolveStateDir(undefined, {}, '/home/u')).toBe('/home/u/.baton');
  });
});

describe('run ids', () => {
  it('generates <yyyymmddThhmmssZ>-<workflow>-<4 random [a-z0-9]>', () => {
    const now = new Date('2024-03-05T07:08:09.123Z');
    const values = [0, 0.5, 0.999, 1];
    let i = 0;
    expect(generateRunId('thumbnails', now, () => values[i++] as number)).toBe('20240305T070809Z-thumbnails-as99');
    for (let n = 0; n < 50; n++) {
      const id = generateRunId('thumbnails', now);
      expect(id).toMatch(/^20240305T070809Z-thumbnails-[a-z0-9]{4}$/);
      expect(isValidRunId(id)).toBe(true);
    }
  });

  it('replaces characters outside [A-Za-z0-9_.-] and stays a valid id when long', () => {
    expect(generateRunId('my flow/v2:ß', new Date(0), () => 0)).toBe('19700101T000000Z-my-flow-v2---aaaa');
    const long = generateRunId('w'.repeat(300), new Date(0), () => 0);
    expect(long.length).toBeLessThanOrEqual(100);
    expect(isValidRunId(long)).toBe(true);
    expect(isValidRunId(generateRunId('', new Date(0)))).toBe(true);
  });

  it('generated ids sort by time', () => {
    const times = ['2023-12-31T23:59:59Z', '2024-01-01T00:00:00Z', '2024-01-01T00:00:01Z', '2024-10-02T09:00:00Z'];
    const ids = times.map((t) => generateRunId('w', new Date(t)));
    expect([...ids].reverse().sort()).toEqual(ids);
  });

  it('validates ids', () => {
    for (const ok of ['a', 'A-b_c.d', 'x'.repeat(100), '...', '.hidden']) expect(isValidRunId(ok)).toBe(true);
    for (const bad of ['', '.', '..', 'a/b', 'a b', 'x'.repeat(101), 'é', 'a\n']) expect(isValidRunId(bad)).toBe(false);
  });
});

describe('listRuns', () => {
  it('lists folders with a state.json only, and nothing when there is no state dir', () => {
    expect(listRuns(path.join(stateDir, 'missing'))).toEqual([]);
    createRun('r1');
    createRun('r2');
    fs.mkdirSync(path.join(stateDir, 'runs', 'half-created'));
    fs.writeFileSync(path.join(stateDir, 'runs', 'stray-file'), '');
    const runs = listRuns(stateDir).sort((a, b) => a.id.localeCompare(b.id));
    expect(runs).toEqual([
      { id: 'r1', dir: path.join(stateDir, 'runs', 'r1') },
      { id: 'r2', dir: path.join(stateDir, 'runs', 'r2') },
    ]);
  });
});

describe('resolveRunRef', () => {
  beforeEach(() => {
    // Names sort differently from start times, so `last` must read started_at.
    createRun('20240101T000000Z-build-aaaa', '2024-01-01T00:00:00.000Z');
    createRun('20240102T000000Z-build-bbbb', '2024-01-03T00:00:00.000Z');
    createRun('20240103T000000Z-deploy-cccc', '2024-01-02T00:00:00.000Z');
  });

  it('resolves an exact id, even one that is a substring of another', () => {
    createRun('build');
    expect(resolveRunRef(stateDir, 'build')).toBe('build');
    expect(resolveRunRef(stateDir, '20240101T000000Z-build-aaaa')).toBe('20240101T000000Z-build-aaaa');
  });

  it('resolves `last` to the most recently started run', () => {
    expect(resolveRunRef(stateDir, 'last')).toBe('20240102T000000Z-build-bbbb');
  });

  it('`last` falls back to the folder time when started_at is missing', () => {
    createRun('no-start-time', null);
    const future = new Date('2030-01-01T00:00:00Z');
    fs.utimesSync(path.join(stateDir, 'runs', 'no-start-time'), future, future);
    expect(resolveRunRef(stateDir, 'last')).toBe('no-start-time');
  });

  it('resolves a unique substring', () => {
    expect(resolveRunRef(stateDir, 'deploy')).toBe('20240103T000000Z-deploy-cccc');
    expect(resolveRunRef(stateDir, 'bbbb')).toBe('20240102T000000Z-build-bbbb');
  });

  it('an ambiguous substring lists the matches', () => {
    const error = storeErrorOf(() => resolveRunRef(stateDir, 'build'));
    expect(error.code).toBe('ambiguous');
    expect(error.message).toContain('20240101T000000Z-build-aaaa');
    expect(error.message).toContain('20240102T000000Z-build-bbbb');
    expect(error.message).not.toContain('deploy');
  });

  it('no match is not-found naming the state dir', () => {
    for (const ref of ['nothing', '']) {
      const error = storeErrorOf(() => resolveRunRef(stateDir, ref));
      expect(error.code).toBe('not-found');
      expect(error.message).toContain(stateDir);
    }
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-empty-'));
    try {
      const error = storeErrorOf(() => resolveRunRef(empty, 'last'));
      expect(error.code).toBe('not-found');
      expect(error.message).toContain(empty);
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });
});

describe('removeRun', () => {
  it('removes a run folder entirely', () => {
    createRun('r1');
    createRun('r2');
    removeRun(stateDir, 'r1');
    expect(fs.existsSync(path.join(stateDir, 'runs', 'r1'))).toBe(false);
    expect(listRuns(stateDir).map((r) => r.id)).toEqual(['r2']);
    expect(fs.readdirSync(path.join(stateDir, 'trash'))).toEqual([]);
  });

  it('refuses while a live driver holds the lock, and works once it is released', () => {
    createRun('r1');
    const { store } = RunStore.open(stateDir, 'r1');
    store.acquireLock();
    const error = storeErrorOf(() => removeRun(stateDir, 'r1'));
    expect(error.code).toBe('locked');
    expect(error.message).toContain(`pid ${process.pid}`);
    expect(fs.existsSync(path.join(stateDir, 'runs', 'r1', 'state.json'))).toBe(true);
    store.releaseLock();
    removeRun(stateDir, 'r1');
    expect(listRuns(stateDir)).toEqual([]);
  });

  it('unknown and invalid ids are errors', () => {
    expect(storeErrorOf(() => removeRun(stateDir, 'nope')).code).toBe('not-found');
    expect(storeErrorOf(() => removeRun(stateDir, '../x')).code).toBe('invalid-id');
  });
});
