// Store: run folder creation, journal round trips and crash recovery, snapshot schema checks and atomic writes.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RunStore, StoreError, readSnapshotFile, recordedRunStatus } from '../../src/store/index.js';
import { state } from '../helpers/model.js';
import { storeErrorOf } from '../helpers/store.js';
import { mountTmpfs, unmountTmpfs } from '../helpers/tmpfs.js';

let stateDir: string;
beforeEach(() => {
  stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-store-'));
});
afterEach(() => {
  fs.rmSync(stateDir, { recursive: true, force: true });
});

function snapshot(seq: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...state(), id: 'r1', status: 'running', seq, tasks: {}, ...extra };
}
function event(seq: number, extra: Record<string, unknown> = {}): { seq: number; [field: string]: unknown } {
  return { seq, at: '2024-01-01T00:00:00.000Z', type: 'task_started', key: `t${seq}`, ...extra };
}
function runPath(id: string, ...parts: string[]): string {
  return path.join(stateDir, 'runs', id, ...parts);
}
/** Create run r1 with events 1..n flushed to the journal and the initial snapshot (seq 0). */
function createWithEvents(n: number): void {
  const store = RunStore.create(stateDir, 'r1', 'name: demo\n', snapshot(0));
  for (let seq = 1; seq <= n; seq++) store.append(event(seq));
  store.close();
}

describe('a state folder that cannot be made', () => {
  it('on a read-only file system says so, not ENOENT (Node\'s recursive mkdir reports the missing leaf)', (ctx) => {
    const dir = mountTmpfs('ro,size=64k');
    if (dir === null) return ctx.skip('needs to mount a read-only tmpfs (root with CAP_SYS_ADMIN)');
    try {
      const error = storeErrorOf(() => RunStore.create(path.join(dir, '.baton'), 'r1', 'name: demo\n', snapshot(0)));
      expect(error.message).toBe(`read-only file system while creating ${path.join(dir, '.baton', 'runs')}`);
    } finally {
      unmountTmpfs(dir);
    }
  });

  it('reports the error of the level that could not be made (EROFS), as a read-only folder gives it', () => {
    // Without mounting: mkdir fails the way it does on a read-only file system, one level at a time or recursively.
    const real = fs.mkdirSync;
    const spy = vi.spyOn(fs, 'mkdirSync').mockImplementation(((dir: fs.PathLike, options?: fs.MakeDirectoryOptions) => {
      if (!String(dir).startsWith(stateDir)) return real(dir, options);
      const error = Object.assign(new Error(`mkdir '${String(dir)}'`), { code: options?.recursive ? 'ENOENT' : 'EROFS' });
      throw error;
    }) as typeof fs.mkdirSync);
    try {
      const error = storeErrorOf(() => RunStore.create(path.join(stateDir, 'deep', 'state'), 'r1', 'name: demo\n', snapshot(0)));
      expect(error.message).toBe(`read-only file system while creating ${path.join(stateDir, 'deep', 'state', 'runs')}`);
    } finally {
      spy.mockRestore();
    }
  });
});

