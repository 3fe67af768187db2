// Integration tests of execute(): exit codes, logs, env/cwd/stdin, output modes, caps and tails, spawn errors.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { execute } from '../../src/executor/index.js';
import { bashRequest } from './executor-helpers.js';

describe('execute: exit and logs', () => {
  it('completes on exit 0 and writes stdout/stderr to the log files', async () => {
    const req = bashRequest('echo out; echo err >&2');
    const result = await execute(req);
    expect(result).toMatchObject({ status: 'completed', exitCode: 0, signal: null, error: null, output: null });
    expect(result.pid).toBeGreaterThan(1);
    expect(readFileSync(req.stdoutPath, 'utf8')).toBe('out\n');
    expect(readFileSync(req.stderrPath, 'utf8')).toBe('err\n');
    expect(result.stdout).toEqual({ text: 'out\n', truncated: false });
    expect(result.stderr).toEqual({ text: 'err\n', truncated: false });
    expect(existsSync(req.outputFile)).toBe(false); // the task wrote none
  });

  it('fails with the exit code', async () => {
    const result = await execute(bashRequest('echo nope >&2; exit 3'));
    expect(result).toMatchObject({ status: 'failed', exitCode: 3, signal: null, error: 'exit code 3' });
    expect(result.stderr.text).toBe('nope\n');
  });

  it('fails when killed by a signal it did not get from us', async () => {
    const result = await execute(bashRequest('kill -SEGV $$'));
    expect(result).toMatchObject({ status: 'failed', exitCode: null, signal: 'SIGSEGV', error: 'killed by SIGSEGV' });
  });

  it('uses exactly the given env and cwd, and feeds stdin', async () => {
    const req = bashRequest('echo "$FOO"; echo "${HOME-unset}"; pwd; cat', { stdin: 'from stdin', outputMode: 'lines' });
    const sub = join(req.dir, 'sub dir');
    mkdirSync(sub);
    const result = await execute({ ...req, cwd: sub, env: { ...req.env, FOO: 'bar baz' } });
    expect(result.status).toBe('completed');
    expect(result.output).toEqual(['bar baz', 'unset', sub, 'from stdin']);
  });

  it('gives /dev/null as stdin when none is set', async () => {
    const result = await execute(bashRequest('cat; echo done', { outputMode: 'text' }));
    expect(result).toMatchObject({ status: 'completed', output: 'done' });
  });

  it('truncates existing log files', async () => {
    const req = bashRequest('echo second');
    await execute({ ...req, args: ['-c', 'echo first-run-with-longer-text'] });
    await execute(req);
    expect(readFileSync(req.stdoutPath, 'utf8')).toBe('second\n');
  });
});

