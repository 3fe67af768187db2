// Runaway expressions (catastrophic regexes, endless recursion) never block the driver: signals and timeouts act
// while one evaluates, and one left alone fails its task within the documented limit.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { baton, readState, runYaml, start, tempDir, waitFor, writeFiles } from '../helpers/cli.js';

const A44 = `${'a'.repeat(44)}!`;
/** Each match backtracks for a noticeable while (the `i` flag keeps V8's linear engine out), a thousand of them. */
const REGEX_RUNAWAY = `$map([1..1000], function($i){ $match("${'a'.repeat(22)}!", /^(a+)+$/i) })`;
/** Tail recursion: no stack grows, so only the time limit ends it. */
const RECURSION = '($f := function($n){ $f($n + 1) }; $f(0))';

/** A run whose `runaway` task's `if:` evaluates `expr` right after `before` has written the file `started`. */
function blueprint(expr: string, head = ''): string {
  return `name: hostile\n${head}tasks:\n  - { id: before, run: "touch started" }\n  - id: runaway\n    if: '\${{ ${expr} }}'\n    run: "true"\n`;
}

/** Starts the run, waits until the expression is evaluating, signals the driver; returns exit code and seconds to exit. */
async function signalDuring(expr: string, signal: NodeJS.Signals): Promise<{ code: number | null; seconds: number; cwd: string; stderr: string }> {
  const cwd = writeFiles(tempDir(), { 'wf.yaml': blueprint(expr) });
  const driver = start(['run', 'wf.yaml', '--run-id', 'h1'], { cwd });
  await waitFor(() => fs.existsSync(path.join(cwd, 'started')), 15_000, 'the first task');
  await new Promise((r) => setTimeout(r, 700)); // well into the expression (the limit is 10 s)
  const sent = Date.now();
  driver.child.kill(signal);
  const r = await driver.done;
  return { code: r.code, seconds: (Date.now() - sent) / 1000, cwd, stderr: r.stderr };
}

