// Tests of resolveShell, secret masking (live, logs, tails, output), JSON error positions and /proc helpers.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import {
  execute,
  resolveShell,
  signalGroup,
  type ExecRequest,
} from '../../src/executor/index.js';
import { StreamMasker } from '../../src/executor/masking.js';
import { jsonErrorOffset } from '../../src/executor/json-error.js';
import { isProcessAlive, processStartTime } from '../../src/proc/stat.js';
import { POSIX_SHELLS } from '../../src/blueprint/shells.js';
import { bashRequest, tempDir } from './executor-helpers.js';

const hasPython = spawnSync('python3', ['--version']).status === 0;

/** Run a `run:` script through resolveShell. */
function runScript(shell: string | undefined, script: string, overrides: Partial<ExecRequest> = {}) {
  const req = bashRequest('', overrides);
  return execute({ ...req, ...resolveShell(shell, script, join(req.dir, 'scripts', 'task.sh')) });
}

describe('resolveShell', () => {
  it('defaults to bash -eo pipefail -c', async () => {
    expect(resolveShell(undefined, 'echo hi', '/unused')).toEqual({ file: 'bash', args: ['-eo', 'pipefail', '-c', 'echo hi'] });
    expect(resolveShell('bash', 'echo hi', '/unused')).toEqual(resolveShell(undefined, 'echo hi', '/unused'));
    const errexit = await runScript(undefined, 'false; echo after');
    expect(errexit).toMatchObject({ status: 'failed', exitCode: 1, stdout: { text: '' } });
    const pipefail = await runScript(undefined, 'false | true; echo after');
    expect(pipefail).toMatchObject({ status: 'failed', exitCode: 1, stdout: { text: '' } });
  });

  it('runs sh (and other POSIX shells, also by path) with -e -c', async () => {
    expect(resolveShell('sh', 'x', '/unused')).toEqual({ file: 'sh', args: ['-e', '-c', 'x'] });
    expect(resolveShell('/bin/zsh', 'x', '/unused')).toEqual({ file: '/bin/zsh', args: ['-e', '-c', 'x'] });
    expect(await runScript('sh', 'false; echo after')).toMatchObject({ status: 'failed', exitCode: 1, stdout: { text: '' } });
  });

  it('runs every POSIX shell the blueprint check accepts with -e, ash included (one shell table)', () => {
    expect(resolveShell('ash', 'x', '/unused')).toEqual({ file: 'ash', args: ['-e', '-c', 'x'] });
    expect(resolveShell('/bin/ash', 'x', '/unused')).toEqual({ file: '/bin/ash', args: ['-e', '-c', 'x'] });
    for (const shell of POSIX_SHELLS.filter((name) => name !== 'bash')) {
      expect(resolveShell(shell, 'x', '/unused').args.slice(0, 1)).toEqual(['-e']);
    }
  });

  it('splits other shells into words and appends -c <script>', () => {
    expect(resolveShell('node --no-warnings', 'x', '/unused')).toEqual({ file: 'node', args: ['--no-warnings', '-c', 'x'] });
  });

  it.skipIf(!hasPython)('writes the script to a file for {0} (python3)', async () => {
    const req = bashRequest('', { outputMode: 'text' });
    const scriptPath = join(req.dir, 'scripts', 'task.py');
    const argv = resolveShell('python3 -u {0}', 'import os\nprint(os.environ["FOO"] * 2)', scriptPath);
    expect(argv).toEqual({ file: 'python3', args: ['-u', scriptPath] });
    expect(readFileSync(scriptPath, 'utf8')).toBe('import os\nprint(os.environ["FOO"] * 2)');
    const outcome = await execute({ ...req, ...argv, env: { ...req.env, FOO: 'ab' } });
    expect(outcome).toMatchObject({ status: 'completed', output: 'abab' });
  });
});

