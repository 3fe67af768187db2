// `baton completion` end to end: each script is checked by its own shell (`-n`) and loaded into it to ask for
// completions — bash by calling _baton, zsh through a pseudo-terminal (test/helpers/zsh-complete.zsh), fish with `complete -C`.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { baton, BIN, ROOT, start, tempDir, waitFor, writeFiles } from '../helpers/cli.js';

const GATE = `name: gate
tasks:
  - id: process
    for_each: \${{ [1, 2] }}
    do:
      - { id: upload, run: "true" }
  - id: approve
    wait: { signal: go }
`;

/** A folder with `baton` on PATH, a blueprint, and run `w1` in `./other-state` left waiting for signal `go`. */
let cwd: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  cwd = writeFiles(tempDir(), { 'gate.yaml': GATE, 'ok.yaml': 'name: ok\ntasks:\n  - { id: a, run: "true" }\n', 'notes.txt': '' });
  const bin = path.join(cwd, 'bin');
  fs.mkdirSync(bin);
  fs.writeFileSync(path.join(bin, 'baton'), `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} "$@"\n`, { mode: 0o755 });
  env = { ...process.env, PATH: `${bin}:${process.env.PATH}`, BATON_STATE_DIR: undefined };
  const driver = start(['run', 'gate.yaml', '--run-id', 'w1', '--state-dir', 'other-state'], { cwd });
  const journal = path.join(cwd, 'other-state/runs/w1/events.jsonl');
  await waitFor(() => fs.existsSync(journal) && fs.readFileSync(journal, 'utf8').includes('"status":"waiting"'), 15_000, 'the run to wait');
  driver.child.kill('SIGINT');
  expect((await driver.done).code).toBe(130);
  expect((await baton(['run', 'ok.yaml', '--run-id', 'done-1', '--state-dir', 'other-state'], { cwd })).code).toBe(0);
}, 60_000);

async function script(shell: string): Promise<string> {
  const r = await baton(['completion', shell], { cwd });
  expect(r.code, r.stderr).toBe(0);
  const file = path.join(cwd, `completion.${shell}`);
  fs.writeFileSync(file, r.stdout);
  return file;
}

/** The shell is there (CI installs it: see .ci/run) and accepts the script's syntax. */
function syntaxOk(shell: string, file: string): void {
  expect(() => execFileSync(shell, ['-n', file], { stdio: 'pipe' }), `${shell} -n ${file}`).not.toThrow();
}

/** What bash completes for the words (the last one is being typed), with the script loaded. */
function bash(file: string, words: string[]): string[] {
  const program = `source ${JSON.stringify(file)}; COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _baton; printf '%s\\n' "\${COMPREPLY[@]}"`;
  return execFileSync('bash', ['-c', program], { cwd, env, encoding: 'utf8' }).split('\n').filter(Boolean).sort();
}

/** What zsh completes after each line is typed and TAB pressed, in one interactive zsh. */
function zsh(file: string, lines: string[]): string[][] {
  const out = execFileSync('zsh', [path.join(ROOT, 'test/helpers/zsh-complete.zsh'), file, ...lines], { cwd, env, encoding: 'utf8', timeout: 60_000 });
  return out.split(/^--$/m).slice(0, lines.length).map((block) => block.split('\n').filter(Boolean).sort());
}

/** What fish completes for the command line (candidates only, descriptions dropped). */
function fish(file: string, line: string): string[] {
  const out = execFileSync('fish', ['-c', `source ${JSON.stringify(file)}; complete -C ${JSON.stringify(line)}`], { cwd, env, encoding: 'utf8' });
  return out.split('\n').filter(Boolean).map((l) => l.split('\t')[0]!).sort();
}