describe('execute: output modes', () => {
  it('file: JSON written to $BATON_OUTPUT is parsed', async () => {
    const result = await execute(bashRequest('echo \'{"n": 2, "list": [1, "x"]}\' > "$BATON_OUTPUT"'));
    expect(result.output).toEqual({ n: 2, list: [1, 'x'] });
  });

  it('file: key=value lines become an object; blank lines are skipped; values keep =', async () => {
    const result = await execute(bashRequest('printf "a=1\\n\\nurl=x?y=z\\n\\nempty=\\n" > "$BATON_OUTPUT"'));
    expect(result.output).toEqual({ a: '1', url: 'x?y=z', empty: '' });
  });

  it('file: GitHub-style name<<DELIMITER multi-line values', async () => {
    const script = 'printf "a=1\\nnotes<<EOF\\nline one\\n\\nx=y stays text\\nEOF\\nb<<END\\nEND\\nc=3\\n" > "$BATON_OUTPUT"';
    const result = await execute(bashRequest(script));
    expect(result).toMatchObject({ status: 'completed', error: null });
    expect(result.output).toEqual({ a: '1', notes: 'line one\n\nx=y stays text', b: '', c: '3' });
  });

  it.each([
    ['a line that is not a pair', 'a=1\\nnot a pair\\n', 'output: $BATON_OUTPUT line 2: expected `name=value` or `name<<DELIMITER`, got `not a pair`'],
    ['a missing closing delimiter', 'notes<<EOF\\nline\\n', 'output: $BATON_OUTPUT line 1: no line `EOF` ends the value of `notes`, got `notes<<EOF`'],
    ['a secret in the line at fault', 'oops hunter2\\n', 'output: $BATON_OUTPUT line 1: expected `name=value` or `name<<DELIMITER`, got `oops ***`'],
  ])('file: %s fails the attempt, naming the line', async (_, text, error) => {
    const req = bashRequest(`printf "${text}" > "$BATON_OUTPUT"`);
    const result = await execute({ ...req, secrets: ['hunter2'] });
    expect(result).toMatchObject({ status: 'failed', exitCode: 0, output: null, error });
  });

  it('file: nothing written → null', async () => {
    const result = await execute(bashRequest('echo stdout is not output'));
    expect(result).toMatchObject({ status: 'completed', output: null });
  });

  it('json: stdout parsed as JSON', async () => {
    const result = await execute(bashRequest('echo \'[{"a": true}, null]\'', { outputMode: 'json' }));
    expect(result).toMatchObject({ status: 'completed', output: [{ a: true }, null] });
  });

  it('json: invalid JSON fails the attempt even with exit 0, naming the line', async () => {
    const result = await execute(bashRequest('printf \'{"a": 1,\\n "b": oops}\\n\'', { outputMode: 'json' }));
    expect(result.status).toBe('failed');
    expect(result.exitCode).toBe(0);
    expect(result.output).toBeNull();
    expect(result.error).toMatch(/^output: json: stdout is not valid JSON \(Unexpected token .* at line 2 column 7\)$/);
  });

  it('json: empty stdout fails with a clear error', async () => {
    const result = await execute(bashRequest('true', { outputMode: 'json' }));
    expect(result).toMatchObject({ status: 'failed', error: 'output: json: stdout is empty, expected JSON' });
  });

  it('text: exactly one trailing newline is trimmed', async () => {
    const result = await execute(bashRequest('printf "a\\nb\\n\\n"', { outputMode: 'text' }));
    expect(result.output).toBe('a\nb\n');
  });

  it('lines: the non-empty lines of stdout', async () => {
    const result = await execute(bashRequest('printf "x\\n\\ny z\\n\\n"', { outputMode: 'lines' }));
    expect(result.output).toEqual(['x', 'y z']);
  });

  it('output is parsed only after exit 0', async () => {
    const result = await execute(bashRequest('echo not-json; exit 1', { outputMode: 'json' }));
    expect(result).toMatchObject({ status: 'failed', error: 'exit code 1', output: null });
  });

  it('stdout over 16 MiB fails output parsing but the log keeps it all', async () => {
    const req = bashRequest('head -c 16777300 /dev/zero | tr "\\0" a', { outputMode: 'text' });
    const result = await execute(req);
    expect(result).toMatchObject({ status: 'failed', exitCode: 0, error: 'output: stdout is over 16 MiB', output: null });
    expect(readFileSync(req.stdoutPath).length).toBe(16777300);
    expect(result.stdout.truncated).toBe(true);
  });

  it('keeps the last 64 KiB of stdout, flagged truncated', async () => {
    const result = await execute(bashRequest('head -c 70000 /dev/zero | tr "\\0" a; echo END'));
    expect(result.stdout.truncated).toBe(true);
    expect(Buffer.byteLength(result.stdout.text)).toBe(65536);
    expect(result.stdout.text.endsWith('aaaEND\n')).toBe(true);
  });
});

describe('execute: cannot start', () => {
  it('a missing program fails with "command not found", and the stderr log says so', async () => {
    const req = bashRequest('');
    const result = await execute({ ...req, file: 'no-such-command-baton-test', args: [] });
    expect(result).toMatchObject({
      status: 'failed',
      exitCode: null,
      pid: null,
      error: 'command not found: no-such-command-baton-test',
    });
    expect(readFileSync(req.stderrPath, 'utf8')).toBe('command not found: no-such-command-baton-test\n');
    expect(result.stderr.text).toBe('command not found: no-such-command-baton-test\n');
  });

  it('a file without execute permission fails with "permission denied"', async () => {
    const req = bashRequest('');
    const script = join(req.dir, 'script.sh');
    await import('node:fs').then((fs) => fs.writeFileSync(script, '#!/bin/sh\necho hi\n', { mode: 0o644 }));
    const result = await execute({ ...req, file: script, args: [] });
    expect(result).toMatchObject({ status: 'failed', exitCode: null, error: `permission denied: ${script}` });
  });

  it('a missing cwd fails with a clear error instead of a misleading ENOENT', async () => {
    const req = bashRequest('echo hi');
    const result = await execute({ ...req, cwd: join(req.dir, 'missing') });
    expect(result).toMatchObject({ status: 'failed', pid: null, error: `cwd does not exist: ${join(req.dir, 'missing')}` });
  });
});
