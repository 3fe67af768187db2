// The direct child_process.spawn path and the execa path give the same outcomes for the same requests.
import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { execute, type Spawner } from '../../src/executor/execute.js';
import { bashRequest, isGone, readPidFile, waitFor } from './executor-helpers.js';
import { procStat } from '../helpers/proc.js';

/** Process group and session of a pid, fields 5 and 6 of /proc/<pid>/stat. */
function groupAndSession(pid: number): { pgrp: number; session: number } {
  const fields = procStat(pid) ?? [];
  return { pgrp: Number(fields[2]), session: Number(fields[3]) };
}

describe.each<Spawner>(['direct', 'helper', 'execa'])('execute via %s', (spawner) => {
  it('writes stdout and stderr to the log files and reads their tails back', async () => {
    const req = bashRequest('echo out; echo err >&2; printf "k=v\\n" > "$BATON_OUTPUT"');
    const result = await execute(req, spawner);
    expect(result).toMatchObject({ status: 'completed', exitCode: 0, signal: null, error: null, output: { k: 'v' } });
    expect(readFileSync(req.stdoutPath, 'utf8')).toBe('out\n');
    expect(readFileSync(req.stderrPath, 'utf8')).toBe('err\n');
    expect(result.stderr).toEqual({ text: 'err\n', truncated: false });
  });

  it('maps exit codes and signals', async () => {
    expect(await execute(bashRequest('exit 4'), spawner)).toMatchObject({ status: 'failed', exitCode: 4, error: 'exit code 4' });
    expect(await execute(bashRequest('kill -USR1 $$'), spawner)).toMatchObject({ status: 'failed', signal: 'SIGUSR1', error: 'killed by SIGUSR1' });
  });

  it('uses exactly the given env and cwd, and feeds stdin or /dev/null', async () => {
    const req = bashRequest('echo "$ONLY"; echo "${HOME-unset}"; pwd; cat', { outputMode: 'lines', env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ONLY: 'x y' } });
    expect((await execute({ ...req, stdin: 'fed\n' }, spawner)).output).toEqual(['x y', 'unset', req.dir, 'fed']);
    expect((await execute(req, spawner)).output).toEqual(['x y', 'unset', req.dir]);
  });

  it('survives a child that exits without reading a large stdin', async () => {
    const result = await execute(bashRequest('exit 0', { stdin: 'x'.repeat(4 * 1024 * 1024) }), spawner);
    expect(result.status).toBe('completed');
  });

  it('starts the process in its own session and process group', async () => {
    const req = bashRequest('cat /proc/$$/stat > "$BATON_OUTPUT.stat"; sleep 0.2');
    let pid = 0;
    const running = execute({ ...req, onSpawn: (p) => (pid = p) }, spawner);
    await waitFor(() => pid !== 0);
    expect(groupAndSession(pid)).toEqual({ pgrp: pid, session: pid });
    expect((await running).status).toBe('completed');
  });

  it('creates missing log folders, and reuses existing ones', async () => {
    const req = bashRequest('echo again');
    rmSync(join(req.dir, 'logs'), { recursive: true, force: true });
    expect((await execute(req, spawner)).stdout.text).toBe('again\n');
    expect((await execute(req, spawner)).stdout.text).toBe('again\n');
  });

  it('names the reason a program cannot start', async () => {
    const req = bashRequest('');
    expect(await execute({ ...req, file: 'no-such-command-baton-test', args: [] }, spawner)).toMatchObject({
      status: 'failed',
      pid: null,
      error: 'command not found: no-such-command-baton-test',
    });
    const script = join(req.dir, 'not-executable');
    writeFileSync(script, '#!/bin/sh\necho hi\n', { mode: 0o644 });
    expect(await execute({ ...req, file: script, args: [] }, spawner)).toMatchObject({ status: 'failed', error: `permission denied: ${script}` });
    const garbage = join(req.dir, 'garbage');
    writeFileSync(garbage, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 0, 0]));
    chmodSync(garbage, 0o755);
    // execve fails with ENOEXEC in the forked child, which libuv reports as exit 127 on both paths.
    const result = await execute({ ...req, file: garbage, args: [] }, spawner);
    expect(result).toMatchObject({ status: 'failed', exitCode: 127, error: 'exit code 127' });
  });

  it('blames the log files, not the program, when they cannot be created', async () => {
    const req = bashRequest('echo never');
    const blocker = join(req.dir, 'blocker');
    writeFileSync(blocker, 'a file where the logs folder should be\n');
    const result = await execute({ ...req, stdoutPath: join(blocker, 'out.log'), stderrPath: join(blocker, 'err.log'), outputFile: join(blocker, 'output') }, spawner);
    expect(result).toMatchObject({ status: 'failed', pid: null });
    expect(result.error).toMatch(/^could not run the command: ENOTDIR: not a directory, lstat '.*blocker\/output'$/);
  });

  it('kills the whole group on timeout', async () => {
    const req = bashRequest('sleep 30 & echo $! > "$BATON_OUTPUT.child"; wait', { timeoutMs: 200, killGraceMs: 500 });
    const running = execute(req, spawner);
    const child = await readPidFile(`${req.outputFile}.child`);
    const result = await running;
    expect(result).toMatchObject({ status: 'timed_out', error: 'timed out after 200ms' });
    await waitFor(() => isGone(child));
  });

  it("'cancel' kills the group at once", async () => {
    const abort = new AbortController();
    const req = bashRequest('trap "" TERM; echo $$ > "$BATON_OUTPUT.pid"; sleep 30', { abort: abort.signal });
    const running = execute(req, spawner);
    const pid = await readPidFile(`${req.outputFile}.pid`);
    abort.abort('cancel');
    expect(await running).toMatchObject({ status: 'canceled', error: 'canceled' });
    await waitFor(() => isGone(pid));
  });
});

describe('execute: which path', () => {
  it('masks secrets through the piped path whatever the spawner', async () => {
    const req = bashRequest('echo "token=hunter2"', { secrets: ['hunter2'] });
    const result = await execute(req, 'direct');
    expect(readFileSync(req.stdoutPath, 'utf8')).toBe('token=***\n');
    expect(result.stdout.text).toBe('token=***\n');
  });

  it('streams live output through the piped path', async () => {
    const seen: string[] = [];
    const req = bashRequest('echo live', { onOutput: (stream, text) => seen.push(`${stream}:${text}`) });
    await execute(req, 'direct');
    expect(seen.join('')).toBe('stdout:live\n');
    expect(readFileSync(req.stdoutPath, 'utf8')).toBe('live\n');
  });
});
