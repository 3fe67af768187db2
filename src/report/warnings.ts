// The engine's warnings in words: the engine sends them as data, this is where they become sentences.
import type { EngineWarning, NamedProcess } from '../engine/core/warnings.js';

export function warningText(w: EngineWarning): string {
  switch (w.code) {
    case 'output_masked':
      return `a secret's value was masked (***) in the output of ${w.task}`;
    case 'escaped_processes':
      return `killed ${w.processes.length} process${w.processes.length === 1 ? '' : 'es'} left behind by ${w.task}: ${w.processes.map((p) => `pid ${named(p)}`).join(', ')}`;
    case 'leftover_processes':
      return `task ${w.task} left processes running; killing them: ${w.processes.map(named).join(', ')}`;
    case 'orphans_ended':
      return `ended ${w.processes.length} process(es) left by the interrupted driver: ${w.processes.map(named).join(', ')}`;
    case 'output_null':
      return `${w.frame ? `sub-run ${w.frame}: ` : ''}${w.message} (null)`;
  }
}

function named(p: NamedProcess): string {
  return `${p.pid} (${p.command})`;
}