describe('create', () => {
  it('lays out the run folder', () => {
    const store = RunStore.create(stateDir, 'r1', 'name: demo\ntasks: []\n', snapshot(0));
    expect(store.id).toBe('r1');
    expect(store.dir).toBe(runPath('r1'));
    expect(fs.readFileSync(runPath('r1', 'blueprint.yaml'), 'utf8')).toBe('name: demo\ntasks: []\n');
    expect(fs.readFileSync(runPath('r1', 'events.jsonl'), 'utf8')).toBe('');
    expect(fs.statSync(runPath('r1', 'logs')).isDirectory()).toBe(true);
    expect(JSON.parse(fs.readFileSync(runPath('r1', 'state.json'), 'utf8'))).toEqual(snapshot(0));
    expect(store.readBlueprintSource()).toBe('name: demo\ntasks: []\n');
    store.close();
  });

  it('refuses an existing run and leaves it untouched', () => {
    RunStore.create(stateDir, 'r1', 'a: 1\n', snapshot(0)).close();
    const before = fs.readFileSync(runPath('r1', 'state.json'));
    const error = storeErrorOf(() => RunStore.create(stateDir, 'r1', 'b: 2\n', snapshot(0, { status: 'x' })));
    expect(error.code).toBe('exists');
    expect(error.message).toContain('r1');
    expect(fs.readFileSync(runPath('r1', 'state.json'))).toEqual(before);
    expect(fs.readFileSync(runPath('r1', 'blueprint.yaml'), 'utf8')).toBe('a: 1\n');
  });

  it('builds the folder under a staging name, so a creator killed midway leaves no half run behind', async () => {
    // A real baton-like process that is killed with -9 halfway through: its staging folder stays, its id stays free.
    const dead = spawn('sleep', ['30']);
    const deadPid = dead.pid!;
    dead.kill('SIGKILL');
    await new Promise((resolve) => dead.once('exit', resolve));
    const runs = path.join(stateDir, 'runs');
    const leftover = path.join(runs, `~creating-r1-${deadPid}`);
    const live = path.join(runs, `~creating-r9-${process.pid}`);
    for (const dir of [leftover, live]) fs.mkdirSync(path.join(dir, 'logs'), { recursive: true });
    fs.writeFileSync(path.join(leftover, 'events.jsonl'), '');

    RunStore.create(stateDir, 'r1', 'name: demo\n', snapshot(0)).close();
    expect(JSON.parse(fs.readFileSync(runPath('r1', 'state.json'), 'utf8'))).toEqual(snapshot(0));
    expect(fs.existsSync(leftover)).toBe(false); // swept: its creator is gone
    expect(fs.existsSync(live)).toBe(true); // kept: its creator (this process) may still finish it
    expect(fs.readdirSync(runs).sort()).toEqual(['r1', `~creating-r9-${process.pid}`]);
  });

  it('rejects invalid run ids', () => {
    for (const id of ['..', '.', 'a/b', '', 'x'.repeat(101), 'sp ace']) {
      expect(storeErrorOf(() => RunStore.create(stateDir, id, '', snapshot(0))).code).toBe('invalid-id');
    }
  });

  it('open of a missing run is not-found naming the state dir', () => {
    const error = storeErrorOf(() => RunStore.open(stateDir, 'nope'));
    expect(error.code).toBe('not-found');
    expect(error.message).toContain(stateDir);
  });
});

