// An attempt's files exist only when written: a silent task creates none, output written just before exit is all kept.
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { execute, type Spawner } from '../../src/executor/execute.js';
import { bashRequest } from './executor-helpers.js';

/** Every file under the request's temp dir (logs/, run/), relative to it. */
function filesIn(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => !entry.isDirectory())
    .map((entry) => join(entry.parentPath, entry.name).slice(dir.length + 1))
    .sort();
}

describe.each<Spawner>(['direct', 'helper', 'execa'])('files of an attempt via %s', (spawner) => {
  it('a task that prints nothing and writes no $BATON_OUTPUT creates no file; with secrets neither', async () => {
    for (const secrets of [[], ['s3cret']]) {
      const req = bashRequest('true', { secrets });
      expect(await execute(req, spawner)).toMatchObject({ status: 'completed', output: null, stdout: { text: '' }, stderr: { text: '' } });
      expect(filesIn(req.dir)).toEqual([]);
    }
  });

  it('a task that writes only to stderr leaves only its stderr log', async () => {
    const req = bashRequest('echo oops >&2; exit 3');
    expect(await execute(req, spawner)).toMatchObject({ status: 'failed', stderr: { text: 'oops\n' } });
    expect(filesIn(req.dir)).toEqual(['logs/stderr.log']);
  });

  it('keeps everything printed just before exit', async () => {
    const req = bashRequest('head -c 3000000 /dev/zero | tr "\\0" a; printf end; echo tail >&2; exit 0');
    const result = await execute(req, spawner);
    expect(result.status).toBe('completed');
    const stdout = readFileSync(req.stdoutPath, 'utf8');
    expect(stdout.length).toBe(3000003);
    expect(stdout.endsWith('aend')).toBe(true);
    expect(readFileSync(req.stderrPath, 'utf8')).toBe('tail\n');
  });

  it('$BATON_OUTPUT is created by the task: >, >> and jq all work', async () => {
    const req = bashRequest('echo a=1 > "$BATON_OUTPUT"; echo b=2 >> "$BATON_OUTPUT"');
    expect((await execute(req, spawner)).output).toEqual({ a: '1', b: '2' });
    expect(filesIn(req.dir)).toEqual(['run/output']);
    const viaJq = bashRequest('jq -n \'{n: 1}\' > $BATON_OUTPUT');
    expect((await execute(viaJq, spawner)).output).toEqual({ n: 1 });
  });

  it('refuses a symbolic link planted at the output path, and never reads through one the task made', async () => {
    const planted = bashRequest('echo x=1 > "$BATON_OUTPUT"');
    const victim = join(planted.dir, 'victim');
    writeFileSync(victim, 'precious\n');
    mkdirSync(join(planted.dir, 'run'));
    symlinkSync(victim, planted.outputFile);
    const refused = await execute(planted, spawner);
    expect(refused).toMatchObject({ status: 'failed', pid: null, error: expect.stringMatching(/refusing to write through a symbolic link/) });
    expect(readFileSync(victim, 'utf8')).toBe('precious\n');

    const made = bashRequest('echo k=v > secret; ln -s "$PWD/secret" "$BATON_OUTPUT"');
    expect(await execute(made, spawner)).toMatchObject({ status: 'completed', output: null });
  });

  it('removes a stale file at its paths before it starts', async () => {
    const req = bashRequest('true');
    mkdirSync(join(req.dir, 'logs'));
    writeFileSync(req.stdoutPath, 'stale\n');
    expect((await execute(req, spawner)).stdout.text).toBe('');
    expect(existsSync(req.stdoutPath)).toBe(false);
  });
});
