// The graph model and its mermaid / dot renderings: every task kind, its edges and clusters, and colouring by a run's statuses.
import { describe, expect, it } from 'vitest';
import { renderDot } from '../../src/report/graph-dot.js';
import { renderMermaid } from '../../src/report/graph-mermaid.js';
import { buildGraph, nodeStatuses, type GraphModel } from '../../src/report/graph-model.js';
import { blueprint, done, failed, run, running, state, task } from '../helpers/model.js';

const ALL_KINDS = blueprint(
  [
    run('first'),
    task('parallel', 'par', { failFast: true, branches: [[run('left')], [run('right1'), run('right2')], []] }),
    task('switch', 'pick', { value: 'inputs.mode', cases: [{ value: 'fast', tasks: [run('quick')] }, { value: 'none', tasks: [] }], default: [run('slow')] }),
    task('for_each', 'each', { items: '${{ tasks.first.output }}', failFast: true, body: [run('convert')] }),
    task('loop', 'again', { body: [run('poll')], while: 'tasks.poll.output.more = true', maxIterations: 5 }),
    task('workflow', 'sub', { path: 'child.yaml', inputs: {}, retry: { count: 0 }, child: blueprint([run('inner')], { name: 'child' }) }),
    task('wait', 'hold', { signal: 'approve' }),
    task('set', 'remember', { values: { a: 1 } }),
    task('terminate', 'stop', { status: 'completed' }),
  ],
  { onFailure: [run('notify')], finally: [run('cleanup')] },
);

function byLabel(model: GraphModel, first: string): string {
  const node = model.nodes.find((n) => n.label[0] === first);
  if (!node) throw new Error(`no node ${first}`);
  return node.id;
}

function edge(model: GraphModel, from: string, to: string): { label?: string; back?: boolean } | undefined {
  return model.edges.find((e) => e.from === byLabel(model, from) && e.to === byLabel(model, to));
}

describe('buildGraph', () => {
  const model = buildGraph(ALL_KINDS);

  it('draws one node per task and chains each list in order', () => {
    expect(model.title).toBe('test');
    expect(edge(model, 'first', 'par')).toBeDefined();
    expect(edge(model, 'hold', 'remember')).toBeDefined();
    expect(edge(model, 'remember', 'stop')).toBeDefined();
    expect(model.nodes.find((n) => n.label[0] === 'stop')?.shape).toBe('terminate');
    expect(model.nodes.find((n) => n.label[0] === 'hold')?.label).toEqual(['hold', 'wait for signal approve']);
  });

  it('forks a parallel into its branches and joins them, an empty branch straight to the join', () => {
    const join = model.nodes.find((n) => n.shape === 'join') as { id: string; label: string[] };
    expect(join.label).toEqual(['join par']);
    expect(edge(model, 'par', 'left')).toBeDefined();
    expect(edge(model, 'par', 'right1')).toBeDefined();
    expect(edge(model, 'right1', 'right2')).toBeDefined();
    expect(model.edges.some((e) => e.from === byLabel(model, 'right2') && e.to === join.id)).toBe(true);
    expect(model.edges.some((e) => e.from === byLabel(model, 'par') && e.to === join.id)).toBe(true);
    expect(model.edges.some((e) => e.from === join.id && e.to === byLabel(model, 'pick'))).toBe(true);
  });

  it('labels switch edges with their case values, an empty case going straight on', () => {
    expect(edge(model, 'pick', 'quick')?.label).toBe('fast');
    expect(edge(model, 'pick', 'slow')?.label).toBe('default');
    expect(edge(model, 'pick', 'each')?.label).toBe('none');
    expect(edge(model, 'quick', 'each')).toBeDefined();
    expect(edge(model, 'slow', 'each')).toBeDefined();
  });

  it('draws for_each as a stacked node before its body cluster, and a loop with a while back-edge', () => {
    const each = model.nodes.find((n) => n.label[0] === 'each');
    expect(each?.shape).toBe('for_each');
    expect(each?.label[1]).toBe('for each tasks.first.output');
    const convert = model.nodes.find((n) => n.label[0] === 'convert');
    expect(model.clusters.find((c) => c.id === convert?.cluster)).toMatchObject({ kind: 'body', label: 'each: each item' });
    expect(convert?.pattern).toBe('each.convert');
    expect(edge(model, 'poll', 'again')).toEqual({ from: byLabel(model, 'poll'), to: byLabel(model, 'again'), label: 'while tasks.poll.output.more = true', back: true });
    expect(edge(model, 'poll', 'sub')).toBeDefined();
  });

  it('puts a sub-workflow in its own cluster and handlers in a separate one', () => {
    const inner = model.nodes.find((n) => n.label[0] === 'inner');
    expect(inner?.pattern).toBe('sub/inner');
    expect(model.clusters.find((c) => c.id === inner?.cluster)).toMatchObject({ kind: 'workflow', label: 'sub: child (child.yaml)' });
    const notify = model.nodes.find((n) => n.label[0] === 'notify');
    const onFailure = model.clusters.find((c) => c.id === notify?.cluster);
    expect(onFailure?.kind).toBe('on_failure');
    expect(model.clusters.find((c) => c.id === onFailure?.parent)?.kind).toBe('handlers');
    expect(model.edges.some((e) => e.to === notify?.id || e.from === notify?.id)).toBe(false);
  });
});