describe('journal', () => {
  it('round trips: the snapshot plus only the events after it', () => {
    const store = RunStore.create(stateDir, 'r1', 'name: demo\n', snapshot(0));
    for (let seq = 1; seq <= 5; seq++) store.append(event(seq));
    store.flush();
    store.writeSnapshot(snapshot(3, { marker: 'three' }));
    store.append(event(6, { payload: { nested: ['a\nb', 1] } }));
    store.close();

    const opened = RunStore.open(stateDir, 'r1');
    expect(opened.warnings).toEqual([]);
    expect(opened.snapshot['seq']).toBe(3);
    expect(opened.snapshot['marker']).toBe('three');
    expect(opened.events.map((e) => e['seq'])).toEqual([4, 5, 6]);
    expect(opened.events[2]).toEqual(event(6, { payload: { nested: ['a\nb', 1] } }));
    // Appends continue from the last event.
    opened.store.append(event(7));
    opened.store.close();
    expect(RunStore.open(stateDir, 'r1').events.map((e) => e['seq'])).toEqual([4, 5, 6, 7]);
  });

  it('append only grows the journal by the new line and never rewrites state.json', () => {
    createWithEvents(3);
    const { store } = RunStore.open(stateDir, 'r1');
    const journal = runPath('r1', 'events.jsonl');
    const before = fs.readFileSync(journal);
    const inodeBefore = fs.statSync(journal).ino;
    const stateBefore = fs.readFileSync(runPath('r1', 'state.json'));
    const next = event(4, { output: 'x'.repeat(100) });
    store.append(next);
    expect(fs.readFileSync(journal)).toEqual(before); // queued, not yet written
    store.flush();
    const after = fs.readFileSync(journal);
    const line = Buffer.from(JSON.stringify(next) + '\n');
    expect(after.length).toBe(before.length + line.length);
    expect(after.subarray(0, before.length)).toEqual(before);
    expect(after.subarray(before.length)).toEqual(line);
    expect(fs.statSync(journal).ino).toBe(inodeBefore);
    expect(fs.readFileSync(runPath('r1', 'state.json'))).toEqual(stateBefore);
    store.close();
  });

  it('refuses an event that does not follow the last one', () => {
    const store = RunStore.create(stateDir, 'r1', '', snapshot(0));
    store.append(event(1));
    expect(() => store.append(event(3))).toThrow(/seq 3 does not follow 1/);
    expect(() => store.append(event(1))).toThrow();
    store.close();
  });

  it('drops a partial last line with a warning, changes nothing on open, and repairs for a driver', () => {
    createWithEvents(3);
    const journal = runPath('r1', 'events.jsonl');
    const whole = fs.readFileSync(journal);
    fs.appendFileSync(journal, '{"seq":4,"at":"2024-01-01T00:00:00.000Z","ty');
    const damaged = fs.readFileSync(journal);

    const opened = RunStore.open(stateDir, 'r1');
    expect(opened.events.map((e) => e['seq'])).toEqual([1, 2, 3]);
    expect(opened.warnings).toEqual([
      'events.jsonl: dropped a partial last line (crash while writing); recovered up to event 3',
    ]);
    expect(fs.readFileSync(journal)).toEqual(damaged);

    opened.store.acquireLock();
    opened.store.repairJournal();
    expect(fs.readFileSync(journal)).toEqual(whole);
    opened.store.append(event(4));
    opened.store.close();
    opened.store.releaseLock();

    const reopened = RunStore.open(stateDir, 'r1');
    expect(reopened.warnings).toEqual([]);
    expect(reopened.events.map((e) => e['seq'])).toEqual([1, 2, 3, 4]);
  });

  it('treats an unparsable last line as a crash remnant and repairs it on the next write', () => {
    createWithEvents(2);
    const journal = runPath('r1', 'events.jsonl');
    fs.appendFileSync(journal, '\0\0\0\n');
    const opened = RunStore.open(stateDir, 'r1');
    expect(opened.events.map((e) => e['seq'])).toEqual([1, 2]);
    expect(opened.warnings[0]).toContain('recovered up to event 2');
    // A write without an explicit repairJournal() must not glue onto the remnant.
    opened.store.append(event(3));
    opened.store.close();
    expect(RunStore.open(stateDir, 'r1').events.map((e) => e['seq'])).toEqual([1, 2, 3]);
  });

  it('a cut first line recovers up to event 0', () => {
    RunStore.create(stateDir, 'r1', '', snapshot(0)).close();
    fs.writeFileSync(runPath('r1', 'events.jsonl'), '{"seq":1,');
    const opened = RunStore.open(stateDir, 'r1');
    expect(opened.events).toEqual([]);
    expect(opened.warnings[0]).toContain('recovered up to event 0');
  });

  it('an unparsable line in the middle is corrupt, naming file and line', () => {
    createWithEvents(3);
    const journal = runPath('r1', 'events.jsonl');
    const lines = fs.readFileSync(journal, 'utf8').split('\n');
    lines[1] = '{not json';
    fs.writeFileSync(journal, lines.join('\n'));
    const error = storeErrorOf(() => RunStore.open(stateDir, 'r1'));
    expect(error.code).toBe('corrupt');
    expect(error.file).toBe(journal);
    expect(error.message).toContain(journal);
    expect(error.message).toContain('line 2');
  });

  it('a gap in seq is corrupt', () => {
    RunStore.create(stateDir, 'r1', '', snapshot(0)).close();
    const lines = [1, 2, 4].map((seq) => JSON.stringify(event(seq))).join('\n') + '\n';
    fs.writeFileSync(runPath('r1', 'events.jsonl'), lines);
    const error = storeErrorOf(() => RunStore.open(stateDir, 'r1'));
    expect(error.code).toBe('corrupt');
    expect(error.message).toContain('line 3');
  });

  it('a journal that does not join up with the snapshot is corrupt', () => {
    RunStore.create(stateDir, 'r1', '', snapshot(0)).close();
    fs.writeFileSync(runPath('r1', 'events.jsonl'), [2, 3].map((seq) => JSON.stringify(event(seq)) + '\n').join(''));
    expect(storeErrorOf(() => RunStore.open(stateDir, 'r1')).code).toBe('corrupt');
    fs.writeFileSync(runPath('r1', 'state.json'), JSON.stringify(snapshot(5)));
    expect(storeErrorOf(() => RunStore.open(stateDir, 'r1')).message).toContain('ends at event 3');
  });

  it('disk full while appending is an io error naming the file', () => {
    RunStore.create(stateDir, 'r1', '', snapshot(0)).close();
    const journal = runPath('r1', 'events.jsonl');
    const { store } = RunStore.open(stateDir, 'r1');
    // Swap in /dev/full after open (reading it would never end); the journal is opened for writing lazily.
    fs.rmSync(journal);
    fs.symlinkSync('/dev/full', journal);
    store.append(event(1));
    const error = storeErrorOf(() => store.flush());
    expect(error.code).toBe('io');
    expect(error.message).toBe(`disk full while writing ${journal}`);
  });

  it('events a failed write held are never written later, not even at close once space is back', () => {
    RunStore.create(stateDir, 'r1', '', snapshot(0)).close();
    const { store } = RunStore.open(stateDir, 'r1');
    store.append(event(1));
    vi.spyOn(fs, 'writeSync').mockImplementationOnce(() => {
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    });
    expect(storeErrorOf(() => store.flush()).message).toMatch(/^disk full while writing/);
    vi.restoreAllMocks();
    expect(storeErrorOf(() => store.flush()).message).toMatch(/^disk full while writing/);
    expect(storeErrorOf(() => store.writeSnapshot(snapshot(1))).message).toMatch(/^disk full while writing/);
    store.close();
    expect(fs.readFileSync(runPath('r1', 'events.jsonl'), 'utf8')).toBe('');
    expect(readSnapshotFile(runPath('r1', 'state.json'))['seq']).toBe(0);
  });
});

