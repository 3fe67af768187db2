// Tests for evaluation, rendering (whole vs mixed), toText and conditions.
import { describe, expect, it } from 'vitest';
import {
  ExpressionError,
  compileExpression,
  evaluateCondition,
  evaluateExpression,
  renderTemplate,
  renderText,
  toText,
  type EvalContext,
  type TaskView,
} from '../../src/expr/index.js';

function task(output: unknown, status = 'completed'): TaskView {
  return {
    status, output, stdout: null, stderr: null, exit_code: 0, attempts: 1,
    started_at: null, ended_at: null, duration_ms: null,
  };
}

function context(extra: Partial<EvalContext> = {}): EvalContext {
  return {
    inputs: { dir: '/tmp/pics', size: 128, flag: false, names: ['a', 'b'], empty: '' },
    env: { HOME: '/home/u' },
    vars: { n: 3 },
    tasks: {
      list: task(['x.png', 'y.png']),
      'my-id': task({ k: 'v' }),
      one: task(['only']),
      obj: task({ a: 1, b: [1, 2] }),
    },
    run: {
      id: 'r1', name: 'thumbs', dir: '/runs/r1', invocation_dir: '/work', started_at: '2024-01-01T00:00:00Z',
      status: 'running', error: null,
    },
    ...extra,
  };
}

describe('evaluateExpression', () => {
  it.each([
    ['inputs.dir', '/tmp/pics'],
    ['inputs.size * 2', 256],
    ['tasks.list.output', ['x.png', 'y.png']],
    ['$count(tasks.list.output)', 2],
    ['tasks.`my-id`.output.k', 'v'],
    ['run.id & "-" & env.HOME', 'r1-/home/u'],
    ['vars.n', 3],
    ['inputs.missing', null],
    ['tasks.*.status', ['completed', 'completed', 'completed', 'completed']],
    ['$$.inputs.size', 128],
  ])('%s → %j', async (source, expected) => {
    expect(await evaluateExpression(source, context())).toEqual(expected);
  });

  it('returns plain arrays (no JSONata sequence flag) that serialize cleanly', async () => {
    const value = await evaluateExpression('tasks.*.status', context());
    expect(Array.isArray(value)).toBe(true);
    expect(Object.keys(value as object)).toEqual(['0', '1', '2', '3']);
  });

  it('reads item and index in a for_each body', async () => {
    expect(await evaluateExpression('item & ":" & index', context({ item: 'p.png', index: 4 }))).toBe('p.png:4');
  });

  it('rejects evaluation errors with an ExpressionError naming the expression', async () => {
    const failure = evaluateExpression("inputs.dir + 'a'", context());
    await expect(failure).rejects.toBeInstanceOf(ExpressionError);
    await expect(failure).rejects.toThrow(`expression "inputs.dir + 'a'": The left side of the "+" operator must evaluate to a number`);
  });

  it('rejects syntax errors with an ExpressionError carrying the position', async () => {
    expect(() => compileExpression('a b')).toThrow(ExpressionError);
    try {
      compileExpression('a b');
    } catch (error) {
      expect((error as ExpressionError).position).toBe(2);
    }
    await expect(evaluateExpression('(', context())).rejects.toBeInstanceOf(ExpressionError);
  });

  it('caches compiled expressions by source', () => {
    expect(compileExpression('inputs.size + 1')).toBe(compileExpression('inputs.size + 1'));
  });
});

describe('renderTemplate', () => {
  it.each([
    ['${{ tasks.list.output }}', ['x.png', 'y.png']],
    ['${{ inputs.size }}', 128],
    ['${{ inputs.flag }}', false],
    ['${{ tasks.obj.output }}', { a: 1, b: [1, 2] }],
    ['${{ inputs.nothing }}', null],
    ['size=${{ inputs.size }}', 'size=128'],
    ['files: ${{ tasks.list.output }}', 'files: ["x.png","y.png"]'],
    ['o=${{ tasks.obj.output }}', 'o={"a":1,"b":[1,2]}'],
    ['[${{ inputs.nothing }}]', '[]'],
    ['${{ inputs.size }}${{ inputs.size }}', '128128'],
    [' ${{ inputs.size }}', ' 128'],
  ])('%s → %j', async (template, expected) => {
    expect(await renderTemplate(template, context())).toEqual(expected);
  });

  it('renders arrays and objects recursively, keeping types of whole expressions', async () => {
    const value = { argv: ['convert', '${{ item }}', '-resize', '${{ inputs.size }}'], n: 1, nested: { list: '${{ tasks.one.output }}' } };
    expect(await renderTemplate(value, context({ item: 'a.png' }))).toEqual({
      argv: ['convert', 'a.png', '-resize', 128],
      n: 1,
      nested: { list: ['only'] },
    });
  });

  it('returns values without expressions as the same reference', async () => {
    const value = { a: ['x', { b: 'y' }], c: 2 };
    expect(await renderTemplate(value, context())).toBe(value);
    const partly = { keep: { k: 1 }, change: '${{ vars.n }}' };
    const rendered = (await renderTemplate(partly, context())) as typeof partly;
    expect(rendered).toEqual({ keep: { k: 1 }, change: 3 });
    expect(rendered.keep).toBe(partly.keep);
    expect(partly.change).toBe('${{ vars.n }}');
  });

  it('rejects an unclosed ${{ with an ExpressionError', async () => {
    await expect(renderTemplate('a ${{ b', context())).rejects.toBeInstanceOf(ExpressionError);
  });
});

describe('renderText', () => {
  it.each([
    ['${{ inputs.size }}', '128'],
    ['${{ tasks.list.output }}', '["x.png","y.png"]'],
    ['${{ inputs.nothing }}', ''],
    ['dir=${{ inputs.dir }}', 'dir=/tmp/pics'],
    [7, '7'],
    [true, 'true'],
    [null, ''],
    [['${{ inputs.size }}', 'x'], '[128,"x"]'],
  ])('%j → %j', async (value, expected) => {
    expect(await renderText(value, context())).toBe(expected);
  });
});

describe('toText', () => {
  it.each([
    ['text', 'text'],
    [null, ''],
    [undefined, ''],
    [0, '0'],
    [1.5, '1.5'],
    [false, 'false'],
    [[1, 'a'], '[1,"a"]'],
    [{ a: null }, '{"a":null}'],
  ])('%j → %j', (value, expected) => {
    expect(toText(value)).toBe(expected);
  });
});

describe('evaluateCondition', () => {
  it.each([
    [true, true],
    [false, false],
    ['${{ inputs.size > 100 }}', true],
    ['inputs.size > 200', false],
    ['${{ inputs.empty }}', false],
    ['inputs.dir', true],
    ['0', false],
    ['vars.n', true],
    ['inputs.missing', false],
    ['[]', false],
    ['[0, ""]', false],
    ['[0, 1]', true],
    ['{}', false],
    ['tasks.obj.output', true],
    ["tasks.list.status = 'completed'", true],
    ['false', false],
    ['$count(tasks.list.output) = 2', true],
  ])('%j → %s', async (cond, expected) => {
    expect(await evaluateCondition(cond, context())).toBe(expected);
  });

  it('rejects an evaluation error', async () => {
    await expect(evaluateCondition("inputs.dir - 1", context())).rejects.toBeInstanceOf(ExpressionError);
  });
});
