// `baton completion` end to end: the bash script is loaded into a real bash and asked for completions; zsh and fish are checked as text.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { baton, BIN, tempDir, writeFiles } from '../helpers/cli.js';

/** What bash completes for the words (the last one is being typed), with `baton` on PATH and the script loaded. */
function complete(cwd: string, script: string, words: string[]): string[] {
  const bin = path.join(cwd, 'bin');
  fs.mkdirSync(bin, { recursive: true });
  fs.writeFileSync(path.join(bin, 'baton'), `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} "$@"\n`, { mode: 0o755 });
  fs.writeFileSync(path.join(cwd, 'completion.bash'), script);
  const program = `source ./completion.bash; COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _baton; printf '%s\\n' "\${COMPREPLY[@]}"`;
  const env = { ...process.env, PATH: `${bin}:${process.env.PATH}` };
  return execFileSync('bash', ['-c', program], { cwd, env, encoding: 'utf8' }).split('\n').filter(Boolean).sort();
}

describe('baton completion', () => {
  it('bash: completes commands, flags, flag values, subcommands, blueprint files and run ids', async () => {
    const cwd = writeFiles(tempDir(), { 'ok.yaml': 'name: ok\ntasks:\n  - id: a\n    run: "true"\n', 'notes.txt': '' });
    expect((await baton(['run', 'ok.yaml', '--run-id', 'done-1'], { cwd })).code).toBe(0);
    const r = await baton(['completion', 'bash'], { cwd });
    expect(r.code).toBe(0);
    const script = r.stdout;
    expect(complete(cwd, script, ['baton', 'st'])).toEqual(['status']);
    expect(complete(cwd, script, ['baton', ''])).toEqual(expect.arrayContaining(['run', 'status', 'runs', 'logs', 'graph', 'completion', 'validate']));
    expect(complete(cwd, script, ['baton', 'status', '--'])).toEqual(['--exit-status', '--help', '--json', '--state-dir', '--watch']);
    expect(complete(cwd, script, ['baton', 'status', ''])).toEqual(['done-1', 'last']);
    expect(complete(cwd, script, ['baton', 'logs', 'done-1', '--f'])).toEqual(['--follow']);
    expect(complete(cwd, script, ['baton', 'graph', '--format', ''])).toEqual(['dot', 'mermaid']);
    expect(complete(cwd, script, ['baton', 'runs', ''])).toEqual(['prune']);
    expect(complete(cwd, script, ['baton', 'runs', 'prune', '--'])).toEqual(['--dry-run', '--help', '--keep', '--older-than', '--state-dir']);
    expect(complete(cwd, script, ['baton', 'runs', '--status', 'fa'])).toEqual(['failed']);
    expect(complete(cwd, script, ['baton', 'run', ''])).toEqual(expect.arrayContaining(['ok.yaml']));
    expect(complete(cwd, script, ['baton', 'run', ''])).not.toContain('notes.txt');
    expect(complete(cwd, script, ['baton', 'completion', ''])).toEqual(['bash', 'fish', 'zsh']);
  });

  it('zsh and fish: scripts that name every command and flag and complete run ids from `baton runs --json`', async () => {
    const cwd = tempDir();
    const zsh = (await baton(['completion', 'zsh'], { cwd })).stdout;
    expect(zsh.startsWith('#compdef baton')).toBe(true);
    expect(zsh).toContain('compdef _baton baton');
    expect(zsh).toContain("'--exit-status[exit 0 if the run completed");
    expect(zsh).toContain('_baton_runs_prune');
    expect(zsh).toContain('baton runs --json');
    const fish = (await baton(['completion', 'fish'], { cwd })).stdout;
    expect(fish).toContain("complete -c baton -n '__fish_seen_subcommand_from logs' -l follow");
    expect(fish).toContain("-l format -x -a 'mermaid dot'");
    expect(fish).toContain("-a '(__baton_run_ids)'");
    const bad = await baton(['completion', 'tcsh'], { cwd });
    expect(bad.code).toBe(2);
  });
});