describe('state.json checks', () => {
  function replaceState(content: string): Buffer {
    RunStore.create(stateDir, 'r1', '', snapshot(0)).close();
    fs.writeFileSync(runPath('r1', 'state.json'), content);
    return fs.readFileSync(runPath('r1', 'state.json'));
  }

  it('a state.json that is not baton’s is foreign and left byte for byte', () => {
    const before = replaceState('{"hello":1}');
    const error = storeErrorOf(() => RunStore.open(stateDir, 'r1'));
    expect(error.code).toBe('foreign');
    expect(error.file).toBe(runPath('r1', 'state.json'));
    expect(error.message).toContain(runPath('r1', 'state.json'));
    expect(storeErrorOf(() => readSnapshotFile(runPath('r1', 'state.json'))).code).toBe('foreign');
    expect(fs.readFileSync(runPath('r1', 'state.json'))).toEqual(before);
  });

  it('a newer schema version is refused and left unchanged', () => {
    const before = replaceState(JSON.stringify({ ...snapshot(0), schema_version: 2 }));
    const error = storeErrorOf(() => RunStore.open(stateDir, 'r1'));
    expect(error.code).toBe('future-version');
    expect(error.message).toContain('schema version 2');
    expect(fs.readFileSync(runPath('r1', 'state.json'))).toEqual(before);
  });

  it('unparsable JSON is corrupt, naming the file', () => {
    replaceState('{"schema":"baton/run", "seq": ');
    const error = storeErrorOf(() => RunStore.open(stateDir, 'r1'));
    expect(error.code).toBe('corrupt');
    expect(error.message).toContain(runPath('r1', 'state.json'));
  });

  it('a run folder without state.json is corrupt', () => {
    RunStore.create(stateDir, 'r1', '', snapshot(0)).close();
    fs.rmSync(runPath('r1', 'state.json'));
    expect(storeErrorOf(() => RunStore.open(stateDir, 'r1')).code).toBe('corrupt');
  });
});

