// The schema DSL and what derives from it: the shipped JSON Schema file and the structural checks of YAML.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { blueprintJsonSchema, testFileJsonSchema } from '../../src/blueprint/json-schema.js';
import { TASK_KINDS } from '../../src/blueprint/schema.js';
import { closest, editDistance } from '../../src/blueprint/suggest.js';
import { loadText, marked, summary, withTasks } from './blueprint-helpers.js';

const SCHEMA_FILE = fileURLToPath(new URL('../../workflows/baton.schema.json', import.meta.url));
const TEST_SCHEMA_FILE = fileURLToPath(new URL('../../workflows/baton-test.schema.json', import.meta.url));

describe('JSON Schema', () => {
  it.each([
    [SCHEMA_FILE, blueprintJsonSchema],
    [TEST_SCHEMA_FILE, testFileJsonSchema],
  ])('%s is up to date', (file, make) => {
    const expected = `${JSON.stringify(make(), null, 2)}\n`;
    if (process.env.BATON_UPDATE_SCHEMA === '1') fs.writeFileSync(file, expected);
    const actual = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
    const hint = `${path.relative(process.cwd(), file)} is stale: regenerate it with \`npm run build && npm run schema\``;
    expect(actual === expected, hint).toBe(true);
  });

  it('describes the blueprint: required keys, closed objects, recursive tasks, one closed schema per kind', () => {
    const schema = blueprintJsonSchema() as Record<string, any>;
    expect(schema.$schema).toContain('2020-12');
    expect(schema.required).toEqual(['name', 'tasks']);
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.tasks).toMatchObject({ type: 'array', items: { $ref: '#/$defs/task' } });
    const task = schema.$defs.task;
    expect(task.oneOf.map((v: any) => v.title)).toEqual(TASK_KINDS.map((k) => `${k} task`));
    const kind = (name: string) => task.oneOf.find((v: any) => v.title === `${name} task`);
    expect(kind('for_each').required).toEqual(['id', 'for_each', 'do']);
    expect(kind('for_each').additionalProperties).toBe(false);
    expect(Object.keys(kind('set').properties)).toEqual(['id', 'name', 'description', 'if', 'optional', 'timeout', 'needs', 'set']);
    expect(kind('matrix').required).toEqual(['id', 'matrix', 'do']);
    expect(Object.keys(kind('matrix').properties)).toEqual(expect.arrayContaining(['needs', 'matrix', 'do', 'concurrency', 'fail_fast']));
    expect(kind('run').properties.needs.anyOf.map((o: { type: string }) => o.type)).toEqual(['string', 'array']);
    expect(Object.keys(kind('workflow').properties)).toContain('retry');
    expect(kind('loop').properties.loop.properties.do.items).toEqual({ $ref: '#/$defs/task' });
    expect(kind('run').properties.output.enum).toEqual(['file', 'json', 'text', 'lines']);
    expect(kind('run').properties.timeout.anyOf.map((o: { type: string }) => o.type)).toEqual(['number', 'string']);
    for (const variant of task.oneOf) expect(Object.values(variant.properties).every((p: any) => typeof p.description === 'string')).toBe(true);
  });
});

describe('suggestions', () => {
  it('measures edit distance and picks plausible typos only', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(closest('cmd', ['command', 'run'])).toBeUndefined();
    expect(closest('comand', ['command', 'run'])).toBe('command');
    expect(closest('Run', ['run', 'rum'])).toBe('run');
  });
});

