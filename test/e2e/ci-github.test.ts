// Inside GitHub Actions (GITHUB_ACTIONS=true): annotations, groups, masks and the step summary, line by line.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { baton, tempDir, writeFiles } from '../helpers/cli.js';

const commands = (stderr: string): string[] => stderr.split('\n').filter((l) => l.startsWith('::'));

describe('GitHub Actions', () => {
  it('validate: one ::error / ::warning per diagnostic, on the file relative to GITHUB_WORKSPACE, escaped', async () => {
    const ws = tempDir();
    const cwd = writeFiles(path.join(ws, 'sub'), {
      'a,b:c%.yaml': 'name: v\ntasks:\n  - { id: a, run: echo a, bogus: 1 }\n',
      'warn.yaml': 'name: v\ninputs:\n  x: { type: string, default: q }\ntasks:\n  - { id: a, run: "echo \'${{ inputs.x }}\'" }\n',
    });
    const env = { GITHUB_ACTIONS: 'true', GITHUB_WORKSPACE: ws };
    const r = await baton(['validate', 'a,b:c%.yaml'], { cwd, env });
    expect(r.code).toBe(2);
    expect(commands(r.stderr)).toEqual(['::error file=sub/a%2Cb%3Ac%25.yaml,line=3,col=27,title=baton%3A unknown-key::unknown key `bogus` in a task']);
    const warned = await baton(['validate', 'warn.yaml'], { cwd, env });
    expect(warned.code).toBe(0);
    expect(commands(warned.stderr)).toEqual(['::warning file=sub/warn.yaml,line=5,col=26,title=baton%3A expression-in-single-quotes::`${{ }}` inside single quotes is not expanded by the shell: use double quotes']);
    const off = await baton(['validate', 'a,b:c%.yaml', '--no-ci-annotations'], { cwd, env });
    expect(commands(off.stderr)).toEqual([]);
    const outside = await baton(['validate', 'a,b:c%.yaml'], { cwd, env: { GITHUB_WORKSPACE: ws } });
    expect(commands(outside.stderr)).toEqual([]);
  });

  it('run: masks, folded verbose output, an annotation per failed task, and the step summary', async () => {
    const cwd = writeFiles(tempDir(), {
      'wf.yaml': `
name: gh
secrets: [TOKEN]
tasks:
  - id: hello
    run: |
      echo "hi $TOKEN"
      echo "::warning::from the task"
  - id: boom
    run: 'printf "50%%, really:\\r\\nbad\\n" >&2; exit 3'
  - { id: sub, workflow: lib/child.yaml }
outputs:
  greeting: "a|b"
`,
      'lib/child.yaml': 'name: child\nsecrets: [SUB]\ntasks:\n  - { id: inner, run: "true" }\n',
    });
    const summary = path.join(cwd, 'summary.md');
    fs.writeFileSync(summary, '# earlier step\n');
    const r = await baton(['run', 'wf.yaml', '--verbose', '--run-id', 'gh1'], { cwd, env: { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary, TOKEN: 'p4ss', SUB: 'zz9' } });
    expect(r.code, r.stderr).toBe(1);
    const lines = commands(r.stderr);
    const stop = (lines[3] ?? '').replace('::stop-commands::', '');
    expect(stop).toMatch(/^baton-[0-9a-f]{16}$/);
    expect(lines).toEqual([
      '::add-mask::p4ss',
      '::add-mask::zz9',
      '::group::hello',
      `::stop-commands::${stop}`,
      '::warning::from the task',
      `::${stop}::`,
      '::endgroup::',
      '::group::boom',
      expect.stringMatching(/^::stop-commands::baton-/),
      expect.stringMatching(/^::baton-[0-9a-f]{16}::$/),
      '::endgroup::',
      '::error title=gh%3A boom::exit code 3',
    ]);
    expect(r.stderr).toContain('hi ***\n');
    expect(r.stderr).not.toContain('[hello]'); // the prefixed verbose lines are replaced by the groups
    const md = fs.readFileSync(summary, 'utf8');
    expect(md.startsWith('# earlier step\n## ✖ baton run `gh1` (gh): failed\n')).toBe(true);
    expect(md).toContain('| Task | Status | Attempts | Duration | Exit |');
    expect(md).toMatch(/\| hello \| ✔ completed \| 1 \| [\d.]+m?s \| 0 \|/);
    expect(md).toMatch(/\| boom \| ✖ failed \| 1 \| [\d.]+m?s \| 3 \|/);
    expect(md).toContain('| greeting | a\\|b |');
    expect(md).toContain('```mermaid\n');
    expect(md).toMatch(/classDef failed .*\n {2}class n2 failed/);
  });

  it('a failed task error with %, CR, LF, : and , is escaped as GitHub unescapes it', async () => {
    const cwd = writeFiles(tempDir(), { 'wf.yaml': 'name: w\ntasks:\n  - { id: t, command: ["/no/such\\r\\nthing, x:%"] }\n' });
    const r = await baton(['run', 'wf.yaml', '--no-ci-annotations'], { cwd, env: { GITHUB_ACTIONS: 'true' } });
    expect(commands(r.stderr)).toEqual([]);
    const on = await baton(['run', 'wf.yaml'], { cwd, env: { GITHUB_ACTIONS: 'true' } });
    const error = commands(on.stderr).find((l) => l.startsWith('::error'));
    expect(error).toBe('::error title=w%3A t::command not found: /no/such%0D%0Athing, x:%25');
  });
});