describe('writeSnapshot', () => {
  it('replaces state.json and leaves no temp file', () => {
    const store = RunStore.create(stateDir, 'r1', '', snapshot(0));
    store.append(event(1));
    store.writeSnapshot(snapshot(1, { status: 'completed' }));
    expect(readSnapshotFile(runPath('r1', 'state.json'))).toEqual(snapshot(1, { status: 'completed' }));
    expect(fs.readdirSync(runPath('r1')).sort()).toEqual(['blueprint.yaml', 'events.jsonl', 'logs', 'state.json']);
    // The journal was flushed before the snapshot so the snapshot is never ahead of it.
    expect(fs.readFileSync(runPath('r1', 'events.jsonl'), 'utf8')).toBe(JSON.stringify(event(1)) + '\n');
    store.close();
  });

  it('refuses a snapshot ahead of the journal', () => {
    const store = RunStore.create(stateDir, 'r1', '', snapshot(0));
    expect(() => store.writeSnapshot(snapshot(2))).toThrow(/ahead of the journal/);
    store.close();
  });

  it('disk full keeps the old state.json and removes the temp file', () => {
    const store = RunStore.create(stateDir, 'r1', '', snapshot(0));
    const before = fs.readFileSync(runPath('r1', 'state.json'));
    fs.symlinkSync('/dev/full', runPath('r1', `state.json.tmp-${process.pid}`));
    const error = storeErrorOf(() => store.writeSnapshot(snapshot(0, { status: 'completed' })));
    expect(error.code).toBe('io');
    expect(error.message).toBe(`disk full while writing ${runPath('r1', 'state.json')}`);
    expect(fs.readFileSync(runPath('r1', 'state.json'))).toEqual(before);
    expect(fs.existsSync(runPath('r1', `state.json.tmp-${process.pid}`))).toBe(false);
    store.close();
  });

  it('a concurrent reader never sees a half-written state.json', async () => {
    const store = RunStore.create(stateDir, 'r1', '', snapshot(0));
    const stateFile = runPath('r1', 'state.json');
    const stopFile = path.join(stateDir, 'stop');
    const reader = spawn(process.execPath, [
      '-e',
      `const fs = require('fs'); let reads = 0, bad = 0;
       JSON.parse(fs.readFileSync(${JSON.stringify(stateFile)}, 'utf8'));
       process.stdout.write('ready\\n');
       while (!fs.existsSync(${JSON.stringify(stopFile)})) {
         try { JSON.parse(fs.readFileSync(${JSON.stringify(stateFile)}, 'utf8')); reads++; } catch { bad++; }
       }
       console.log(JSON.stringify({ reads, bad }));`,
    ]);
    let output = '';
    reader.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<void>((resolve) => reader.on('exit', () => resolve()));
    await new Promise<void>((resolve) => reader.stdout.once('data', () => resolve()));
    output = '';
    const big = 'y'.repeat(512 * 1024);
    for (let seq = 1; seq <= 60; seq++) {
      store.append(event(seq));
      store.writeSnapshot(snapshot(seq, { big }));
    }
    fs.writeFileSync(stopFile, '');
    await exited;
    const result = JSON.parse(output) as { reads: number; bad: number };
    expect(result.bad).toBe(0);
    expect(result.reads).toBeGreaterThan(0);
    store.close();
  });
});

describe('opening for a reader that only shows the run', () => {
  /** Run r1: events 1..n, and a snapshot at event `snapshotSeq`. */
  function runWithSnapshotAt(n: number, snapshotSeq: number): void {
    const store = RunStore.create(stateDir, 'r1', 'name: demo\n', snapshot(0));
    for (let seq = 1; seq <= n; seq++) store.append(event(seq));
    store.flush();
    store.writeSnapshot(snapshot(snapshotSeq, { marker: `at ${snapshotSeq}` }));
    store.close();
  }
  function damageLine(n: number): void {
    const journal = runPath('r1', 'events.jsonl');
    const lines = fs.readFileSync(journal, 'utf8').split('\n');
    lines[n - 1] = '{not json';
    fs.writeFileSync(journal, lines.join('\n'));
  }

  it('takes a snapshot that includes the journal\'s last event as the state, without reading the journal', () => {
    runWithSnapshotAt(5, 5);
    damageLine(2);
    // A driver still checks every line before it writes…
    expect(storeErrorOf(() => RunStore.open(stateDir, 'r1')).message).toContain('line 2');
    // …a reader of a complete snapshot does not need to.
    const opened = RunStore.open(stateDir, 'r1', { completeSnapshot: true });
    opened.store.close();
    expect(opened.snapshot['marker']).toBe('at 5');
    expect(opened.events).toEqual([]);
    expect(opened.warnings).toEqual([]);
  });

  it('replays the events past the snapshot as a full open does', () => {
    runWithSnapshotAt(6, 3);
    const full = RunStore.open(stateDir, 'r1');
    full.store.close();
    const opened = RunStore.open(stateDir, 'r1', { completeSnapshot: true });
    opened.store.close();
    expect(opened.events.map((e) => e['seq'])).toEqual([4, 5, 6]);
    expect(opened.events).toEqual(full.events);
    expect(opened.eventLines).toEqual(full.eventLines);
  });

  it('reads the whole journal when its last line was cut by a crash', () => {
    runWithSnapshotAt(3, 3);
    fs.appendFileSync(runPath('r1', 'events.jsonl'), '{"seq":4,"at":"2024-01-01T00:00:00.000Z","ty');
    const opened = RunStore.open(stateDir, 'r1', { completeSnapshot: true });
    opened.store.close();
    expect(opened.warnings).toEqual(['events.jsonl: dropped a partial last line (crash while writing); recovered up to event 3']);
  });

  it('starts from a snapshot the caller has just read instead of reading state.json again', () => {
    runWithSnapshotAt(3, 3);
    const read = readSnapshotFile(runPath('r1', 'state.json'));
    fs.writeFileSync(runPath('r1', 'state.json'), '{ not what was read');
    const opened = RunStore.open(stateDir, 'r1', { completeSnapshot: true, snapshot: read });
    opened.store.close();
    expect(opened.snapshot).toBe(read);
    expect(storeErrorOf(() => RunStore.open(stateDir, 'r1')).code).toBe('corrupt');
  });
});