describe('structural checks', () => {
  it.each([
    ['unknown top-level key', 'name: t\ntask:\n  - id: a\n    run: x\ntasks:\n  - id: a\n    run: x\n', 'error unknown-key flow.yaml:2:1 unknown key `task` at the top level; did you mean `tasks`?'],
    ['unknown task key', withTasks('  - id: a\n    run: x\n    iff: true\n'), 'error unknown-key flow.yaml:5:5 unknown key `iff` in a task; did you mean `if`?'],
    ['unknown nested key', withTasks('  - id: a\n    run: x\n    retry: { count: 1, dealy: 1s }\n'), 'error unknown-key flow.yaml:5:24 unknown key `dealy` in `retry`; did you mean `delay`?'],
    ['missing name', 'tasks:\n  - id: a\n    run: x\n', 'error missing-key flow.yaml:1:1 the blueprint is missing the required key `name`'],
    ['missing id', withTasks('  - run: x\n'), 'error missing-key flow.yaml:3:5 a task is missing the required key `id`'],
    ['bad name', 'name: a b\ntasks:\n  - id: a\n    run: x\n', 'error invalid-value flow.yaml:1:7 invalid name `a b`: use letters, digits, _, . and -'],
    ['bad id', withTasks('  - id: 9a\n    run: x\n'), 'error invalid-value flow.yaml:3:9 invalid task id `9a`: use letters, digits, _ and -, starting with a letter or _'],
    ['version 0', 'name: t\nversion: 0\ntasks:\n  - id: a\n    run: x\n', 'error invalid-value flow.yaml:2:10 `version` must be an integer ≥ 1, not 0'],
    ['version as text', 'name: t\nversion: one\ntasks:\n  - id: a\n    run: x\n', 'error wrong-type flow.yaml:2:10 `version` must be an integer ≥ 1, not the string `one`'],
    ['tasks not a list', 'name: t\ntasks: {}\n', 'error wrong-type flow.yaml:2:8 `tasks` must be a list, not a mapping'],
    ['task not a mapping', withTasks('  - echo hi\n'), 'error wrong-type flow.yaml:3:5 a task must be a mapping, not the string `echo hi`'],
    ['bad duration', withTasks('  - id: a\n    run: x\n    timeout: 2x\n'), 'error invalid-value flow.yaml:5:14 invalid duration `2x`: use 500ms, 30s, 5m, 2h or seconds'],
    ['negative duration', withTasks('  - id: a\n    run: x\n    kill_grace: -1\n'), 'error invalid-value flow.yaml:5:17 invalid duration `-1`: use 500ms, 30s, 5m, 2h or seconds'],
    ['timeout 0', withTasks('  - id: a\n    run: x\n    timeout: 0\n'), 'error invalid-value flow.yaml:5:14 a timeout must be above 0, not `0`: every attempt would time out at once'],
    ['timeout 0s in defaults', 'name: t\ndefaults: { timeout: 0.0s }\ntasks:\n  - id: a\n    run: x\n', 'error invalid-value flow.yaml:2:22 a timeout must be above 0, not `0.0s`: every attempt would time out at once'],
    ['infinite duration', withTasks('  - id: a\n    run: x\n    kill_grace: .inf\n'), 'error invalid-value flow.yaml:5:17 invalid duration `.inf`: use 500ms, 30s, 5m, 2h or seconds'],
    ['infinite run timeout', 'name: t\ntimeout: -.inf\ntasks:\n  - id: a\n    run: x\n', 'error invalid-value flow.yaml:2:10 invalid duration `-.inf`: use 500ms, 30s, 5m, 2h or seconds'],
    ['concurrency text', withTasks('  - id: a\n    for_each: [1]\n    concurrency: four\n    do:\n      - id: b\n        run: x\n'), 'error invalid-value flow.yaml:5:18 `concurrency` must be an integer ≥ 1 or an expression `${{ … }}`, not `four`'],
    ['duration as list', 'name: t\ntimeout: [1]\ntasks:\n  - id: a\n    run: x\n', 'error wrong-type flow.yaml:2:10 `timeout` must be a duration above 0 (500ms, 30s, 5m, 2h or seconds), not a list'],
    ['bad enum', withTasks('  - id: a\n    run: x\n    output: jsn\n'), 'error invalid-value flow.yaml:5:13 `output` must be one of `file`, `json`, `text`, `lines`, not `jsn`; did you mean `json`?'],
    ['yes is not a boolean', withTasks('  - id: a\n    run: x\n    optional: yes\n'), 'error wrong-type flow.yaml:5:15 `optional` must be true or false, not the string `yes`'],
    ['empty command', withTasks('  - id: a\n    command: []\n'), 'error empty-list flow.yaml:4:14 `command` must not be empty'],
    ['command item mapping', withTasks('  - id: a\n    command: [ls, {a: 1}]\n'), 'error wrong-type flow.yaml:4:19 `command[1]` must be a string, number or boolean, not a mapping'],
    ['retry text', withTasks('  - id: a\n    run: x\n    retry: lots\n'), 'error wrong-type flow.yaml:5:12 `retry` must be an integer ≥ 0 or a mapping, not the string `lots`'],
    ['retry without count', withTasks('  - id: a\n    run: x\n    retry: { delay: 1s }\n'), 'error missing-key flow.yaml:5:14 `retry` is missing the required key `count`'],
    ['factor 0', withTasks('  - id: a\n    run: x\n    retry: { count: 1, factor: 0 }\n'), 'error invalid-value flow.yaml:5:32 `retry.factor` must be a number > 0, not 0'],
    ['exit code text', withTasks('  - id: a\n    run: x\n    retry: { count: 1, exit_codes: [1, x] }\n'), 'error wrong-type flow.yaml:5:40 `retry.exit_codes[1]` must be an integer, not the string `x`'],
    ['backoff', withTasks('  - id: a\n    run: x\n    retry: { count: 1, backoff: expo }\n'), 'error invalid-value flow.yaml:5:33 `retry.backoff` must be one of `fixed`, `linear`, `exponential`, not `expo`'],
    ['concurrency 0', withTasks('  - id: a\n    for_each: [1]\n    concurrency: 0\n    do:\n      - id: b\n        run: x\n'), 'error invalid-value flow.yaml:5:18 `concurrency` must be an integer ≥ 1, not 0'],
    ['parallel empty branch', withTasks('  - id: p\n    parallel:\n      - []\n'), 'error empty-list flow.yaml:5:9 `parallel[0]` must not be empty'],
    ['loop without while', withTasks('  - id: l\n    loop:\n      do:\n        - id: b\n          run: x\n'), 'error missing-key flow.yaml:5:7 `loop` is missing the required key `while`'],
    ['terminate status', withTasks('  - id: t\n    terminate: { status: done }\n'), 'error invalid-value flow.yaml:4:26 `terminate.status` must be one of `completed`, `failed`, not `done`'],
    ['wait signal', withTasks('  - id: w\n    wait: { sgnal: go }\n'), [
      'error unknown-key flow.yaml:4:13 unknown key `sgnal` in `wait`; did you mean `signal`?',
      'error missing-key flow.yaml:4:13 `wait` is missing the required key `signal`',
    ]],
    ['input type', 'name: t\ninputs:\n  n: { type: int }\ntasks:\n  - id: a\n    run: x\n', 'error invalid-value flow.yaml:3:14 `inputs.n.type` must be one of `string`, `integer`, `number`, `boolean`, `array`, `object`, not `int`'],
    ['env name', 'name: t\nenv:\n  1BAD: x\ntasks:\n  - id: a\n    run: x\n', 'error invalid-key flow.yaml:3:3 invalid environment variable name `1BAD`: use letters, digits and _, not starting with a digit'],
    ['env value', 'name: t\nenv:\n  A: [1]\ntasks:\n  - id: a\n    run: x\n', 'error wrong-type flow.yaml:3:6 `env.A` must be a string, number or boolean, not a list'],
    ['secrets', 'name: t\nsecrets: API_TOKEN\ntasks:\n  - id: a\n    run: x\n', 'error wrong-type flow.yaml:2:10 `secrets` must be a list, not the string `API_TOKEN`'],
    ['null value', 'name: t\ndescription:\ntasks:\n  - id: a\n    run: x\n', 'error wrong-type flow.yaml:2:1 `description` must be a string, not nothing (null)'],
    ['defaults key', 'name: t\ndefaults: { timout: 1s }\ntasks:\n  - id: a\n    run: x\n', 'error unknown-key flow.yaml:2:13 unknown key `timout` in `defaults`; did you mean `timeout`?'],
  ])('%s', (_, text, expected) => {
    const result = loadText(text);
    expect(summary(result)).toEqual(Array.isArray(expected) ? expected : [expected]);
    expect(result.blueprint).toBeNull();
  });

  it('takes an empty task list (the run completes at once, as an empty Conductor workflow does)', () => {
    const result = loadText('name: t\ntasks: []\n');
    expect(summary(result)).toEqual([]);
    expect(result.blueprint?.tasks).toEqual([]);
  });

  it('takes a concurrency expression on the run and on a for_each', () => {
    const result = loadText('name: t\ninputs:\n  n: { type: integer }\nconcurrency: ${{ inputs.n }}\ntasks:\n  - id: a\n    for_each: [1]\n    concurrency: "${{ inputs.n * 2 }}"\n    do:\n      - id: b\n        run: x\n');
    expect(summary(result)).toEqual([]);
    expect(result.blueprint?.concurrency).toBe('inputs.n');
    expect(result.blueprint?.tasks[0]).toMatchObject({ kind: 'for_each', concurrency: 'inputs.n * 2' });
  });

  it('reports every problem of a file in one pass', () => {
    const result = loadText(withTasks('  - id: a\n    run: x\n    timeout: 2x\n    iff: 1\n  - id: b\n    command: []\n    output: nope\n', 'name: t\nversion: 0\n'));
    expect(result.diagnostics.map((d) => d.code)).toEqual(['invalid-value', 'invalid-value', 'unknown-key', 'empty-list', 'invalid-value']);
  });

  it('marks the offending node', () => {
    const result = loadText(withTasks('  - id: a\n    run: x\n    timeout: 2x\n'));
    expect(marked(result)).toBe('2x');
  });
});
