// RunStore: one run folder on disk — create/open, journal appends, atomic snapshots, and the driver lock.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { StoreError, hasErrno, ioError } from './errors.js';
import { JournalWriter, checkJournalAgainstSnapshot, lastJournalSeq, parseJournal } from './journal.js';
import { isProcessAlive } from '../proc/stat.js';
import { acquireLockFile, readLockFile, releaseLockFile, type LockInfo } from './lock.js';
import { BLUEPRINT_FILE, JOURNAL_FILE, LOCK_FILE, LOGS_DIR, STATE_FILE, runDir, runsDir } from './paths.js';
import { isValidRunId } from './run-id.js';
import { assertSnapshotShape, fsyncDirectory, readSnapshotFile, snapshotText, writeFileAtomic } from './snapshot.js';
import { ensureDir } from './ensure-dir.js';

/** How a reader that only shows a run may open it; drivers pass neither (they check the whole journal before writing). */
export interface OpenOptions {
  /** When state.json already includes the journal's last event it is the state: the journal (megabytes for a big run) is not read. */
  completeSnapshot?: boolean;
  /** state.json as the caller has just read it with readSnapshotFile (and knows unchanged since), so it is not read again. */
  snapshot?: Record<string, unknown>;
}

export interface OpenedRun {
  store: RunStore;
  snapshot: Record<string, unknown>;
  /** Journal events newer than state.json: replay each after `checkEvent` (see event-shape.ts). */
  events: Record<string, unknown>[];
  /** The line of each of `events` in `journalFile`. */
  eventLines: number[];
  journalFile: string;
  warnings: string[];
}

/** Staging folders of runs being created: `~` is not allowed in run ids, so no listing takes them for runs. */
const STAGING_PREFIX = '~creating-';

/** Removes staging folders left by a baton that died while creating a run (`~creating-<id>-<pid>`). */
function sweepStaging(runs: string): void {
  let names: string[];
  try {
    names = fs.readdirSync(runs).filter((name) => name.startsWith(STAGING_PREFIX));
  } catch {
    return;
  }
  for (const name of names) {
    const pid = Number(name.slice(name.lastIndexOf('-') + 1));
    if (Number.isInteger(pid) && pid > 0 && !isProcessAlive(pid)) fs.rmSync(path.join(runs, name), { recursive: true, force: true });
  }
}

function checkRunId(id: string): void {
  if (!isValidRunId(id)) {
    throw new StoreError('invalid-id', `invalid run id "${id}": use 1-100 characters from A-Z a-z 0-9 _ . -`);
  }
}

export class RunStore {
  readonly dir: string;
  readonly id: string;
  private readonly journal: JournalWriter;
  private lastSeq: number;
  /** Byte length to cut the journal back to (a crash remnant was found at open); applied by the driver. */
  private repairTo: number | null;
  /** Set once state.json was checked to be baton's (or written by us); a foreign file is never overwritten. */
  private readonly ownsStateFile: boolean;
  private heldLock: LockInfo | null = null;
  private closed = false;
  /** The journal write that failed: the events it held are not on record, and none may be written after them. */
  private broken: StoreError | null = null;

  private constructor(dir: string, id: string, journalSize: number, lastSeq: number, repairTo: number | null) {
    this.dir = dir;
    this.id = id;
    this.journal = new JournalWriter(path.join(dir, JOURNAL_FILE), journalSize);
    this.lastSeq = lastSeq;
    this.repairTo = repairTo;
    this.ownsStateFile = true;
  }

  /**
   * Creates the run folder whole or not at all: it is built under a staging name and renamed into place, so a crash
   * midway leaves no half run that would block `run --run-id` with the same id (the staging folder is swept later).
   */
  static create(stateDir: string, id: string, blueprintSource: string, snapshot: object): RunStore {
    checkRunId(id);
    assertSnapshotShape(snapshot);
    const dir = runDir(stateDir, id);
    const runs = runsDir(stateDir);
    try {
      ensureDir(runs);
    } catch (err) {
      throw ioError(err, 'creating', runs);
    }
    const exists = (): StoreError => new StoreError('exists', `run "${id}" already exists in ${stateDir}`, dir);
    if (fs.existsSync(dir)) throw exists();
    sweepStaging(runs);
    const staging = path.join(runs, `${STAGING_PREFIX}${id}-${process.pid}`);
    try {
      fs.mkdirSync(staging);
      writeFileAtomic(path.join(staging, BLUEPRINT_FILE), blueprintSource);
      fs.writeFileSync(path.join(staging, JOURNAL_FILE), '', { flag: 'wx' });
      fs.mkdirSync(path.join(staging, LOGS_DIR));
      writeFileAtomic(path.join(staging, STATE_FILE), JSON.stringify(snapshot, null, 2) + '\n');
      fs.renameSync(staging, dir);
    } catch (err) {
      fs.rmSync(staging, { recursive: true, force: true });
      // Another baton created the same id meanwhile: renaming onto its (non-empty) folder fails.
      if (hasErrno(err, 'EEXIST') || hasErrno(err, 'ENOTEMPTY')) throw exists();
      throw ioError(err, 'creating', dir);
    }
    fsyncDirectory(runs);
    const seq = (snapshot as Record<string, unknown>)['seq'] as number;
    return new RunStore(dir, id, 0, seq, null);
  }

