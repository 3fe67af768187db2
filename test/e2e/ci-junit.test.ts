// `--junit FILE`: a JUnit report valid against the common XSD however the run ends (completed, failed, timed out, Ctrl-C).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { baton, tempDir, writeFiles } from '../helpers/cli.js';
import { startUntil } from '../helpers/journal.js';
import { xmllintValid } from '../helpers/junit.js';

/** The report, after xmllint checked it against the XSD. */
function report(cwd: string, name = 'junit.xml'): string {
  const file = path.join(cwd, name);
  xmllintValid(file, true);
  expect(fs.readdirSync(path.dirname(file)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  return fs.readFileSync(file, 'utf8');
}

describe('--junit', () => {
  it('a completed run with a sub-run: one suite each, one testcase per command task, skipped ones marked', async () => {
    const cwd = writeFiles(tempDir(), {
      'wf.yaml': `
name: main
tasks:
  - { id: build, run: echo built }
  - { id: never, if: "\${{ false }}", run: echo no }
  - { id: set, set: { a: 1 } }
  - { id: sub, workflow: lib/child.yaml }
`,
      'lib/child.yaml': 'name: child\ntasks:\n  - { id: inner, command: [echo, inner] }\n',
    });
    const r = await baton(['run', 'wf.yaml', '--junit', 'junit.xml'], { cwd });
    expect(r.code, r.stderr).toBe(0);
    const xml = report(cwd);
    expect(xml).toContain('<testsuites name="baton run');
    expect(xml).toMatch(/<testsuite name="main \([^)]+\)" tests="2" failures="0" errors="0" skipped="1"/);
    expect(xml).toMatch(/<testsuite name="main \([^)]+\) \/ sub" tests="1"/);
    expect(xml).toContain('<testcase name="build" classname="main"');
    expect(xml).toContain('<system-out>built\n</system-out>');
    expect(xml).toMatch(/<testcase name="never" classname="main" time="[\d.]+">\s*<skipped message="its `if` was false"\/>/);
    expect(xml).toContain('<testcase name="sub/inner" classname="child"');
    expect(xml).not.toContain('name="set"');
  });

  it('a failed run (BATON_JUNIT): the failure has the exit code and the log tail; hostile output stays well-formed', async () => {
    const cwd = writeFiles(tempDir(), {
      'wf.yaml': `
name: hostile
secrets: [TOKEN]
tasks:
  - id: noisy
    run: |
      printf 'a < b && c > d ]]> "q" \\033[31mred\\033[0m \\033]0;title\\007 nul\\001 bytes\\377\\376 end\\n'
      echo "token=$TOKEN" >&2
      exit 4
`,
    });
    fs.mkdirSync(path.join(cwd, 'reports'));
    const r = await baton(['run', 'wf.yaml'], { cwd, env: { BATON_JUNIT: 'reports/junit.xml', TOKEN: 'hunter2' } });
    expect(r.code, r.stderr).toBe(1);
    const xml = report(cwd, 'reports/junit.xml');
    expect(xml).toMatch(/<failure message="exit code 4" type="failed">token=\*\*\*<\/failure>/);
    expect(xml).toContain('<system-out>a &lt; b &amp;&amp; c &gt; d ]]&gt; "q" red  nul bytes\ufffd\ufffd end\n</system-out>');
    expect(xml).not.toContain('hunter2');
    expect(xml).toContain('tests="1" failures="1"');
  });

  it('a timed-out task is a failure of type timed_out', async () => {
    const cwd = writeFiles(tempDir(), { 'wf.yaml': 'name: slow\ntasks:\n  - { id: nap, run: "echo napping; sleep 30", timeout: 300ms, kill_grace: 100ms }\n' });
    const r = await baton(['run', 'wf.yaml', '--junit', 'junit.xml'], { cwd });
    expect(r.code, r.stderr).toBe(1);
    expect(report(cwd)).toMatch(/<testcase name="nap" classname="slow" time="[\d.]+">\s*<failure message="[^"]*" type="timed_out">/);
  });

  it('a run interrupted by SIGINT still writes its report: the running task is an error', async () => {
    const cwd = writeFiles(tempDir(), { 'wf.yaml': 'name: s\ntasks:\n  - { id: first, run: echo one }\n  - { id: slow, run: "echo $$ > pid; sleep 30", kill_grace: 300ms }\n' });
    const driver = await startUntil(cwd, ['run', 'wf.yaml', '--junit', 'junit.xml'], () => fs.existsSync(path.join(cwd, 'pid')) && fs.readFileSync(path.join(cwd, 'pid'), 'utf8').endsWith('\n'));
    driver.child.kill('SIGINT');
    expect((await driver.done).code).toBe(130);
    const xml = report(cwd);
    expect(xml).toContain('tests="2" failures="0" errors="1"');
    expect(xml).toMatch(/<testcase name="slow" classname="s" time="[\d.]+">\s*<error message="not finished: the run is interrupted" type="interrupted"\/>/);
  });

  it('retry --junit reports the run as the retry left it', async () => {
    const cwd = writeFiles(tempDir(), { 'wf.yaml': 'name: r\ntasks:\n  - { id: a, run: "test -f fixed" }\n' });
    expect((await baton(['run', 'wf.yaml', '--run-id', 'r1', '--junit', 'junit.xml'], { cwd })).code).toBe(1);
    expect(report(cwd)).toContain('failures="1"');
    fs.writeFileSync(path.join(cwd, 'fixed'), '');
    const r = await baton(['retry', 'r1', '--junit', 'junit.xml'], { cwd });
    expect(r.code, r.stderr).toBe(0);
    expect(report(cwd)).toMatch(/<testsuite name="r \(r1\)" tests="1" failures="0" errors="0" skipped="0"/);
  });

  it('a --junit whose folder does not exist is refused before the run starts (exit 2, nothing recorded)', async () => {
    const cwd = writeFiles(tempDir(), { 'wf.yaml': 'name: s\ntasks:\n  - { id: a, run: echo a }\n' });
    const r = await baton(['run', 'wf.yaml', '--junit', 'nope/junit.xml'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--junit "nope/junit.xml": the folder');
    expect(fs.existsSync(path.join(cwd, '.baton'))).toBe(false);
  });
});
