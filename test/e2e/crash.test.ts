// kill -9 of the real driver at many seeded random moments, then resume: nothing recorded is lost or run twice.
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readState, start, tempDir, writeFiles } from '../helpers/cli.js';

/** mulberry32: a small seeded generator, so a failing schedule can be replayed with the same seed. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Every task takes a per-task lock (flock) for its whole life: a second attempt that overlaps a first one finds it taken.
const step = (indent: number) =>
  [
    'exec 9>"locks/$BATON_TASK_ID.lock"',
    'flock -n 9 || echo "OVERLAP $BATON_TASK_ID" >> overlap',
    'echo "start $BATON_TASK_ID $BATON_ATTEMPT" >> ledger',
    'sleep 0.$(( RANDOM % 10 ))',
    'echo "end $BATON_TASK_ID $BATON_ATTEMPT" >> ledger',
  ].map((l) => `\n${' '.repeat(indent)}${l}`).join('');

const BLUEPRINT = `
name: crashy
tasks:
  - id: a
    run: |${step(6)}
  - id: p
    parallel:
      - - id: b1
          run: |${step(12)}
        - id: b2
          run: |${step(12)}
      - - id: c1
          run: |${step(12)}
  - id: fe
    for_each: \${{ [1, 2, 3, 4, 5, 6] }}
    concurrency: 3
    do:
      - id: item
        run: |${step(10)}
  - id: v
    set: { done: true }
  - id: z
    run: |${step(6)}
`;

/**
 * Kills the driver at a seeded random point of its progress, not of the clock (a loaded machine may take longer
 * than any fixed delay just to start node): now and then before it records anything, otherwise once the journal has
 * grown by 1-8 events, plus up to 100 ms. Returns a function that stops watching.
 */
function killAtRandomPoint(child: ChildProcess, journalFile: string, random: () => number): () => void {
  const lines = () => (fs.existsSync(journalFile) ? fs.readFileSync(journalFile, 'utf8').split('\n').length - 1 : 0);
  const early = random() < 0.15;
  const target = lines() + 1 + Math.floor(random() * 8);
  const extra = Math.floor(random() * 100);
  let timer: NodeJS.Timeout | undefined;
  const kill = () => (timer = setTimeout(() => child.kill('SIGKILL'), extra));
  if (early) {
    kill();
    return () => clearTimeout(timer);
  }
  const poll = setInterval(() => {
    if (timer === undefined && lines() >= target) kill();
  }, 10);
  return () => {
    clearInterval(poll);
    clearTimeout(timer);
  };
}

const readLines = (file: string) => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').filter(Boolean) : []);

function journal(dir: string): any[] {
  return fs.readFileSync(path.join(dir, 'events.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
}

/** Keys whose completion is on record now (what must never run again). */
function completedOnRecord(dir: string): Set<string> {
  const done = new Set<string>();
  const text = fs.readFileSync(path.join(dir, 'events.jsonl'), 'utf8');
  for (const line of text.split('\n')) {
    if (!line.endsWith('}')) continue;
    try {
      const e = JSON.parse(line);
      if (e.type === 'attempt_ended' && e.status === 'completed') done.add(e.key);
    } catch {
      // a line cut by the kill: not on record
    }
  }
  return done;
}

function checkJournal(events: any[]): void {
  expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
  const open = new Map<string, number>();
  const completions = new Map<string, number>();
  for (const e of events) {
    if (e.type === 'attempt_started') {
      expect(open.has(e.key), `attempt ${e.attempt} of ${e.key} started while another was open`).toBe(false);
      open.set(e.key, e.attempt);
    } else if (e.type === 'attempt_ended') {
      expect(open.get(e.key), `attempt_ended of ${e.key} without its start`).toBe(e.attempt);
      open.delete(e.key);
      if (e.status === 'completed') completions.set(e.key, (completions.get(e.key) ?? 0) + 1);
    }
  }
  expect(open.size).toBe(0);
  for (const [key, n] of completions) expect(n, `${key} completed ${n} times`).toBe(1);
}

describe('crash safety', () => {
  it('survives 30+ kill -9 at random points: every completed task ran once, no attempts overlapped', async () => {
    const seed = Number(process.env.BATON_CRASH_SEED ?? 20261126);
    const random = seeded(seed);
    const cwd = writeFiles(tempDir('baton-crash-'), { 'wf.yaml': BLUEPRINT });
    fs.mkdirSync(path.join(cwd, 'locks'));
    let kills = 0;
    let runs = 0;
    const taskKeys = ['a', 'b1', 'b2', 'c1', ...[0, 1, 2, 3, 4, 5].map((i) => `fe[${i}].item`), 'z'];
    while (kills < 30 || runs === 0) {
      runs++;
      const id = `crash-${runs}`;
      const dir = path.join(cwd, '.baton/runs', id);
      const ledger = path.join(cwd, `ledger`);
      fs.rmSync(ledger, { force: true });
      const forbidden: { after: number; keys: Set<string> }[] = [];
      let args = ['run', 'wf.yaml', '--run-id', id];
      for (;;) {
        const driver = start(args, { cwd });
        const stop = killAtRandomPoint(driver.child, path.join(dir, 'events.jsonl'), random);
        const result = await driver.done;
        stop();
        if (result.signal === 'SIGKILL') {
          kills++;
          if (fs.existsSync(path.join(dir, 'events.jsonl'))) forbidden.push({ after: readLines(ledger).length, keys: completedOnRecord(dir) });
          args = fs.existsSync(path.join(dir, 'state.json')) ? ['resume', id] : ['run', 'wf.yaml', '--run-id', id];
          continue;
        }
        // Killed after the run ended: resume says so (and brings state.json up to date).
        if (result.code === 2 && /already finished \(completed\)/.test(result.stderr)) break;
        expect(result.code, `seed ${seed}, run ${id}: ${result.stderr}`).toBe(0);
        break;
      }
      const state = readState(cwd, id);
      expect(state.status, `seed ${seed}`).toBe('completed');
      for (const key of taskKeys) expect(state.tasks[key]?.status, `${key} (seed ${seed})`).toBe('completed');
      const lines = readLines(ledger);
      for (const { after, keys } of forbidden) {
        for (const line of lines.slice(after)) {
          const [what, key] = line.split(' ');
          if (what === 'start') expect(keys.has(key!), `${key} ran again after its completion was recorded (seed ${seed})`).toBe(false);
        }
      }
      const events = journal(dir);
      checkJournal(events);
      expect(state.seq).toBe(events[events.length - 1].seq);
    }
    expect(readLines(path.join(cwd, 'overlap')), `seed ${seed}`).toEqual([]);
    expect(kills).toBeGreaterThanOrEqual(30);
  }, 240_000);
});