  static open(stateDir: string, id: string, options: OpenOptions = {}): OpenedRun {
    checkRunId(id);
    const dir = runDir(stateDir, id);
    if (!fs.existsSync(dir)) throw new StoreError('not-found', `no run "${id}" in ${stateDir}`, dir);
    const stateFile = path.join(dir, STATE_FILE);
    let snapshot: Record<string, unknown>;
    try {
      snapshot = options.snapshot ?? readSnapshotFile(stateFile);
    } catch (err) {
      if (err instanceof StoreError && err.code === 'not-found') {
        throw new StoreError('corrupt', `run folder ${dir} has no ${STATE_FILE} (incomplete run)`, stateFile);
      }
      throw err;
    }
    const journalFile = path.join(dir, JOURNAL_FILE);
    const snapshotSeq = snapshot['seq'] as number;
    const tail = options.completeSnapshot && snapshotSeq > 0 ? lastJournalSeq(journalFile) : null;
    if (tail !== null && tail.seq === snapshotSeq) {
      return { store: new RunStore(dir, id, tail.size, snapshotSeq, null), snapshot, events: [], eventLines: [], journalFile, warnings: [] };
    }
    let data: Buffer;
    try {
      data = fs.readFileSync(journalFile);
    } catch (err) {
      if (hasErrno(err, 'ENOENT')) throw new StoreError('corrupt', `${journalFile} is missing`, journalFile);
      throw ioError(err, 'reading', journalFile);
    }
    const journal = parseJournal(data, journalFile);
    checkJournalAgainstSnapshot(journal.events, snapshotSeq, journalFile);
    const lastEvent = journal.events[journal.events.length - 1];
    const lastSeq = lastEvent !== undefined ? (lastEvent['seq'] as number) : snapshotSeq;
    const warnings: string[] = [];
    if (journal.droppedPartialLine) {
      warnings.push(
        `${JOURNAL_FILE}: dropped a partial last line (crash while writing); recovered up to event ${lastEvent !== undefined ? lastSeq : 0}`,
      );
    }
    const store = new RunStore(dir, id, data.length, lastSeq, journal.droppedPartialLine ? journal.wholeBytes : null);
    const skip = journal.events.findIndex((event) => (event['seq'] as number) > snapshotSeq);
    const from = skip === -1 ? journal.events.length : skip;
    const events = journal.events.slice(from);
    return { store, snapshot, events, eventLines: journal.lines.slice(from), journalFile, warnings };
  }

  /** `--reload`: the run goes on with the blueprint as it is now, and later resumes use it too. */
  writeBlueprintSource(text: string): void {
    const file = path.join(this.dir, BLUEPRINT_FILE);
    try {
      writeFileAtomic(file, text);
    } catch (err) {
      throw ioError(err, 'writing', file);
    }
  }

  readBlueprintSource(): string {
    const file = path.join(this.dir, BLUEPRINT_FILE);
    try {
      return fs.readFileSync(file, 'utf8');
    } catch (err) {
      if (hasErrno(err, 'ENOENT')) throw new StoreError('corrupt', `${file} is missing`, file);
      throw ioError(err, 'reading', file);
    }
  }

  append(event: { seq: number }): void {
    this.assertOpen();
    if (event.seq !== this.lastSeq + 1) {
      // A gap or repeat would make the journal unreadable later; fail loudly at the source instead.
      throw new Error(`journal event seq ${event.seq} does not follow ${this.lastSeq}`);
    }
    this.journal.enqueue(JSON.stringify(event) + '\n');
    this.lastSeq = event.seq;
  }