describe('a runaway expression does not block the driver', () => {
  it('Ctrl-C during catastrophic regex backtracking: exit 130 at once, run interrupted, task not failed', async () => {
    const r = await signalDuring(REGEX_RUNAWAY, 'SIGINT');
    expect(r.code, r.stderr).toBe(130);
    expect(r.seconds).toBeLessThan(4);
    const state = readState(r.cwd, 'h1');
    expect(state.status).toBe('interrupted');
    expect(state.tasks.runaway?.status ?? 'pending').toBe('pending');
  });

  it('Ctrl-C during endless recursion: exit 130 at once, run interrupted', async () => {
    const r = await signalDuring(RECURSION, 'SIGINT');
    expect(r.code, r.stderr).toBe(130);
    expect(r.seconds).toBeLessThan(4);
    expect(readState(r.cwd, 'h1').status).toBe('interrupted');
  });

  it('SIGTERM during endless recursion: exit 143 at once, run interrupted', async () => {
    const r = await signalDuring(RECURSION, 'SIGTERM');
    expect(r.code, r.stderr).toBe(143);
    expect(r.seconds).toBeLessThan(4);
    expect(readState(r.cwd, 'h1').status).toBe('interrupted');
  });

  it('Ctrl-C while a run: script renders a runaway expression: exit 130, no attempt on record', async () => {
    const cwd = writeFiles(tempDir(), {
      'wf.yaml': `name: hostile\ntasks:\n  - { id: before, run: "touch started" }\n  - id: runaway\n    run: 'echo \${{ ${RECURSION} }}'\n`,
    });
    const driver = start(['run', 'wf.yaml', '--run-id', 'r1'], { cwd });
    await waitFor(() => fs.existsSync(path.join(cwd, 'started')), 15_000, 'the first task');
    await new Promise((r) => setTimeout(r, 700));
    const sent = Date.now();
    driver.child.kill('SIGINT');
    const r = await driver.done;
    expect(r.code, r.stderr).toBe(130);
    expect((Date.now() - sent) / 1000).toBeLessThan(4);
    const state = readState(cwd, 'r1');
    expect(state.status).toBe('interrupted');
    expect(state.tasks.runaway?.attempts ?? 0).toBe(0);
  });

  it('baton cancel during endless recursion ends the run canceled at once', async () => {
    const cwd = writeFiles(tempDir(), { 'wf.yaml': blueprint(RECURSION) });
    const driver = start(['run', 'wf.yaml', '--run-id', 'c1'], { cwd });
    await waitFor(() => fs.existsSync(path.join(cwd, 'started')), 15_000, 'the first task');
    await new Promise((r) => setTimeout(r, 700));
    const cancel = await baton(['cancel', 'c1'], { cwd });
    expect(cancel.code, cancel.stderr).toBe(0);
    const sent = Date.now(); // the request is on disk once `baton cancel` returns
    const r = await driver.done;
    expect((Date.now() - sent) / 1000).toBeLessThan(4);
    const state = readState(cwd, 'c1');
    expect(state.status).toBe('canceled');
    expect(state.tasks.runaway?.status ?? 'pending').not.toBe('failed'); // abandoned, not run into the limit
    expect(r.code).not.toBe(0);
  });

  it('the run timeout fires while an expression runs away', async () => {
    const t0 = Date.now();
    const r = await runYaml(blueprint(RECURSION, 'timeout: 2s\n'));
    const seconds = (Date.now() - t0) / 1000;
    expect(r.code, r.stderr).toBe(1);
    expect(r.summary.status).toBe('timed_out');
    expect(r.summary.error.message).toBe('run timed out after 2s');
    expect(r.summary.tasks.runaway?.status ?? 'pending').not.toBe('failed'); // abandoned, not run into the limit
    expect(seconds).toBeLessThan(9.5); // the expression limit (10 s) did not have to pass
  });

  it('a command task timing out in a parallel branch fails the run while the other branch evaluates', async () => {
    const t0 = Date.now();
    const r = await runYaml(`name: hostile
tasks:
  - id: both
    parallel:
      - - { id: slow, run: "sleep 30", timeout: 1s, kill_grace: 100ms }
      - - { id: before, run: "true" }
        - { id: runaway, if: '\${{ ${RECURSION} }}', run: "true" }
`);
    const seconds = (Date.now() - t0) / 1000;
    expect(r.code, r.stderr).toBe(1);
    expect(r.summary.tasks.slow.status).toBe('timed_out');
    expect(r.summary.tasks.runaway?.status ?? 'pending').not.toBe('failed');
    expect(seconds).toBeLessThan(9.5);
  });
});

describe('a runaway expression left alone fails its task', () => {
  it('endless recursion fails after the 10 s limit, with an error naming the expression and the limit', async () => {
    const t0 = Date.now();
    const r = await runYaml(blueprint(RECURSION));
    const seconds = (Date.now() - t0) / 1000;
    expect(r.code, r.stderr).toBe(1);
    expect(r.summary.tasks.runaway.status).toBe('failed');
    expect(r.summary.tasks.runaway.error).toBe(
      `if: expression "${RECURSION}": ran longer than 10 s, the limit for one expression (an endless loop or recursion?)`,
    );
    expect(seconds).toBeGreaterThanOrEqual(10);
    expect(seconds).toBeLessThan(25); // generous: process start-up on a loaded machine
  });

  it('a catastrophic regex V8 cannot run in linear time fails after 1 s, naming the regex and the limit', async () => {
    const t0 = Date.now();
    const r = await runYaml(blueprint(`$match("${A44}", /^(a+)+\\1$/)`));
    const seconds = (Date.now() - t0) / 1000;
    expect(r.code, r.stderr).toBe(1);
    expect(r.summary.tasks.runaway.error).toMatch(
      /^if: expression ".*": the regular expression \/\^\(a\+\)\+\\1\$\/ ran longer than 1 s on one match of a 45-character string \(catastrophic backtracking\?\)$/,
    );
    expect(seconds).toBeLessThan(9); // the 1 s match limit, not the 10 s one
  });

  it("the issue's own regex, /^(a+)+$/ on 44 a's and a '!', no longer backtracks: it ends at once, no match", async () => {
    const t0 = Date.now();
    const r = await runYaml(blueprint(`$match("${A44}", /^(a+)+$/)`));
    expect(r.code, r.stderr).toBe(0);
    expect(r.summary.tasks.runaway.status).toBe('skipped');
    expect((Date.now() - t0) / 1000).toBeLessThan(15); // it took 111 s before
  });
});
