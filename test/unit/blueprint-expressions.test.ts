// Expressions in blueprints: syntax, markers at the right place, `run:` pitfalls, and the scope of `tasks.<id>`.
import { describe, expect, it } from 'vitest';
import { loadText, marked, summary, withTasks } from './blueprint-helpers.js';

/** Messages of a blueprint's diagnostics. */
function messages(text: string): string[] {
  return loadText(text).diagnostics.map((d) => d.message);
}

describe('expression checks', () => {
  it('flags `==` and marks it, inside double quotes', () => {
    const result = loadText(withTasks('  - id: a\n    run: echo "${{ 1 == 1 }}"\n'));
    expect(summary(result)).toEqual(['error expression-syntax flow.yaml:4:22 `==` is not an expression operator: did you mean `=`?']);
    expect(marked(result)).toBe('==');
  });

  it('marks exactly in plain, single-quoted and literal block scalars', () => {
    const plain = loadText(withTasks('  - id: a\n    run: echo ${{ 1 && 2 }}\n'));
    expect(marked(plain)).toBe('&&');
    const single = loadText(withTasks("  - id: a\n    set: { x: '${{ a || b }}' }\n"));
    expect(marked(single)).toBe('||');
    const block = loadText(withTasks('  - id: a\n    run: |\n      echo one\n      echo "${{ x && y }}"\n'));
    expect(summary(block)).toEqual(['error expression-syntax flow.yaml:6:19 `&&` is not an expression operator: did you mean `and`?']);
    expect(marked(block)).toBe('&&');
  });

  it('finds the expression in folded scalars by searching', () => {
    const result = loadText(withTasks('  - id: a\n    run: >\n      echo one\n      echo "${{ x && y }}"\n'));
    expect(marked(result)).toBe('&&');
  });

  it('hints at quoting when `${{ }}` breaks a flow collection', () => {
    const result = loadText(withTasks('  - id: a\n    command: [x, ${{ 1 }}]\n'));
    expect(result.diagnostics.map((d) => d.code)).toContain('yaml-syntax');
    expect(result.diagnostics[0]?.message).toContain('must be quoted');
  });

  it('reports an unclosed `${{`', () => {
    expect(messages(withTasks('  - id: a\n    run: echo "${{ 1 "\n'))).toEqual(['unclosed `${{`: expected `}}`']);
  });

  it('checks bare expressions in if, switch, for_each and while', () => {
    const result = loadText(withTasks('  - id: a\n    if: x == 1\n    switch: y && z\n    cases: {}\n  - id: b\n    for_each: a || b\n    do: [{ id: c, run: x }]\n  - id: d\n    loop: { while: "1 == 1", do: [{ id: e, run: x }] }\n'));
    expect(result.diagnostics.map((d) => marked(result, result.diagnostics.indexOf(d)))).toEqual(['==', '&&', '||', '==']);
  });

  it('checks expressions in every string: env, cwd, outputs, set, terminate, workflow inputs', () => {
    const result = loadText(
      'name: t\nenv: { A: "${{ 1 == 2 }}" }\ntasks:\n  - id: a\n    run: x\n    cwd: ${{ a && b }}\n  - id: s\n    set: { v: "${{ [1, }}" }\n  - id: t\n    terminate: { status: failed, reason: "${{ a || b }}" }\noutputs:\n  o: "${{ 1 === 1 }}"\n',
    );
    expect(result.diagnostics.map((d) => d.code)).toEqual(['expression-syntax', 'expression-syntax', 'expression-syntax', 'expression-syntax', 'expression-syntax']);
  });

  it('rejects `${{ }}` in run with a non-POSIX shell, from the task or defaults', () => {
    const own = loadText(withTasks('  - id: a\n    shell: python3\n    run: print("${{ inputs.x }}")\n'));
    expect(summary(own)).toEqual(['error expression-in-foreign-shell flow.yaml:5:17 `${{ }}` in `run:` needs a POSIX shell (bash, sh, dash, zsh, ksh, ash), not `python3`: pass the value through `env:` instead']);
    expect(marked(own)).toBe('${{ inputs.x }}');
    expect(messages(withTasks('  - id: a\n    run: print("${{ 1 }}")\n', 'name: t\ndefaults: { shell: node }\n'))).toHaveLength(1);
    expect(messages(withTasks('  - id: a\n    shell: /usr/bin/bash -eu\n    run: echo "${{ 1 }}"\n'))).toEqual([]);
    expect(messages(withTasks('  - id: a\n    shell: python3\n    run: print(1)\n'))).toEqual([]);
  });

  it('warns about `${{ }}` inside single quotes in a script', () => {
    const result = loadText(withTasks("  - id: a\n    run: echo 'x ${{ 1 }}' \"${{ 2 }}\"\n"));
    expect(summary(result)).toEqual(['warning expression-in-single-quotes flow.yaml:4:18 `${{ }}` inside single quotes is not expanded by the shell: use double quotes']);
    expect(result.blueprint).not.toBeNull();
  });
});

