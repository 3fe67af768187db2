// `workflow:` sub-runs end to end: child paths, runtime input checks, outputs, keys, child handlers, failure, terminate.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { baton, isAlive, readState, runJson, tempDir, waitFor, writeFiles } from '../helpers/cli.js';

const CHILD = `
name: child
inputs:
  n: { type: integer, required: true }
  fail: { type: boolean, default: false }
env:
  CHILD_ONLY: from-child
tasks:
  - id: work
    run: |
      echo "double=$(( \${{ inputs.n }} * 2 ))" >> "$BATON_OUTPUT"
      echo "pwd=$PWD" >> "$BATON_OUTPUT"
      echo "key=$BATON_TASK_ID" >> "$BATON_OUTPUT"
      echo "env=$CHILD_ONLY" >> "$BATON_OUTPUT"
  - id: maybe
    run: test "\${{ inputs.fail }}" != true
outputs:
  doubled: \${{ $number(tasks.work.output.double) }}
  pwd: \${{ tasks.work.output.pwd }}
on_failure:
  - id: child_notify
    run: echo "child failed at \${{ run.error.task }}"
    output: text
finally:
  - id: child_cleanup
    run: echo "\${{ run.status }}"
    output: text
`;

const PARENT = `
name: parent
inputs:
  n: { type: integer, default: 21 }
  n_text: { type: string, required: false }
  fail: { type: boolean, default: false }
tasks:
  - id: sub
    workflow: ../lib/child.yaml
    inputs:
      n: "\${{ inputs.n_text ? inputs.n_text : inputs.n }}"
      fail: \${{ inputs.fail }}
  - id: after
    run: echo "\${{ tasks.sub.output.doubled }}"
    output: text
outputs:
  sub: \${{ tasks.sub.output }}
`;

function project() {
  return writeFiles(tempDir('baton-flow-'), { 'flows/parent.yaml': PARENT, 'lib/child.yaml': CHILD, 'work/.keep': '' });
}

const runIn = runJson;

describe('workflow (sub-runs)', () => {
  it('finds the child relative to the parent file; its outputs are the task’s output; its tasks are keyed task/child', async () => {
    const dir = project();
    const cwd = path.join(dir, 'work');
    const r = await runIn(cwd, '../flows/parent.yaml');
    expect(r.code).toBe(0);
    expect(r.summary.outputs.sub).toEqual({ doubled: 42, pwd: cwd });
    expect(r.summary.tasks.after.output).toBe('42');
    expect(r.summary.tasks['sub/work'].output).toEqual({ double: '42', pwd: cwd, key: 'sub/work', env: 'from-child' });
    expect(r.summary.tasks['sub/child_cleanup']).toMatchObject({ status: 'completed', output: 'completed' });
    expect(r.summary.tasks['sub/child_notify']).toBeUndefined();
    expect(Object.keys(r.summary.tasks)).not.toContain('work');
    const state = readState(cwd);
    expect(state.tasks.sub.frame).toMatchObject({ phase: 'done', outcome: 'completed', inputs: { n: 21, fail: false }, outputs: { doubled: 42 } });
    // Log files of sub-run tasks write the `/` as `~`.
    expect(state.tasks['sub/work'].history[0].stdout_log).toContain('sub~work');
  });

  it('type-checks the child’s inputs at run time and fails the task, naming the input', async () => {
    const dir = project();
    const cwd = path.join(dir, 'work');
    const r = await runIn(cwd, '../flows/parent.yaml', ['-i', 'n_text=lots']);
    expect(r.code).toBe(1);
    expect(r.summary.tasks.sub.status).toBe('failed');
    expect(r.summary.error.task).toBe('sub');
    expect(r.summary.error.message).toMatch(/^inputs: input `n` must be an integer/);
    expect(r.summary.tasks['sub/work']).toBeUndefined();
  });

  it('a failing child runs its own on_failure and finally, then fails the task and the run', async () => {
    const dir = project();
    const cwd = path.join(dir, 'work');
    const r = await runIn(cwd, '../flows/parent.yaml', ['-i', 'fail=true']);
    expect(r.code).toBe(1);
    expect(r.summary.tasks['sub/maybe'].status).toBe('failed');
    expect(r.summary.tasks['sub/child_notify']).toMatchObject({ status: 'completed', output: 'child failed at sub/maybe' });
    expect(r.summary.tasks['sub/child_cleanup']).toMatchObject({ status: 'completed', output: 'failed' });
    expect(r.summary.tasks.sub).toMatchObject({ status: 'failed', error: 'task sub/maybe: exit code 1' });
    expect(r.summary.tasks.after).toBeUndefined();
    expect(r.summary.error).toEqual({ task: 'sub/maybe', message: 'exit code 1' });
  });

  it('`terminate` inside a child ends only the child; its output becomes the task’s output', async () => {
    const cwd = writeFiles(tempDir('baton-flow-'), {
      'main.yaml': `
name: main
tasks:
  - id: early
    workflow: lib/stop.yaml
    inputs: { status: completed }
  - id: failing
    workflow: lib/stop.yaml
    inputs: { status: failed }
    optional: true
  - id: after
    run: echo "\${{ tasks.early.output.why }}|\${{ tasks.failing.status }}"
    output: text
`,
      'lib/stop.yaml': `
name: stop
inputs:
  status: { type: string, enum: [completed, failed] }
tasks:
  - id: halt
    switch: \${{ inputs.status }}
    cases:
      completed:
        - id: done
          terminate: { status: completed, output: { why: "enough" } }
      failed:
        - id: fail
          terminate: { status: failed, reason: "said no" }
  - id: never
    run: exit 9
`,
    });
    const r = await runIn(cwd, 'main.yaml');
    expect(r.code).toBe(0);
    expect(r.summary.status).toBe('completed');
    expect(r.summary.tasks.early).toMatchObject({ status: 'completed', output: { why: 'enough' } });
    expect(r.summary.tasks.failing).toMatchObject({ status: 'failed', error: 'task failing/fail: said no' });
    expect(r.summary.tasks.after.output).toBe('enough|failed');
    expect(r.summary.tasks['early/never']).toBeUndefined();
  });

  it('a workflow task’s timeout cancels the sub-run and ends the task timed_out', async () => {
    const cwd = writeFiles(tempDir('baton-flow-'), {
      'main.yaml': `
name: main
tasks:
  - id: sub
    workflow: slow.yaml
    timeout: 500ms
`,
      'slow.yaml': `
name: slow
tasks:
  - id: hang
    run: sleep 60 & echo $! > "$BATON_INVOCATION_DIR/hang.pid"; wait
finally:
  - id: tidy
    run: echo tidy
`,
    });
    const r = await runIn(cwd, 'main.yaml');
    expect(r.code).toBe(1);
    expect(r.summary.tasks.sub).toMatchObject({ status: 'timed_out', error: 'timed out after 500ms' });
    expect(r.summary.tasks['sub/hang'].status).toBe('canceled');
    expect(r.summary.tasks['sub/tidy'].status).toBe('completed');
    const pid = Number(fs.readFileSync(path.join(cwd, 'hang.pid'), 'utf8'));
    await waitFor(() => !isAlive(pid), 10_000, `sleep ${pid} to be gone`);
  });
});