describe('baton completion', () => {
  it('bash: a valid script that completes commands, flags, values, subcommands, files, run ids, task keys and signals', async () => {
    const file = await script('bash');
    syntaxOk('bash', file);
    expect(bash(file, ['baton', 'st'])).toEqual(['status']);
    expect(bash(file, ['baton', ''])).toEqual(expect.arrayContaining(['run', 'status', 'runs', 'logs', 'graph', 'completion', 'validate']));
    expect(bash(file, ['baton', ''])).not.toContain('__complete');
    expect(bash(file, ['baton', 'status', '--'])).toEqual(['--exit-status', '--help', '--json', '--state-dir', '--watch']);
    expect(bash(file, ['baton', 'logs', 'w1', '--f'])).toEqual(['--follow']);
    expect(bash(file, ['baton', 'graph', '--format', ''])).toEqual(['dot', 'mermaid']);
    expect(bash(file, ['baton', 'runs', ''])).toEqual(['prune']);
    expect(bash(file, ['baton', 'runs', '--status', 'fa'])).toEqual(['failed']);
    expect(bash(file, ['baton', 'run', ''])).toEqual(expect.arrayContaining(['gate.yaml', 'ok.yaml']));
    expect(bash(file, ['baton', 'run', ''])).not.toContain('notes.txt');
    expect(bash(file, ['baton', 'completion', ''])).toEqual(['bash', 'fish', 'zsh']);
    // Run ids come from the --state-dir on the line (also as --state-dir=DIR, which bash splits at `=`).
    expect(bash(file, ['baton', 'status', ''])).toEqual(['last']);
    expect(bash(file, ['baton', 'status', '--state-dir', 'other-state', ''])).toEqual(['done-1', 'last', 'w1']);
    expect(bash(file, ['baton', 'status', '--state-dir', '=', 'other-state', 'w'])).toEqual(['w1']);
    // What a run knows: its waiting signals and tasks, its task keys for logs and rerun --from.
    expect(bash(file, ['baton', 'signal', '--state-dir', 'other-state', 'w1', ''])).toEqual(['approve', 'go']);
    expect(bash(file, ['baton', 'logs', 'w1', '--state-dir', 'other-state', 'process['])).toEqual(['process[0].upload', 'process[1].upload']);
    expect(bash(file, ['baton', 'rerun', '--state-dir', 'other-state', 'w1', '--from', ''])).toEqual(['approve', 'process', 'process[0].upload', 'process[1].upload']);
  });

  it('zsh: a valid script that loads after compinit and completes the same things', async () => {
    const file = await script('zsh');
    syntaxOk('zsh', file);
    const [commands, flags, runs, signals, logs, from, prune] = zsh(file, [
      'baton ',
      'baton status --',
      'baton status --state-dir other-state ',
      'baton signal --state-dir other-state w1 ',
      'baton logs --state-dir other-state w1 ',
      'baton rerun --state-dir other-state w1 --from ',
      'baton runs ',
    ]);
    expect(commands).toEqual(expect.arrayContaining(['run', 'status', 'signal', 'help']));
    expect(commands).not.toContain('__complete');
    expect(flags).toEqual(expect.arrayContaining(['--exit-status', '--json', '--state-dir', '--watch']));
    expect(runs).toEqual(['done-1', 'last', 'w1']);
    expect(signals).toEqual(['approve', 'go']);
    expect(logs).toEqual(['approve', 'process', 'process[0].upload', 'process[1].upload']);
    expect(from).toEqual(['approve', 'process', 'process[0].upload', 'process[1].upload']);
    expect(prune).toEqual(['prune']);
  }, 90_000);

  it('fish: a valid script that completes the same things', async () => {
    const file = await script('fish');
    syntaxOk('fish', file);
    expect(fish(file, 'baton st')).toEqual(['status']);
    expect(fish(file, 'baton logs w1 --fo')).toEqual(['--follow']);
    expect(fish(file, 'baton graph --format ')).toEqual(['dot', 'mermaid']);
    expect(fish(file, 'baton status --state-dir other-state ')).toEqual(['done-1', 'last', 'w1']);
    expect(fish(file, 'baton signal --state-dir other-state w1 ')).toEqual(['approve', 'go']);
    expect(fish(file, 'baton logs --state-dir other-state w1 ')).toEqual(['approve', 'process', 'process[0].upload', 'process[1].upload']);
    expect(fish(file, 'baton rerun --state-dir other-state w1 --from ')).toEqual(['approve', 'process', 'process[0].upload', 'process[1].upload']);
    expect(fish(file, 'baton logs --state-dir other-state w1 approve ')).toEqual([]);
  });

  it('rejects an unknown shell', async () => {
    expect((await baton(['completion', 'tcsh'], { cwd })).code).toBe(2);
  });
});