describe('nodeStatuses', () => {
  it('colours each node by its instances, the most pressing one winning across iterations', () => {
    const model = buildGraph(ALL_KINDS);
    const statuses = nodeStatuses(model, state({ first: done(), 'each[0].convert': done(), 'each[1].convert': failed(), 'sub/inner': running(), slow: { status: 'skipped' } }));
    expect(statuses.get(byLabel(model, 'first'))).toBe('completed');
    expect(statuses.get(byLabel(model, 'convert'))).toBe('failed');
    expect(statuses.get(byLabel(model, 'inner'))).toBe('running');
    expect(statuses.get(byLabel(model, 'slow'))).toBe('skipped');
    expect(statuses.has(byLabel(model, 'stop'))).toBe(false);
  });
});

describe('renderers', () => {
  const model = buildGraph(ALL_KINDS);
  const statuses = nodeStatuses(model, state({ first: done(), 'each[0].convert': failed() }));

  it('mermaid: a flowchart with kind shapes, quoted escaped labels, subgraphs and status classes', () => {
    const text = renderMermaid(model, statuses);
    expect(text.startsWith('---\ntitle: "test"\n---\nflowchart TD\n')).toBe(true);
    expect(text).toContain(`${byLabel(model, 'each')}[["each<br/>for each tasks.first.output"]]`);
    expect(text).toContain(`${byLabel(model, 'pick')}{"pick<br/>switch inputs.mode"}`);
    expect(text).toContain(`${byLabel(model, 'again')}{{"again<br/>loop, at most 5"}}`);
    expect(text).toContain(`${byLabel(model, 'pick')} -->|"fast"| ${byLabel(model, 'quick')}`);
    expect(text).toContain(`${byLabel(model, 'poll')} -.->|"while tasks.poll.output.more = true"| ${byLabel(model, 'again')}`);
    expect(text).toMatch(/subgraph c\d+\["sub: child \(child.yaml\)"\]/);
    expect(text).toContain('classDef completed fill:');
    expect(text).toContain(`class ${byLabel(model, 'first')} completed`);
    expect(text).toContain(`class ${byLabel(model, 'convert')} failed`);
    expect(renderMermaid(model)).not.toContain('classDef');
  });

  it('mermaid escapes quotes, angle brackets and pipes in labels', () => {
    const tricky = buildGraph(blueprint([task('loop', 'l', { body: [run('b')], while: 'iteration < 3 and "x" | y', maxIterations: 3 })]));
    expect(renderMermaid(tricky)).toContain('|"while iteration #lt; 3 and #quot;x#quot; #124; y"|');
  });

  it('dot: a digraph with kind shapes, clusters, dashed back-edges and fill colours', () => {
    const text = renderDot(model, statuses);
    expect(text.startsWith('digraph "test" {')).toBe(true);
    expect(text).toMatch(new RegExp(`${byLabel(model, 'each')} \\[label="each\\\\nfor each tasks.first.output", shape=box, peripheries=2\\]`));
    expect(text).toContain('shape=diamond');
    expect(text).toContain('shape=hexagon');
    expect(text).toContain('shape=invtrapezium');
    expect(text).toMatch(/subgraph cluster_c\d+ \{\n\s+label="sub: child \(child.yaml\)"; style=solid;/);
    expect(text).toContain(`${byLabel(model, 'poll')} -> ${byLabel(model, 'again')} [label="while tasks.poll.output.more = true", style=dashed, constraint=false];`);
    expect(text).toMatch(new RegExp(`${byLabel(model, 'first')} \\[label="first", shape=box, style="filled", fillcolor="#c8e6c9"`));
    expect(text.trimEnd().endsWith('}')).toBe(true);
  });
});
