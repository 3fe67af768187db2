// What a test file may name, checked against its blueprint before anything runs: tasks of mocks, expectations and
// signals, and inputs; each problem is a positioned diagnostic (exit 2).
import { errorAt, type Diagnostic } from '../../blueprint/diagnostics.js';
import { resolveInputs } from '../../blueprint/inputs.js';
import type { Blueprint } from '../../blueprint/model.js';
import { frameLists, walkTasks } from '../../blueprint/visit.js';
import { didYouMean } from '../../blueprint/suggest.js';
import type { TestFile } from '../../blueprint/test-file.js';
import { idOfKey } from '../../engine/core/keys.js';

/** Every task id of the blueprint and of its sub-workflows, with its kind. */
function taskKinds(bp: Blueprint): Map<string, string> {
  const out = new Map<string, string>();
  for (const { spec } of walkTasks(frameLists(bp))) out.set(spec.id, spec.kind);
  return out;
}

export function checkAgainstBlueprint(t: TestFile, bp: Blueprint, shown: string): Diagnostic[] {
  const kinds = taskKinds(bp);
  const out: Diagnostic[] = [];
  const known = (what: string, name: string, range: Diagnostic['range'] & object): string | null => {
    const kind = kinds.get(idOfKey(name));
    if (kind === undefined) out.push(errorAt('unknown-task', `${what} \`${name}\`: ${shown} has no task \`${idOfKey(name)}\`${didYouMean(idOfKey(name), kinds.keys())}`, range));
    return kind ?? null;
  };
  const seen = new Set<string>();
  for (const c of t.cases) {
    for (const mock of c.mocks.values()) {
      const at = `${mock.range.start}`;
      if (seen.has(at)) continue; // the file's shared mocks are in every case: reported once
      seen.add(at);
      const kind = known('mock', mock.name, mock.range);
      if (kind !== null && kind !== 'run' && kind !== 'command') {
        out.push(errorAt('mock-not-command', `mock \`${mock.name}\`: it is a \`${kind}\` task, and only \`run\` and \`command\` tasks are mocked (the others run as they are)`, mock.range));
      }
    }
    for (const task of c.expect.tasks) known('expected task', task.name, task.range);
    for (const s of c.signals) {
      const kind = known('signal for', s.task, s.range);
      if (kind !== null && kind !== 'wait') out.push(errorAt('signal-not-wait', `signal for \`${s.task}\`: it is a \`${kind}\` task; signals complete \`wait\` tasks`, s.range));
    }
    for (const d of resolveInputs(bp, c.inputs).diagnostics) {
      if (d.severity === 'error') out.push(errorAt('test-input', `test "${c.name}": ${d.message}`, c.range));
    }
  }
  return out;
}
