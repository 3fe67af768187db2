// Loading a `baton test` file: read, parse, check its shape, and keep where each test, mock and expectation is written.
import * as path from 'node:path';
import { isMap, isSeq, type Document, type Node, type YAMLMap } from 'yaml';
import { errorAt, hasErrors, type Diagnostic } from './diagnostics.js';
import { parseDuration } from './duration.js';
import type { SourceRange } from './model.js';
import { readSourceFile } from './source-file.js';
import { validateStructure } from './structural.js';
import { testFileSchema } from './test-file-schema.js';
import { parseYaml } from './yaml-doc.js';
import { entries, getNode, rangeOf, resolveNode, toValue } from './yaml-nodes.js';

/** How one attempt of a mocked task ends (the mock executor answers the attempt with it as written). */
export interface AttemptMock {
  /** Exit code; 0 unless given. */
  exit?: number;
  /** Killed by this signal (the attempt fails, no exit code). */
  signal?: string;
  /** Present only when the test gives it (`output: null` is a value); as if written to $BATON_OUTPUT, else stdout is parsed per `output:`. */
  output?: unknown;
  stdout?: string;
  stderr?: string;
  /** How long the attempt runs on the virtual clock; past the task's timeout it ends `timed_out`. */
  durationMs?: number;
}

export interface TaskMock {
  /** Task id or instance key, as written. */
  name: string;
  range: SourceRange;
  real: boolean;
  /** Attempt 1, 2, …; the last answers any further attempt. */
  attempts: AttemptMock[];
}

export interface SignalArrival {
  task: string;
  afterMs: number;
  data: unknown;
  failed: boolean;
  reason: string | null;
  range: SourceRange;
}

export interface Expected<T> {
  value: T;
  range: SourceRange;
}

export interface TaskExpectation {
  name: string;
  range: SourceRange;
  status?: string;
  attempts?: number;
  output?: Expected<unknown>;
  error?: string;
}

export interface TestCase {
  name: string;
  range: SourceRange;
  inputs: Record<string, unknown>;
  keepGoing: boolean;
  concurrency?: number;
  /** The file's mocks, overridden by the test's own. */
  mocks: Map<string, TaskMock>;
  signals: SignalArrival[];
  cancelAfterMs?: number;
  expect: {
    status?: Expected<string>;
    error?: Expected<string>;
    ran?: Expected<string[]>;
    tasks: TaskExpectation[];
    outputs?: Expected<Record<string, unknown>>;
    vars?: Expected<Record<string, unknown>>;
  };
}

export interface TestFile {
  file: string;
  /** Absolute path of the blueprint under test. */
  blueprint: string;
  blueprintRange: SourceRange;
  cases: TestCase[];
}

export interface TestFileResult {
  testFile: TestFile | null;
  diagnostics: Diagnostic[];
  sources: Map<string, string>;
}

const KIND = { noun: 'a test file', needs: '`blueprint` and `tests`', keys: '`blueprint: …`, `tests: …`' };

export function loadTestFile(file: string, display: string): TestFileResult {
  const sources = new Map<string, string>();
  const read = readSourceFile(file, display);
  if (!read.ok) {
    if (read.text !== undefined) sources.set(file, read.text);
    return { testFile: null, diagnostics: [read.diagnostic], sources };
  }
  sources.set(file, read.text);
  const parsed = parseYaml(read.text, file, display, KIND);
  if (!parsed.doc || hasErrors(parsed.diagnostics)) return { testFile: null, diagnostics: parsed.diagnostics, sources };
  const structure = validateStructure(parsed.doc.contents, testFileSchema.node, parsed.doc, file);
  if (hasErrors(structure.diagnostics)) return { testFile: null, diagnostics: structure.diagnostics, sources };
  const diagnostics: Diagnostic[] = [];
  const testFile = convert(parsed.doc, file, diagnostics);
  return { testFile: hasErrors(diagnostics) ? null : testFile, diagnostics, sources };
}

