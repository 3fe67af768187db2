// `parallel` end to end: branches at once, output per branch, fail_fast killing real processes (the rest: test/unit/engine/driver).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isAlive, runYaml, taskStatuses, waitFor } from '../helpers/cli.js';

const runFlow = runYaml;

const statuses = taskStatuses;

describe('parallel', () => {
  it('runs branches at once and outputs each branch’s last task output by its id', async () => {
    // Each branch waits for the other's marker: this only finishes when both run at the same time.
    const r = await runFlow(`
name: par
concurrency: 4
tasks:
  - id: both
    parallel:
      - - id: left
          run: touch left.mark; for i in $(seq 100); do test -e right.mark && break; sleep 0.1; done; test -e right.mark
        - id: left_out
          run: echo '{"side":"left"}' > "$BATON_OUTPUT"
      - - id: right
          run: touch right.mark; for i in $(seq 100); do test -e left.mark && break; sleep 0.1; done; test -e left.mark
          output: text
  - id: after
    run: echo "\${{ tasks.both.output.left_out.side }} \${{ tasks.left.status }}"
    output: text
outputs:
  both: \${{ tasks.both.output }}
`);
    expect(r.code).toBe(0);
    expect(r.summary.outputs.both).toEqual({ left_out: { side: 'left' }, right: '' });
    expect(r.summary.tasks.after.output).toBe('left completed');
    expect(Object.keys(r.summary.tasks)).toEqual(expect.arrayContaining(['both', 'left', 'left_out', 'right', 'after']));
    expect(r.summary.tasks.both.status).toBe('completed');
  });

  it('fail_fast (default): a failure cancels the other branches, kills their processes, and fails the task', async () => {
    const r = await runFlow(`
name: ff
concurrency: 4
tasks:
  - id: par
    parallel:
      - - id: slow
          run: sleep 60 & echo $! > slow.pid; wait
      - - id: waiter
          wait: 60s
      - - id: bad
          run: until test -s slow.pid && test -e later.started; do sleep 0.05; done; exit 4
      - - id: quick
          run: "true"
        - id: later
          run: touch later.started; sleep 60
  - id: next
    run: "true"
`);
    expect(r.code).toBe(1);
    expect(r.summary.status).toBe('failed');
    expect(r.summary.error).toEqual({ task: 'bad', message: 'exit code 4' });
    expect(r.summary.tasks.par.error).toBe('task bad failed: exit code 4');
    expect(statuses(r.summary)).toMatchObject({ par: 'failed', bad: 'failed', slow: 'canceled', waiter: 'canceled', quick: 'completed', later: 'canceled' });
    expect(r.summary.tasks.next).toBeUndefined();
    const pid = Number(fs.readFileSync(path.join(r.cwd, 'slow.pid'), 'utf8'));
    await waitFor(() => !isAlive(pid), 10_000, `sleep ${pid} to be gone`);
  });
});
