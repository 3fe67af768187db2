// Every error a user can cause carries its exit code, and the CLI exits with it: one table, one place.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/app/io.js';
import { BlueprintError } from '../../src/blueprint/diagnostics.js';
import { RerunTargetError } from '../../src/engine/core/reset.js';
import { BatonError, EXIT } from '../../src/errors/exit.js';
import { EnsureDirError } from '../../src/store/ensure-dir.js';
import { StoreError } from '../../src/store/index.js';
import { batonInProcess } from '../helpers/in-process.js';

describe('error → exit code', () => {
  const table: [string, BatonError, number][] = [
    ['usage', new UsageError('bad flag', 'a hint'), 2],
    ['blueprint', new BlueprintError('the blueprint of run x is not valid'), 2],
    ['store: not found', new StoreError('not-found', 'no run "x"'), 2],
    ['store: corrupt', new StoreError('corrupt', 'state.json is damaged', '/tmp/state.json'), 2],
    ['store: disk full', new StoreError('io', 'disk full while writing x', 'x'), 2],
    ['store: locked', new StoreError('locked', 'run x is being driven'), 2],
    ['run target', new RerunTargetError('build', ['test']), 2],
    ['state folder', new EnsureDirError('/x is not a folder', 'ENOTDIR'), 2],
  ];

  it.each(table)('%s error exits %i', (_name, error, code) => {
    expect(error).toBeInstanceOf(BatonError);
    expect(error.exitCode).toBe(code);
    expect(code).toBe(EXIT.usage); // README § Exit codes: every user-caused error is 2
  });

  it('keeps the hint a usage error is given', () => {
    expect(new UsageError('bad flag', 'a hint').hint).toBe('a hint');
    expect(new StoreError('io', 'disk full').hint).toBeUndefined();
  });
});

describe('main maps errors by their exit code', () => {
  it('a store error from a damaged run exits with its code, one message, no stack trace', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-errors-'));
    try {
      const run = path.join(dir, '.baton', 'runs', 'r1');
      fs.mkdirSync(run, { recursive: true });
      fs.writeFileSync(path.join(run, 'state.json'), '{ not json');
      fs.writeFileSync(path.join(run, 'events.jsonl'), '');
      const { code, stderr, stdout } = await batonInProcess(['status', 'r1', '--json'], dir);
      expect(code).toBe(EXIT.usage);
      expect(stderr).toMatch(/^baton: error: .*state\.json/m);
      expect(stderr).not.toMatch(/\n\s+at /);
      expect(JSON.parse(stdout)).toMatchObject({ error: expect.stringContaining('state.json') });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