function convert(doc: Document, file: string, diagnostics: Diagnostic[]): TestFile {
  const root = doc.contents as YAMLMap;
  const at = (node: Node | null | undefined): SourceRange => rangeOf(node, file);
  const value = (map: YAMLMap, key: string): unknown => {
    const node = getNode(map, key, doc);
    return node === undefined ? undefined : toValue(node, doc);
  };
  const blueprintNode = getNode(root, 'blueprint', doc);
  const shared = mocksOf(getNode(root, 'mocks', doc), doc, file, diagnostics);
  const cases: TestCase[] = [];
  const names = new Map<string, SourceRange>();
  for (const item of (getNode(root, 'tests', doc) as { items: unknown[] }).items) {
    const node = resolveNode(item, doc) as YAMLMap;
    const name = String(value(node, 'name'));
    const nameRange = at(getNode(node, 'name', doc));
    const first = names.get(name);
    if (first) diagnostics.push(errorAt('duplicate-test', `two tests are named \`${name}\`: each needs its own name`, nameRange, [{ message: 'the first one', range: first }]));
    names.set(name, nameRange);
    const mocks = new Map(shared);
    for (const [k, m] of mocksOf(getNode(node, 'mocks', doc), doc, file, diagnostics)) mocks.set(k, m);
    const expectNode = getNode(node, 'expect', doc) as YAMLMap;
    const expected = <T>(key: string): Expected<T> | undefined => {
      const n = getNode(expectNode, key, doc);
      return n === undefined ? undefined : { value: toValue(n, doc) as T, range: at(n) };
    };
    const cancel = value(node, 'cancel_after');
    const concurrency = value(node, 'concurrency') as number | undefined;
    cases.push({
      name,
      range: nameRange,
      inputs: (value(node, 'inputs') ?? {}) as Record<string, unknown>,
      keepGoing: value(node, 'keep_going') === true,
      ...(concurrency === undefined ? {} : { concurrency }),
      mocks,
      signals: signalsOf(getNode(node, 'signals', doc), doc, file),
      ...(cancel === undefined ? {} : { cancelAfterMs: parseDuration(cancel) ?? 0 }),
      expect: {
        ...optional('status', expected<string>('status')),
        ...optional('error', expected<string>('error')),
        ...optional('ran', expected<string[]>('ran')),
        tasks: taskExpectations(getNode(expectNode, 'tasks', doc), doc, file),
        ...optional('outputs', expected<Record<string, unknown>>('outputs')),
        ...optional('vars', expected<Record<string, unknown>>('vars')),
      },
    });
  }
  return { file, blueprint: path.resolve(path.dirname(file), String(toValue(blueprintNode ?? null, doc))), blueprintRange: at(blueprintNode), cases };
}

function optional<K extends string, T>(key: K, v: T | undefined): { [P in K]?: T } {
  return (v === undefined ? {} : { [key]: v }) as { [P in K]?: T };
}

function mocksOf(node: Node | null | undefined, doc: Document, file: string, diagnostics: Diagnostic[]): Map<string, TaskMock> {
  const out = new Map<string, TaskMock>();
  if (!node || !isMap(node)) return out;
  for (const { key, pair, keyNode } of entries(node)) {
    if (key === null) continue;
    const map = resolveNode(pair.value, doc);
    const raw = (toValue(map, doc) ?? {}) as Record<string, unknown>;
    const range = rangeOf(keyNode, file);
    const own = attemptOf(raw);
    const hasOwn = Object.keys(raw).some((k) => k !== 'attempts' && k !== 'run');
    if (raw.run === 'real' && Object.keys(raw).length > 1) {
      diagnostics.push(errorAt('mock-real', `mock \`${key}\`: \`run: real\` runs the task for real, so it takes no other key`, range));
    } else if (raw.attempts !== undefined && hasOwn) {
      diagnostics.push(errorAt('mock-attempts', `mock \`${key}\`: give either \`attempts\` or one attempt's keys (exit, output, …), not both`, range));
    }
    const attempts = Array.isArray(raw.attempts) ? (raw.attempts as Record<string, unknown>[]).map(attemptOf) : [own];
    out.set(key, { name: key, range, real: raw.run === 'real', attempts });
  }
  return out;
}

function attemptOf(raw: Record<string, unknown>): AttemptMock {
  const a: AttemptMock = {};
  if (typeof raw.exit === 'number') a.exit = raw.exit;
  if (typeof raw.signal === 'string') a.signal = raw.signal;
  if ('output' in raw) a.output = raw.output;
  if (typeof raw.stdout === 'string') a.stdout = raw.stdout;
  if (typeof raw.stderr === 'string') a.stderr = raw.stderr;
  if (raw.duration !== undefined) a.durationMs = parseDuration(raw.duration) ?? 0;
  return a;
}

function signalsOf(node: Node | null | undefined, doc: Document, file: string): SignalArrival[] {
  if (!node || !isSeq(node)) return [];
  return node.items.map((item) => {
    const n = resolveNode(item, doc);
    const raw = toValue(n, doc) as Record<string, unknown>;
    return {
      task: String(raw.task),
      afterMs: raw.after === undefined ? 0 : (parseDuration(raw.after) ?? 0),
      data: raw.data ?? null,
      failed: raw.fail === true,
      reason: typeof raw.reason === 'string' ? raw.reason : null,
      range: rangeOf(n, file),
    };
  });
}

function taskExpectations(node: Node | null | undefined, doc: Document, file: string): TaskExpectation[] {
  if (!node || !isMap(node)) return [];
  return entries(node).flatMap(({ key, pair, keyNode }) => {
    if (key === null) return [];
    const valueNode = resolveNode(pair.value, doc);
    const raw = toValue(valueNode, doc);
    const range = rangeOf(keyNode, file);
    if (typeof raw === 'string') return [{ name: key, range, status: raw }];
    const r = (raw ?? {}) as Record<string, unknown>;
    const outputNode = isMap(valueNode) ? getNode(valueNode, 'output', doc) : undefined;
    return [{
      name: key,
      range,
      ...(typeof r.status === 'string' ? { status: r.status } : {}),
      ...(typeof r.attempts === 'number' ? { attempts: r.attempts } : {}),
      ...('output' in r ? { output: { value: r.output, range: rangeOf(outputNode, file) } } : {}),
      ...(typeof r.error === 'string' ? { error: r.error } : {}),
    }];
  });
}