describe('recordedRunStatus', () => {
  it('is the last run_status or run_ended in the journal tail, ignoring outputs that mention them', () => {
    const store = RunStore.create(stateDir, 'r1', 'name: demo\n', snapshot(0));
    store.append(event(1, { type: 'run_status', status: 'waiting' }));
    store.append(event(2, { type: 'attempt_ended', key: 'x', output: '{"type":"run_status","status":"failed"}' }));
    store.flush();
    expect(recordedRunStatus(store.dir)).toBe('waiting');
    // A long run: the status event is far back, past the 64 KiB tail, so nothing is claimed.
    for (let seq = 3; seq < 800; seq++) store.append(event(seq, { pad: 'x'.repeat(100) }));
    store.flush();
    expect(recordedRunStatus(store.dir)).toBeNull();
    store.append(event(800, { type: 'run_ended', status: 'completed', error: null }));
    store.close();
    expect(recordedRunStatus(store.dir)).toBe('completed');
    expect(recordedRunStatus(path.join(stateDir, 'runs', 'missing'))).toBeNull();
  });
});

describe('paths', () => {
  it('log paths are relative, with "/" in keys encoded as "~"', () => {
    const store = RunStore.create(stateDir, 'r1', '', snapshot(0));
    expect(store.logPaths('outer[1].b[0].c', 2)).toEqual({
      stdout: 'logs/outer[1].b[0].c.2.stdout',
      stderr: 'logs/outer[1].b[0].c.2.stderr',
      output: 'logs/outer[1].b[0].c.2.output',
      script: 'logs/outer[1].b[0].c.2.script',
    });
    expect(store.logPaths('child/sub.x', 1).stdout).toBe('logs/child~sub.x.1.stdout');
    expect(store.resolve(store.logPaths('a', 1).stdout)).toBe(runPath('r1', 'logs', 'a.1.stdout'));
    expect(() => store.resolve('../r2/state.json')).toThrow(/outside the run folder/);
    store.close();
  });
});

describe('snapshotText', () => {
  it('writes the same document JSON.stringify would, one task at a time, pretty-printed', async () => {
    const { snapshotText } = await import('../../src/store/snapshot.js');
    const cases = [
      { schema: 'baton/run', seq: 0, tasks: {} },
      { schema: 'baton/run', seq: 3, tasks: { a: { n: [1, { b: 'x\ny' }] }, 'fe[0].t': { s: null } }, after: true },
    ];
    for (const c of cases) {
      const text = [...snapshotText(c)].join('');
      expect(JSON.parse(text)).toEqual(c);
      const { tasks, ...rest } = c;
      expect(text).toBe(`${JSON.stringify({ ...rest, tasks }, null, 2)}\n`); // tasks last, byte for byte
    }
  });
});
