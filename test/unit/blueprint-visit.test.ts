// The blueprint visitor: which lists each task kind holds, how their keys nest, and the order a walk visits tasks in.
import { describe, expect, it } from 'vitest';
import type { TaskSpec } from '../../src/blueprint/model.js';
import { childLists, frameLists, staticOnly, tasksInside, walkTasks, withinBlueprint } from '../../src/blueprint/visit.js';
import { loadFiles } from './blueprint-helpers.js';

const FLOW = `name: visit
tasks:
  - id: p
    parallel:
      - - id: p1
          run: echo
      - - id: p2
          run: echo
  - id: s
    switch: \${{ 'x' }}
    cases:
      x:
        - id: sx
          run: echo
    default:
      - id: sd
        run: echo
  - id: fe
    for_each: [1, 2]
    do:
      - id: fe1
        run: echo
  - id: lp
    loop:
      do:
        - id: lp1
          run: echo
      while: \${{ false }}
  - id: wf
    workflow: child.yaml
  - id: w
    wait: 1s
  - id: st
    set: { a: 1 }
  - id: c
    command: [echo]
  - id: t
    terminate: { status: completed }
on_failure:
  - id: of
    run: echo
finally:
  - id: fin
    run: echo
`;
const CHILD = `name: child
tasks:
  - id: ct
    run: echo
finally:
  - id: cf
    run: echo
`;

function load() {
  const result = loadFiles({ 'flow.yaml': FLOW, 'child.yaml': CHILD });
  if (!result.blueprint) throw new Error(JSON.stringify(result.diagnostics));
  return result.blueprint;
}

const byId = (bp: ReturnType<typeof load>, id: string): TaskSpec => bp.tasks.find((t) => t.id === id)!;
const shape = (spec: TaskSpec) => childLists(spec).map((l) => `${l.role}:${l.label}:${l.nesting}=${l.tasks.map((t) => t.id).join(',')}`);

describe('blueprint visitor', () => {
  it.each([
    ['p', ['branch:1:shared=p1', 'branch:2:shared=p2']],
    ['s', ['case:x:shared=sx', 'default:default:shared=sd']],
    ['fe', ['body:body:per-item=fe1']],
    ['lp', ['body:body:per-item=lp1']],
    ['wf', ['tasks:tasks:sub-run=ct', 'on_failure:on_failure:sub-run=', 'finally:finally:sub-run=cf']],
    ['w', []],
    ['st', []],
    ['c', []],
    ['t', []],
  ])('childLists of %s', (id, lists) => {
    expect(shape(byId(load(), id))).toEqual(lists);
  });

  it('lists a frame as tasks, on_failure, finally', () => {
    expect(frameLists(load()).map((l) => `${l.role}:${l.nesting}=${l.tasks.map((t) => t.id).join(',')}`)).toEqual(['tasks:frame=p,s,fe,lp,wf,w,st,c,t', 'on_failure:frame=of', 'finally:frame=fin']);
  });

  it('walks depth first in blueprint order, with owner and depth', () => {
    const seen = [...walkTasks(frameLists(load()))].map((v) => `${v.spec.id}<${v.owner?.id ?? ''}@${v.depth}`);
    expect(seen).toEqual(['p<@0', 'p1<p@1', 'p2<p@1', 's<@0', 'sx<s@1', 'sd<s@1', 'fe<@0', 'fe1<fe@1', 'lp<@0', 'lp1<lp@1', 'wf<@0', 'ct<wf@1', 'cf<wf@1', 'w<@0', 'st<@0', 'c<@0', 't<@0', 'of<@0', 'fin<@0']);
  });

  it('stays in one blueprint file, or in what one instance holds statically', () => {
    const bp = load();
    expect([...walkTasks(frameLists(bp), withinBlueprint)].map((v) => v.spec.id)).not.toContain('ct');
    expect([...tasksInside(byId(bp, 's'), staticOnly)].map((v) => v.spec.id)).toEqual(['sx', 'sd']);
    expect([...tasksInside(byId(bp, 'fe'), staticOnly)]).toEqual([]);
  });
});
