// `baton logs` end to end: one task's log, all logs with [key] prefixes, ambiguous ids, --attempt, --follow on a live run.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { baton, start, tempDir, waitFor, writeFiles } from '../helpers/cli.js';

const WF = `
name: logs
tasks:
  - id: list
    run: printf 'a\\nb\\n'
    output: lines
  - id: resize
    for_each: \${{ tasks.list.output }}
    do:
      - id: convert
        run: echo "converting \${{ item }}"; echo "warn \${{ item }}" >&2
  - id: flaky
    run: |
      echo "attempt $BATON_ATTEMPT out"
      echo "attempt $BATON_ATTEMPT err" >&2
      [ "$BATON_ATTEMPT" -ge 2 ]
    retry: 2
  - id: wf
    workflow: child.yaml
`;
const CHILD = 'name: child\ntasks:\n  - id: step\n    run: printf "no newline at the end"\n';

async function logsRun(): Promise<string> {
  const cwd = writeFiles(tempDir(), { 'wf.yaml': WF, 'child.yaml': CHILD });
  expect((await baton(['run', 'wf.yaml', '--run-id', 'logs-1'], { cwd })).code).toBe(0);
  return cwd;
}

describe('baton logs', () => {
  it("prints one task's log: its stdout on stdout, its stderr on stderr, the last attempt by default", async () => {
    const cwd = await logsRun();
    const r = await baton(['logs', 'logs-1', 'flaky'], { cwd });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('attempt 2 out\n');
    expect(r.stderr).toBe('attempt 2 err\n');
    const exact = await baton(['logs', 'last', 'resize[1].convert'], { cwd });
    expect(exact.stdout).toBe('converting b\n');
    expect(exact.stderr).toBe('warn b\n');
    expect((await baton(['logs', 'last', 'wf/step'], { cwd })).stdout).toBe('no newline at the end');
    expect((await baton(['logs', 'last', 'step'], { cwd })).stdout).toBe('no newline at the end');
  });

  it('--attempt N picks an earlier attempt; a missing one is an error', async () => {
    const cwd = await logsRun();
    const first = await baton(['logs', 'last', 'flaky', '--attempt', '1'], { cwd });
    expect(first.stdout).toBe('attempt 1 out\n');
    expect(first.stderr).toBe('attempt 1 err\n');
    const missing = await baton(['logs', 'last', 'flaky', '--attempt', '5'], { cwd });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('flaky has no attempt 5 (attempts: 1, 2)');
    expect((await baton(['logs', 'last', '--attempt', '1'], { cwd })).code).toBe(2);
  });

  it('without a task, prints every attempt of every task in start order with [key] prefixes', async () => {
    const cwd = await logsRun();
    const r = await baton(['logs', 'logs-1'], { cwd });
    expect(r.code).toBe(0);
    const out = r.stdout.split('\n');
    expect(out).toContain('[list] a');
    expect(out).toContain('[resize[0].convert] converting a');
    expect(out).toContain('[flaky] attempt 1 out');
    expect(out).toContain('[flaky#2] attempt 2 out');
    expect(out).toContain('[wf/step] no newline at the end');
    expect(out.indexOf('[list] a')).toBeLessThan(out.indexOf('[resize[0].convert] converting a'));
    expect(out.indexOf('[flaky] attempt 1 out')).toBeLessThan(out.indexOf('[flaky#2] attempt 2 out'));
    expect(out.indexOf('[flaky#2] attempt 2 out')).toBeLessThan(out.indexOf('[wf/step] no newline at the end'));
    expect(r.stderr.split('\n')).toContain('[resize[1].convert] warn b');
  });

  it('a control-flow task shows the logs of the tasks inside it', async () => {
    const cwd = await logsRun();
    const r = await baton(['logs', 'last', 'resize'], { cwd });
    expect(r.stdout).toBe('[resize[0].convert] converting a\n[resize[1].convert] converting b\n');
  });

  it('a task id naming several instances, or none, is an error (exit 2) that says which', async () => {
    const cwd = await logsRun();
    const ambiguous = await baton(['logs', 'last', 'convert'], { cwd });
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stderr).toContain('"convert" matches 2 task instances: resize[0].convert, resize[1].convert');
    const unknown = await baton(['logs', 'last', 'nothing'], { cwd });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no task "nothing" in run logs-1');
    expect((await baton(['logs', 'no-such-run'], { cwd })).code).toBe(2);
  });

  it('--follow streams a live run as it writes and ends when the run ends', async () => {
    // The ticker stops after its first line until the test creates `gate`: that line must reach the follower while
    // the run is still going, however slow the machine is.
    const cwd = writeFiles(tempDir(), {
      'live.yaml': `
name: live
tasks:
  - id: ticker
    run: |
      echo "tick 1"
      until [ -e gate ]; do sleep 0.05; done
      for i in 2 3 4 5; do echo "tick $i"; sleep 0.1; done
  - id: later
    run: echo "later out"
`,
    });
    const driver = start(['run', 'live.yaml', '--run-id', 'live-1'], { cwd });
    // Wait for the run to exist, then follow everything, and one task that has not started yet.
    await waitFor(() => fs.existsSync(path.join(cwd, '.baton/runs/live-1/state.json')), 20_000, 'the run to start');
    const all = start(['logs', 'live-1', '--follow'], { cwd });
    const later = start(['logs', 'live-1', 'later', '--follow'], { cwd });
    let followed = '';
    all.child.stdout!.on('data', (d) => (followed += d));
    await waitFor(() => followed.includes('[ticker] tick 1\n'), 20_000, 'the first line, followed live');
    expect(driver.child.exitCode).toBeNull();
    fs.writeFileSync(path.join(cwd, 'gate'), '');
    const [a, l, d] = await Promise.all([all.done, later.done, driver.done]);
    expect(d.code).toBe(0);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe('[ticker] tick 1\n[ticker] tick 2\n[ticker] tick 3\n[ticker] tick 4\n[ticker] tick 5\n[later] later out\n');
    expect(l.code).toBe(0);
    expect(l.stdout).toBe('later out\n');
  });
});