  flush(): void {
    this.assertOpen();
    if (this.broken) throw this.broken;
    if (this.journal.pending === 0) return;
    try {
      this.repairJournal();
      this.journal.flush();
    } catch (err) {
      // Reported as not recorded: writing them later (at close, once space is freed) would contradict what was said.
      this.broken = ioError(err, 'writing', this.journal.file);
      throw this.broken;
    }
  }

  sync(): void {
    this.flush();
    this.journal.sync();
  }

  writeSnapshot(state: object): void {
    this.assertOpen();
    const file = path.join(this.dir, STATE_FILE);
    if (!this.ownsStateFile) throw new StoreError('foreign', `${file} is not baton's; refusing to overwrite it`, file);
    assertSnapshotShape(state);
    const seq = (state as Record<string, unknown>)['seq'] as number;
    if (seq > this.lastSeq) throw new Error(`snapshot seq ${seq} is ahead of the journal (last event ${this.lastSeq})`);
    // The journal must be durable up to the snapshot, or a crash could leave state.json ahead of it.
    this.sync();
    writeFileAtomic(file, snapshotText(state));
  }

  repairJournal(): void {
    if (this.repairTo === null) return;
    this.journal.truncate(this.repairTo);
    this.repairTo = null;
  }

  /** A `logs` that is a symbolic link (or not a folder) would make the driver write logs elsewhere: refused. */
  private checkLogsDir(): void {
    const logs = path.join(this.dir, LOGS_DIR);
    let stat: fs.Stats;
    try {
      stat = fs.lstatSync(logs);
    } catch (err) {
      if (hasErrno(err, 'ENOENT')) return; // made again by the first attempt
      this.releaseLock();
      throw ioError(err, 'reading', logs);
    }
    if (stat.isDirectory()) return;
    this.releaseLock();
    const what = stat.isSymbolicLink() ? 'a symbolic link' : 'not a folder';
    throw new StoreError('corrupt', `${logs} is ${what}: baton writes logs only into a real folder inside the run folder`, logs);
  }

  acquireLock(): { staleHolder: LockInfo | null } {
    const lockPath = path.join(this.dir, LOCK_FILE);
    const { held, staleHolder } = acquireLockFile(lockPath, `run ${this.id}`);
    this.heldLock = held;
    // Another driver may have written the run between our open() and this lock; our view would be stale.
    const journalFile = this.journal.file;
    let size: number;
    try {
      size = fs.statSync(journalFile).size;
    } catch (err) {
      this.releaseLock();
      throw ioError(err, 'reading', journalFile);
    }
    if (size !== this.journal.size) {
      this.releaseLock();
      throw new StoreError('locked', `run ${this.id} was changed by another driver while it was being opened; try again`, lockPath);
    }
    this.checkLogsDir();
    return { staleHolder };
  }

  releaseLock(): void {
    if (this.heldLock === null) return;
    const held = this.heldLock;
    this.heldLock = null;
    releaseLockFile(path.join(this.dir, LOCK_FILE), held);
  }

  readLock(): LockInfo | null {
    return readLockFile(path.join(this.dir, LOCK_FILE));
  }

  /** The files of one attempt, relative to the run folder: its logs, its $BATON_OUTPUT file, and a script file (`shell: … {0}`). */
  logPaths(key: string, attempt: number): { stdout: string; stderr: string; output: string; script: string } {
    const base = `${LOGS_DIR}/${logFileStem(key)}.${attempt}`;
    return { stdout: `${base}.stdout`, stderr: `${base}.stderr`, output: `${base}.output`, script: `${base}.script` };
  }

  resolve(relative: string): string {
    const absolute = path.resolve(this.dir, relative);
    if (absolute !== this.dir && !absolute.startsWith(this.dir + path.sep)) {
      throw new Error(`path "${relative}" is outside the run folder`);
    }
    return absolute;
  }

  close(): void {
    if (this.closed) return;
    if (this.broken) {
      this.closed = true;
      this.journal.close();
      return;
    }
    this.flush();
    this.journal.sync();
    this.journal.close();
    this.closed = true;
  }

  private assertOpen(): void {
    if (this.closed) throw new Error(`run store ${this.id} is closed`);
  }
}

/** Past this many characters a deeply nested key is shortened in file names (a name may hold 255 bytes). */
const MAX_LOG_STEM = 160;

/** A task key as a file name: `/` → `~`; a key too long for a file name keeps its start plus a hash of the whole. */
function logFileStem(key: string): string {
  const stem = key.replace(/\//g, '~');
  if (Buffer.byteLength(stem) <= MAX_LOG_STEM) return stem;
  return `${stem.slice(0, 100)}~${createHash('sha256').update(key).digest('hex').slice(0, 16)}`;
}
