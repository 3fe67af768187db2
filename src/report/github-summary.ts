// The Markdown a run appends to GitHub's step summary: status, a task table, the run's outputs, its graph by status.
import type { Blueprint } from '../blueprint/model.js';
import type { RunState } from '../engine/core/state.js';
import { formatDuration } from './format.js';
import { renderMermaid } from './graph-mermaid.js';
import { buildGraph, nodeStatuses } from './graph-model.js';
import { sanitizeText } from './sanitize.js';
import { STATUS_LOOK } from './status-look.js';
import { elapsedMs } from './summary.js';

/** Most task rows in the table (the step summary is capped at 1 MiB by GitHub). */
const MAX_ROWS = 500;

/** Text inside a Markdown table cell: no line breaks, pipes and markup escaped. */
function mdCell(text: string): string {
  return sanitizeText(text)
    .replace(/\r?\n/g, ' ')
    .replace(/[\\`*_{}[\]<>|#]/g, (c) => `\\${c}`)
    .replace(/&/g, '&amp;');
}

export function stepSummaryMarkdown(state: RunState, blueprint: Blueprint | null): string {
  const took = elapsedMs(state.started_at, state.ended_at);
  const out: string[] = [
    `## ${STATUS_LOOK[state.status].symbol} baton run \`${state.id.replace(/`/g, '')}\` (${mdCell(state.workflow)}): ${state.status}`,
    '',
    `Took ${took === null ? '-' : formatDuration(took)}.${state.error ? ` Error: ${mdCell(state.error.task ? `${state.error.task}: ${state.error.message}` : state.error.message)}` : ''}`,
    '',
  ];
  const tasks = Object.values(state.tasks);
  if (tasks.length > 0) {
    out.push('| Task | Status | Attempts | Duration | Exit |', '| --- | --- | ---: | ---: | ---: |');
    for (const t of tasks.slice(0, MAX_ROWS)) {
      out.push(`| ${mdCell(t.key)} | ${STATUS_LOOK[t.status].symbol} ${t.status} | ${t.attempts} | ${t.duration_ms === null ? '-' : formatDuration(t.duration_ms)} | ${t.exit_code ?? '-'} |`);
    }
    if (tasks.length > MAX_ROWS) out.push('', `…and ${tasks.length - MAX_ROWS} more tasks (see: baton status ${state.id}).`);
    out.push('');
  }
  const outputs = Object.entries(state.outputs ?? {});
  if (outputs.length > 0) {
    out.push('### Outputs', '', '| Output | Value |', '| --- | --- |');
    for (const [name, value] of outputs) out.push(`| ${mdCell(name)} | ${mdCell(typeof value === 'string' ? value : JSON.stringify(value))} |`);
    out.push('');
  }
  if (blueprint) {
    const model = buildGraph(blueprint);
    out.push('### Graph', '', '```mermaid', renderMermaid(model, nodeStatuses(model, state)).trimEnd().replace(/```/g, ''), '```', '');
  }
  return `${out.join('\n')}\n`;
}
