// Tests for checkExpression (syntax errors, foreign operators, lint) and taskReferences.
import { describe, expect, it } from 'vitest';
import { checkExpression, taskReferences } from '../../src/expr/index.js';

describe('taskReferences', () => {
  it.each([
    ['tasks.list.output', [{ id: 'list', offset: 6 }]],
    ['$count(tasks.resize.output)', [{ id: 'resize', offset: 13 }]],
    ['tasks.`my-id`.output', [{ id: 'my-id', offset: 7 }]],
    ['tasks.a.output & tasks.b.stdout', [{ id: 'a', offset: 6 }, { id: 'b', offset: 23 }]],
    ["'tasks.x' & \"tasks.y\"", []],
    ['inputs.tasks.x', []],
    ['$$.tasks.z.output', [{ id: 'z', offset: 9 }]],
    ['tasks.a.status = "completed" ? tasks.b.output : tasks.c.output[0]', [
      { id: 'a', offset: 6 }, { id: 'b', offset: 37 }, { id: 'c', offset: 54 },
    ]],
    ['$map(inputs.xs, function($v) { tasks.inner.output })', [{ id: 'inner', offset: 37 }]],
    ['{ "n": $count(tasks.q.output) }', [{ id: 'q', offset: 20 }]],
    ['tasks', []],
    ['a ==', []],
  ])('%s', (source, refs) => {
    expect(taskReferences(source)).toEqual(refs);
    for (const ref of refs) expect(source.slice(ref.offset, ref.offset + ref.id.length)).toBe(ref.id);
  });
});

describe('checkExpression', () => {
  it('accepts a valid expression', () => {
    expect(checkExpression('$count(tasks.list.output) > 2 and inputs.x = "a"')).toEqual([]);
  });

  it.each([
    ['inputs.a == 1', '==', '=', 9],
    ['inputs.a && inputs.b', '&&', 'and', 9],
    ['inputs.a || inputs.b', '||', 'or', 9],
    ['inputs.a !== 1', '!==', '!=', 9],
  ])('%s: flags %s with "did you mean %s"', (source, op, suggestion, offset) => {
    const problems = checkExpression(source);
    expect(problems).toEqual([
      { severity: 'error', message: expect.stringContaining(`did you mean \`${suggestion}\``), offset, length: op.length },
    ]);
    expect(problems[0]?.message).toContain(`\`${op}\``);
  });

  it('does not flag operators inside strings', () => {
    expect(checkExpression('"a == b" & \'x && y\' & "p || q"')).toEqual([]);
  });

  it('reports a plain syntax error with the offset of the offending token', () => {
    expect(checkExpression('inputs.a inputs.b')).toEqual([
      { severity: 'error', message: 'Syntax error: "inputs"', offset: 9, length: 6 },
    ]);
  });

  it('reports an unexpected end of expression at the end', () => {
    const [problem] = checkExpression('inputs.a +');
    expect(problem).toMatchObject({ severity: 'error', message: 'Unexpected end of expression', offset: 10 });
  });

  it('reports an unterminated string', () => {
    const [problem] = checkExpression("'abc");
    expect(problem?.severity).toBe('error');
    expect(problem?.message).toMatch(/String literal must be terminated/);
  });

  it('reports an empty expression', () => {
    expect(checkExpression('  ')).toEqual([{ severity: 'error', message: 'empty expression', offset: 0, length: 0 }]);
  });

  it('keeps the parser error when it is not about a flagged operator', () => {
    expect(checkExpression('inputs.a inputs.b && c').map((p) => [p.offset, p.message])).toEqual([
      [9, 'Syntax error: "inputs"'],
      [18, expect.stringContaining('did you mean `and`')],
    ]);
    // Operators inside comments are not code.
    expect(checkExpression('inputs.a inputs.b /* && */').map((p) => p.message)).toEqual(['Syntax error: "inputs"']);
  });

  it('warns that tasks.my-id reads as a subtraction', () => {
    expect(checkExpression('tasks.my-id.output')).toEqual([
      {
        severity: 'warning',
        message: '`tasks.my-id` reads as `tasks.my - id`; quote the id: tasks.`my-id`',
        offset: 6,
        length: 5,
      },
    ]);
    expect(checkExpression('tasks.a.output - 1')).toEqual([]);
    expect(checkExpression('tasks.`my-id`.output')).toEqual([]);
  });
});
