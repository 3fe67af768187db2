// The shipped JSON Schema, checked as editors use it: ajv in strict mode against every example and broken blueprints.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020.js';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadText, withTasks } from './blueprint-helpers.js';

const WORKFLOWS = fileURLToPath(new URL('../../workflows/', import.meta.url));
const schema = JSON.parse(fs.readFileSync(path.join(WORKFLOWS, 'baton.schema.json'), 'utf8'));
const testSchema = JSON.parse(fs.readFileSync(path.join(WORKFLOWS, 'baton-test.schema.json'), 'utf8'));
const isTestFile = (f: string) => /\.test\.ya?ml$/.test(f);

function yamlFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return yamlFiles(full);
    return /\.ya?ml$/.test(entry.name) ? [full] : [];
  });
}

// strict: true turns on every strict check, strictRequired and strictTypes included.
const ajv = new Ajv2020({ strict: true, allErrors: true });
const validate = ajv.compile(schema);
const errorsOf = () => (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`).join('; ');

describe('JSON Schema under ajv strict mode', () => {
  it('compiles (the file is the one `npm run schema` writes, checked by blueprint-schema.test.ts)', () => {
    expect(typeof validate).toBe('function');
  });

  it.each(yamlFiles(WORKFLOWS).filter((f) => !isTestFile(f)).map((f) => [path.relative(WORKFLOWS, f), f]))('accepts the example %s', (_, file) => {
    const ok = validate(parse(fs.readFileSync(file, 'utf8')));
    expect(ok, errorsOf()).toBe(true);
  });

  it('the test-file schema accepts the shipped *.test.yaml and refuses a misspelt expectation', () => {
    const validateTest = new Ajv2020({ strict: true, allErrors: true }).compile(testSchema);
    const files = yamlFiles(WORKFLOWS).filter(isTestFile);
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) expect(validateTest(parse(fs.readFileSync(file, 'utf8'))), `${file}: ${JSON.stringify(validateTest.errors)}`).toBe(true);
    expect(validateTest(parse('blueprint: a.yaml\ntests:\n  - name: x\n    expect: { stauts: completed }\n'))).toBe(false);
  });

  const t = (body: string) => withTasks(body);
  it.each([
    ['a task with expression concurrency', 'name: t\ninputs:\n  n: { type: integer }\nconcurrency: ${{ inputs.n }}\ntasks:\n  - id: f\n    for_each: [1]\n    concurrency: ${{ inputs.n }}\n    do: [{ id: b, run: x }]\n'],
    ['retry on a workflow task', t('  - id: w\n    workflow: lib/x.yaml\n    retry: 2\n')],
    ['timeout and if on a wait task', t('  - id: w\n    wait: 1s\n    timeout: 5s\n    if: ${{ true }}\n')],
  ])('accepts %s', (_, text) => {
    expect(validate(parse(text)), errorsOf()).toBe(true);
  });

  // Each of these is refused by baton validate as well: the schema must not be looser than the analyzer.
  it.each([
    ['retry on a set task', t('  - id: s\n    set: { a: 1 }\n    retry: 2\n')],
    ['env on a wait task', t('  - id: w\n    wait: 1s\n    env: { A: b }\n')],
    ['a task with no kind', t('  - id: a\n    name: nothing\n')],
    ['a task with two kinds', t('  - id: a\n    run: x\n    command: [ls]\n')],
    ['a typo of a kind key', t('  - id: a\n    rn: echo hi\n')],
    ['for_each without do', t('  - id: f\n    for_each: [1]\n')],
    ['switch without cases', t('  - id: s\n    switch: ${{ 1 }}\n')],
    ['do on a run task', t('  - id: a\n    run: x\n    do: [{ id: b, run: y }]\n')],
    ['a zero timeout', t('  - id: a\n    run: x\n    timeout: 0s\n')],
    ['a zero run timeout', 'name: t\ntimeout: 0\ntasks:\n  - id: a\n    run: x\n'],
    ['concurrency as plain text', t('  - id: f\n    for_each: [1]\n    concurrency: four\n    do: [{ id: b, run: x }]\n')],
    ['an unknown top-level key', 'name: t\ntask: []\ntasks:\n  - id: a\n    run: x\n'],
    ['a missing name', 'tasks:\n  - id: a\n    run: x\n'],
    ['a bad output mode', t('  - id: a\n    run: x\n    output: jsn\n')],
  ])('refuses %s', (_, text) => {
    expect(validate(parse(text))).toBe(false);
    expect(loadText(text).blueprint).toBeNull();
  });
});