describe('secrets', () => {
  it('masks secrets split across chunk boundaries, live and in the log, tails and output', async () => {
    const secret = 'TOKEN-0123456789';
    const chunks: string[] = [];
    const script = [
      `printf 'abc ${secret.slice(0, 7)}'`,
      'sleep 0.2',
      `printf '${secret.slice(7)} def\\n'`,
      `echo "err ${secret}" >&2`,
      `echo "key=${secret}!" > "$BATON_OUTPUT"`,
    ].join('; ');
    const req = bashRequest(script, {
      secrets: [secret, ''],
      onOutput: (stream, text) => {
        if (stream === 'stdout') chunks.push(text);
      },
    });
    const result = await execute(req);
    expect(result.status).toBe('completed');
    expect(chunks.join('')).toBe('abc *** def\n');
    expect(readFileSync(req.stdoutPath, 'utf8')).toBe('abc *** def\n');
    expect(readFileSync(req.stderrPath, 'utf8')).toBe('err ***\n');
    expect(result.stdout.text).toBe('abc *** def\n');
    expect(result.stderr.text).toBe('err ***\n');
    expect(result.output).toEqual({ key: '***!' });
  });

  it('StreamMasker masks a secret at every split point and keeps other text intact', () => {
    const text = 'xx secret-value yy secret-value-long zz secret';
    const secrets = ['secret-value', 'secret-value-long'];
    for (let a = 0; a <= text.length; a++) {
      for (const b of [a, Math.min(text.length, a + 3)]) {
        const masker = new StreamMasker(secrets);
        const out = masker.push(text.slice(0, a)) + masker.push(text.slice(a, b)) + masker.push(text.slice(b)) + masker.flush();
        expect(out).toBe('xx *** yy *** zz secret');
      }
    }
  });

  it('output: json parses what the task wrote, then masks the value: a numeric secret stays valid JSON', async () => {
    const req = bashRequest(`echo '{"pin": 4242, "note": "pin 4242"}'`, { outputMode: 'json', secrets: ['4242'] });
    const result = await execute(req);
    expect(result.status).toBe('completed');
    expect(result.output).toEqual({ pin: '***', note: 'pin ***' });
    expect(result.outputMasked).toBe(true);
    expect(readFileSync(req.stdoutPath, 'utf8')).toBe('{"pin": ***, "note": "pin ***"}\n');
  });

  it('output: json that is invalid does not quote the secret in its error', async () => {
    const result = await execute(bashRequest(`echo '{"pin": s3cr3tValue}'`, { outputMode: 'json', secrets: ['s3cr3tValue'] }));
    expect(result.status).toBe('failed');
    expect(result.error).toContain('not valid JSON');
    expect(result.error).not.toContain('s3cr3tValue');
  });

  it('a numeric secret in the $BATON_OUTPUT JSON is masked in the value and in the file', async () => {
    const req = bashRequest(`echo '{"pin": 4242}' > "$BATON_OUTPUT"`, { secrets: ['4242'] });
    const result = await execute(req);
    expect(result.output).toEqual({ pin: '***' });
    expect(readFileSync(req.outputFile, 'utf8')).not.toContain('4242');
  });

  it('a command or cwd that is a secret is masked in the error and in the stderr log', async () => {
    const secret = 's3cr3tValue123456';
    const notFound = bashRequest('', { file: secret, args: [], secrets: [secret] });
    const a = await execute(notFound);
    expect(a.status).toBe('failed');
    expect(a.error).toContain('***');
    expect(`${a.error} ${a.stderr.text} ${readFileSync(notFound.stderrPath, 'utf8')}`).not.toContain(secret);
    const badCwd = bashRequest('true', { secrets: [secret] });
    const b = await execute({ ...badCwd, cwd: join(badCwd.dir, secret) });
    expect(b.status).toBe('failed');
    expect(`${b.error} ${b.stderr.text}`).not.toContain(secret);
  });

  it('onOutput alone (no secrets) streams output unchanged', async () => {
    let seen = '';
    const result = await execute(bashRequest('echo one; echo two', { onOutput: (_s, text) => (seen += text) }));
    expect(result.status).toBe('completed');
    expect(seen).toBe('one\ntwo\n');
  });
});

describe('JSON error positions', () => {
  it('finds the offset of the first syntax error', () => {
    expect(jsonErrorOffset('{"a": [1, 2]}')).toBe(-1);
    expect(jsonErrorOffset('{"a": 1,\n "b": oops}')).toBe(15);
    expect(jsonErrorOffset('[1, 2,]')).toBe(6);
    expect(jsonErrorOffset('{"a": 1} x')).toBe(9);
    expect(jsonErrorOffset('"unterminated')).toBe(13);
  });
});

describe('process helpers', () => {
  it('isProcessAlive / processStartTime: a reaped pid is gone, our own pid is alive', () => {
    const child = spawnSync('true');
    expect(child.pid).toBeGreaterThan(0);
    expect(isProcessAlive(child.pid as number)).toBe(false);
    expect(processStartTime(child.pid as number)).toBeNull();
    expect(isProcessAlive(process.pid)).toBe(true);
    expect(processStartTime(process.pid)).toMatch(/^\d+$/);
  });

  it('signalGroup ignores a group that no longer exists and refuses pgid <= 1', () => {
    const child = spawnSync('true');
    // Spied, so that a broken guard fails here instead of signalling this test's own group (kill(-0)) or everyone (kill(-1)).
    const kill = vi.spyOn(process, 'kill').mockImplementation((pid) => {
      if (pid === child.pid || pid === -(child.pid as number)) throw Object.assign(new Error('kill ESRCH'), { code: 'ESRCH' });
      throw new Error(`signalled ${pid}`);
    });
    try {
      expect(() => signalGroup(child.pid as number, 'SIGTERM')).not.toThrow();
      expect(kill).toHaveBeenCalledWith(-(child.pid as number), 'SIGTERM');
      kill.mockClear();
      for (const pgid of [0, 1, -1, -5, 1.5, Number.NaN]) signalGroup(pgid, 'SIGTERM');
      expect(kill).not.toHaveBeenCalled();
    } finally {
      kill.mockRestore();
    }
  });

  it('creates the output file\'s folder, not the file, before the task runs; a task that writes none leaves none', async () => {
    const dir = tempDir();
    const req = bashRequest('test ! -e "$BATON_OUTPUT" && test -d "${BATON_OUTPUT%/*}" && echo ok', {
      outputMode: 'text',
      outputFile: join(dir, 'deep', 'out'),
    });
    const result = await execute({ ...req, env: { ...req.env, BATON_OUTPUT: join(dir, 'deep', 'out') } });
    expect(result.output).toBe('ok');
    expect(existsSync(join(dir, 'deep', 'out'))).toBe(false);
  });
});