describe('task reference scope', () => {
  const ok = (text: string) => expect(messages(text)).toEqual([]);

  it('lets a task read earlier tasks of its list and of enclosing lists', () => {
    ok(withTasks('  - id: a\n    run: x\n  - id: b\n    run: echo "${{ tasks.a.output }}"\n  - id: p\n    parallel:\n      - - id: c\n          run: echo "${{ tasks.b.output }}"\n        - id: d\n          if: tasks.c.status = "completed"\n          run: echo\n'));
  });

  it('lets later tasks read tasks inside finished parallel and switch blocks', () => {
    ok(withTasks('  - id: p\n    parallel:\n      - - id: c\n          run: x\n  - id: s\n    switch: x\n    cases:\n      a:\n        - id: s1\n          run: x\n  - id: e\n    run: echo "${{ tasks.c.output }} ${{ tasks.s1.output }}"\n'));
  });

  it.each([
    ['a later task', '  - id: a\n    run: echo "${{ tasks.b.output }}"\n  - id: b\n    run: x\n', '`b` has not run yet at this point: it comes after `a`'],
    ['itself', '  - id: a\n    run: echo "${{ tasks.a.output }}"\n', '`a` has not run yet at this point: it is this task itself'],
    ['an enclosing task', '  - id: p\n    parallel:\n      - - id: c\n          run: echo "${{ tasks.p.output }}"\n', '`p` has not finished at this point: this task is inside it'],
    ['its own descendant', '  - id: f\n    for_each: tasks.c.output\n    do:\n      - id: c\n        run: x\n', '`c` has not run yet at this point: it is inside this task'],
    ['a sibling branch', '  - id: p\n    parallel:\n      - - id: c\n          run: x\n      - - id: d\n          run: echo "${{ tasks.c.output }}"\n', '`c` is in another branch of parallel `p`, which runs at the same time'],
    ['another switch case', '  - id: s\n    switch: x\n    cases:\n      a:\n        - id: c\n          run: x\n    default:\n      - id: d\n        run: echo "${{ tasks.c.output }}"\n', '`c` is in another case of switch `s`: only one case runs'],
    ['a body from outside', '  - id: f\n    for_each: [1]\n    do:\n      - id: c\n        run: x\n  - id: d\n    run: echo "${{ tasks.c.output }}"\n', '`c` is inside the body of `f` and visible only there: read `tasks.f.output` instead'],
    ['a nested body from outside', '  - id: p\n    parallel:\n      - - id: l\n          loop:\n            while: "false"\n            do:\n              - id: c\n                run: x\n  - id: d\n    run: echo "${{ tasks.c.output }}"\n', '`c` is inside the body of `l` and visible only there: read `tasks.l.output` instead'],
    ['an unknown id', '  - id: build\n    run: x\n  - id: d\n    run: echo "${{ tasks.biuld.output }}"\n', 'no task has the id `biuld`; did you mean `build`?'],
    ['a handler from the main tasks', '  - id: a\n    run: echo "${{ tasks.h.output }}"\nfinally:\n  - id: h\n    run: x\n', '`h` has not run yet at this point: it is a `finally` task, which runs after the main tasks'],
    ['finally from on_failure', '  - id: a\n    run: x\non_failure:\n  - id: o\n    run: echo "${{ tasks.h.output }}"\nfinally:\n  - id: h\n    run: x\n', '`h` has not run yet at this point: it is a `finally` task, which runs after `on_failure`'],
  ])('rejects reading %s', (_, tasks, message) => {
    const result = loadText(withTasks(tasks));
    expect(result.diagnostics.map((d) => d.message)).toEqual([message]);
    expect(result.blueprint).toBeNull();
  });

  it('points at the id and notes where the task is defined', () => {
    const result = loadText(withTasks('  - id: a\n    run: echo "${{ tasks.b.output }}"\n  - id: b\n    run: x\n'));
    expect(marked(result)).toBe('b');
    expect(result.diagnostics[0]?.related?.[0]?.message).toBe('`b` is defined here');
  });

  it('lets body tasks read earlier body tasks and enclosing tasks; `while` sees the body', () => {
    ok(withTasks('  - id: a\n    run: x\n  - id: l\n    loop:\n      while: tasks.c.output != "done" and tasks.a.status = "completed"\n      do:\n        - id: b\n          run: x\n        - id: c\n          run: echo "${{ tasks.b.output }} ${{ tasks.a.output }}"\n'));
  });

  it('lets outputs and handlers read any task outside bodies, but not body tasks', () => {
    ok(withTasks('  - id: p\n    parallel:\n      - - id: c\n          run: x\noutputs:\n  o: ${{ tasks.c.output }}\non_failure:\n  - id: o\n    run: echo "${{ tasks.c.output }}"\nfinally:\n  - id: h\n    run: echo "${{ tasks.o.output }} ${{ tasks.p.output }}"\n'));
    expect(messages(withTasks('  - id: f\n    for_each: [1]\n    do:\n      - id: c\n        run: x\noutputs:\n  o: ${{ tasks.c.output }}\n'))).toEqual([
      '`c` is inside the body of `f` and visible only there: read `tasks.f.output` instead',
    ]);
  });

  it('rejects task references in settings read before any task runs', () => {
    expect(messages('name: t\nenv:\n  A: ${{ tasks.a.output }}\ntasks:\n  - id: a\n    run: x\n')).toEqual(['`a` has not run yet at this point: `env` is read before any task runs']);
  });
});

