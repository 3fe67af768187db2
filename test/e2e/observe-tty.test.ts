// The live view of `baton run` under a real pseudo-terminal (util-linux `script`), and the plain lines without one.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { baton, BIN, tempDir, writeFiles } from '../helpers/cli.js';

const WF = `
name: live
tasks:
  - id: warmup
    run: sleep 0.6
  - id: both
    parallel:
      - - id: left
          run: sleep 0.4; echo left
      - - id: right
          run: echo right
  - id: last-one
    run: echo done
`;
const SPINNER = /[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/;
const CURSOR_MOVE = /\x1b\[\d*[ABCDHJK]/;

/** Runs `baton run wf.yaml` inside a pseudo-terminal of a known size; returns everything the terminal received. */
function runInTerminal(cwd: string): string {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env.CI;
  delete env.FORCE_COLOR;
  delete env.BATON_STATE_DIR;
  const command = `stty rows 40 cols 120; ${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} run wf.yaml; echo "exit=$?"`;
  return execFileSync('script', ['-qfec', command, '/dev/null'], { cwd, env, encoding: 'utf8', timeout: 60_000 });
}

describe('the live view', () => {
  it('on a terminal: spinner lines for running tasks, ✔ lines for finished ones, then the summary table', () => {
    const cwd = writeFiles(tempDir(), { 'wf.yaml': WF });
    const out = runInTerminal(cwd).replace(/\r\n/g, '\n');
    expect(out).toContain('exit=0');
    expect(out).toMatch(/● run \S+ \(live\) started/);
    // A running task is a spinner line with its elapsed time, redrawn in place (cursor up, erase below).
    expect(out).toMatch(new RegExp(`${SPINNER.source} warmup \\(\\d+s\\)`));
    expect(out).toMatch(/\x1b\[\d+A\r?\x1b\[J/);
    expect(out).toMatch(/✔ warmup completed \(\S+\)/);
    expect(out).toMatch(/✔ left completed/);
    expect(out).toMatch(/✔ last-one completed/);
    // The "started" lines are not printed: the spinner stands for them.
    expect(out).not.toMatch(/▶ warmup started/);
    const table = out.slice(out.lastIndexOf('TASK'));
    expect(table).toMatch(/^TASK\s+STATUS\s+ATTEMPTS\s+DURATION\n/);
    for (const key of ['warmup', 'both', 'left', 'right', 'last-one']) expect(table).toMatch(new RegExp(`\\n${key}\\s+completed\\s+`));
    expect(table).toMatch(/run \S+ \(live\) completed in \S+\n\s+5 completed/);
  });

  it('without a terminal: one plain line per event with its time, nothing that redraws', async () => {
    const cwd = writeFiles(tempDir(), { 'wf.yaml': WF });
    const r = await baton(['run', 'wf.yaml'], { cwd, env: { CI: undefined } });
    expect(r.code).toBe(0);
    expect(r.stderr).not.toMatch(CURSOR_MOVE);
    expect(r.stderr).not.toMatch(SPINNER);
    expect(r.stderr).toMatch(/^\d\d:\d\d:\d\d ▶ warmup started$/m);
    expect(r.stderr).toMatch(/^\d\d:\d\d:\d\d ✔ warmup completed \(\S+\)$/m);
    expect(r.stderr).not.toContain('TASK');
    expect(r.stderr).toMatch(/^\d\d:\d\d:\d\d run \S+ \(live\) completed in \S+$/m);
  });
});
