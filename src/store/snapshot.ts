// state.json: the checks every reader shares (header, then the whole shape), and atomic writes (temp file, fsync, rename, fsync dir).
import fs from 'node:fs';
import path from 'node:path';
import { instanceMap, STATE_SCHEMA, STATE_SCHEMA_VERSION } from '../engine/core/state.js';
import { StoreError, hasErrno, ioError } from './errors.js';
import { explain } from './shape.js';
import { stateProblem } from './state-shape.js';

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Check a parsed state file; `file` names it in the errors. */
function checkSnapshot(value: unknown, file: string): Record<string, unknown> {
  if (!isPlainObject(value) || value['schema'] !== STATE_SCHEMA) {
    throw new StoreError('foreign', `${file} is not a baton run state file (expected "schema": "${STATE_SCHEMA}")`, file);
  }
  const version = value['schema_version'];
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    throw new StoreError('corrupt', `${file} has no valid "schema_version"`, file);
  }
  if (version > STATE_SCHEMA_VERSION) {
    throw new StoreError(
      'future-version',
      `${file} has schema version ${version}; this baton understands up to ${STATE_SCHEMA_VERSION} (upgrade baton)`,
      file,
    );
  }
  const seq = value['seq'];
  if (typeof seq !== 'number' || !Number.isInteger(seq) || seq < 0) {
    throw new StoreError('corrupt', `${file} has no valid "seq" (journal position)`, file);
  }
  // The whole document, before anyone acts on it: a damaged file is reported, never driven on or overwritten.
  const problem = stateProblem(value);
  if (problem !== null) throw new StoreError('corrupt', `${file} is damaged: ${explain(problem)}`, file);
  return value;
}

export function readSnapshotFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if (hasErrno(err, 'ENOENT')) throw new StoreError('not-found', `${file} does not exist`, file);
    throw ioError(err, 'reading', file);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new StoreError('corrupt', `${file} is not valid JSON (${reason})`, file);
  }
  const snapshot = checkSnapshot(parsed, file);
  snapshot['tasks'] = instanceMap(snapshot['tasks'] as Record<string, unknown>);
  return snapshot;
}

/** Guard against the engine handing us something that open() would later reject. */
export function assertSnapshotShape(state: object): void {
  const record = state as Record<string, unknown>;
  if (record['schema'] !== STATE_SCHEMA) throw new TypeError(`snapshot must have "schema": "${STATE_SCHEMA}"`);
  const seq = record['seq'];
  if (typeof seq !== 'number' || !Number.isInteger(seq) || seq < 0) throw new TypeError('snapshot must have an integer "seq" >= 0');
}

export function fsyncDirectory(dir: string): void {
  let fd: number | null = null;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch (err) {
    // Some file systems refuse fsync on directories; the rename itself already happened.
    if (!hasErrno(err, 'EINVAL') && !hasErrno(err, 'EISDIR') && !hasErrno(err, 'EPERM')) throw ioError(err, 'syncing', dir);
  } finally {
    if (fd !== null) fs.closeSync(fd);
  }
}

function closeQuietly(fd: number): void {
  try {
    fs.closeSync(fd);
  } catch {
    // Already failing; the original error is the one worth reporting.
  }
}

/** Replace `file` with `content` so readers see either the old or the new file, never a mix. */
export function writeFileAtomic(file: string, content: string | Iterable<string>): void {
  const temp = `${file}.tmp-${process.pid}`;
  let fd: number | null = null;
  try {
    fd = fs.openSync(temp, 'w');
    for (const piece of typeof content === 'string' ? [content] : batched(content)) {
      const data = Buffer.from(piece, 'utf8');
      let written = 0;
      while (written < data.length) written += fs.writeSync(fd, data, written, data.length - written);
    }
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = null;
    fs.renameSync(temp, file);
  } catch (err) {
    if (fd !== null) closeQuietly(fd);
    fs.rmSync(temp, { force: true });
    throw ioError(err, 'writing', file);
  }
  fsyncDirectory(path.dirname(file));
}

/** Joins small pieces into ~64 KiB writes. */
function* batched(pieces: Iterable<string>): Iterable<string> {
  let buffer = '';
  for (const piece of pieces) {
    buffer += piece;
    if (buffer.length >= 65536) {
      yield buffer;
      buffer = '';
    }
  }
  if (buffer !== '') yield buffer;
}

/**
 * state.json, pretty-printed, one task instance at a time: a 10,000-task run would otherwise build the whole
 * document as one string (tens of MB at the end of the run, the peak of its memory).
 */
export function* snapshotText(state: object): Iterable<string> {
  const { tasks, ...rest } = state as { tasks?: Record<string, unknown> };
  const head = JSON.stringify(rest, null, 2);
  if (tasks === undefined) {
    yield `${head}\n`;
    return;
  }
  yield `${head.slice(0, -2)},\n  "tasks": {`;
  let first = true;
  for (const key of Object.keys(tasks)) {
    const body = JSON.stringify(tasks[key], null, 2).replace(/\n/g, '\n    ');
    yield `${first ? '\n' : ',\n'}    ${JSON.stringify(key)}: ${body}`;
    first = false;
  }
  yield `${first ? '}' : '\n  }'}\n}\n`;
}