describe('item, index and iteration', () => {
  it('are errors outside the body that defines them, marked where they are read', () => {
    const result = loadText(withTasks('  - id: a\n    run: echo "${{ item }} ${{ iteration }}"\n'));
    expect(summary(result)).toEqual([
      'error name-out-of-scope flow.yaml:4:20 `item` is only defined inside the body of a `for_each` task',
      'error name-out-of-scope flow.yaml:4:32 `iteration` is only defined inside the body of a `loop` task (and its `while`)',
    ]);
  });

  it('are fine inside their bodies and in a loop\'s while; names inside filters are not root names', () => {
    const text = withTasks(
      '  - id: fe\n    for_each: ${{ [1, 2] }}\n    do:\n      - id: x\n        run: echo "${{ item }} ${{ index }} ${{ $count([1,2][$ = 1]) }}"\n' +
        '  - id: l\n    loop:\n      do:\n        - id: s\n          run: echo "${{ iteration }} ${{ tasks.fe.output[item = 1] }}"\n      while: iteration < 2\n',
    );
    expect(summary(loadText(text))).toEqual([]);
  });

  it('in a for_each nested in a loop, both are in scope', () => {
    const text = withTasks(
      '  - id: l\n    loop:\n      do:\n        - id: fe\n          for_each: ${{ [1] }}\n          do:\n            - id: x\n              run: echo "${{ item }} ${{ iteration }}"\n      while: "false"\n',
    );
    expect(summary(loadText(text))).toEqual([]);
  });
});
