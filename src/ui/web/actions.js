// Run actions (retry, rerun from a task, cancel, resume, signal): each asks in a dialog, then shows the outcome.
import { useState } from '/vendor/preact-hooks.mjs';
import { html } from './view.js';
import { api } from './api.js';

/** State for one confirm dialog and the last outcome; `ask(spec)` opens the dialog. */
export function useActions(runId, onDone) {
  const [dialog, setDialog] = useState(null);
  const [outcome, setOutcome] = useState(null);
  const [busy, setBusy] = useState(false);
  const run = async (action, body) => {
    setBusy(true);
    try {
      const res = await api.action(runId, action, body);
      setOutcome({ ok: true, text: (res && res.message) || `${action}: done` });
    } catch (e) {
      setOutcome({ ok: false, text: `${action} failed: ${e.message}` });
    } finally {
      setBusy(false);
      setDialog(null);
      if (onDone) onDone();
    }
  };
  const ask = (spec) => setDialog(spec);
  const view = html`${outcome ? html`<div id="action-outcome" role="status" class=${outcome.ok ? 'outcome ok' : 'outcome bad'}>${outcome.text}
      <button class="link" onClick=${() => setOutcome(null)}>dismiss</button></div>` : null}
    ${dialog ? html`<${ConfirmDialog} spec=${dialog} busy=${busy} onCancel=${() => setDialog(null)} onConfirm=${(body) => run(dialog.action, body)} />` : null}`;
  return { ask, view };
}

function ConfirmDialog({ spec, busy, onCancel, onConfirm }) {
  const [values, setValues] = useState(() => ({ ...(spec.initial || {}) }));
  const [problem, setProblem] = useState(null);
  const set = (k, v) => setValues({ ...values, [k]: v });
  const confirm = (e) => {
    e.preventDefault();
    try {
      setProblem(null);
      onConfirm(spec.body ? spec.body(values) : {});
    } catch (err) {
      setProblem(err.message);
    }
  };
  return html`<div class="modal-back" onClick=${(e) => e.target === e.currentTarget && onCancel()}>
    <form class="modal" role="dialog" aria-modal="true" id="confirm-dialog" onSubmit=${confirm}>
      <h3>${spec.title}</h3>
      <p>${spec.text}</p>
      ${(spec.fields || []).map((f) => f.type === 'checkbox'
        ? html`<label class="field check"><input type="checkbox" name=${f.name} checked=${!!values[f.name]} onChange=${(e) => set(f.name, e.currentTarget.checked)} /> ${f.label}</label>`
        : f.type === 'textarea'
          ? html`<label class="field">${f.label}<textarea name=${f.name} rows="4" placeholder=${f.placeholder || ''} value=${values[f.name] || ''} onInput=${(e) => set(f.name, e.currentTarget.value)}></textarea></label>`
          : html`<label class="field">${f.label}<input name=${f.name} list=${f.list ? `${f.name}-list` : undefined} placeholder=${f.placeholder || ''} value=${values[f.name] || ''} onInput=${(e) => set(f.name, e.currentTarget.value)} />
            ${f.list ? html`<datalist id=${`${f.name}-list`}>${f.list.map((o) => html`<option value=${o} />`)}</datalist>` : null}</label>`)}
      ${problem ? html`<p class="problem">${problem}</p>` : null}
      <div class="buttons">
        <button type="button" onClick=${onCancel} disabled=${busy}>Cancel</button>
        <button type="submit" class=${spec.danger ? 'danger' : 'primary'} id="confirm-action" disabled=${busy}>${busy ? 'Working…' : spec.confirm}</button>
      </div>
    </form>
  </div>`;
}

/** The dialog spec of each action. */
export const specs = {
  retry: (id) => ({ action: 'retry', title: 'Retry this run?', confirm: 'Retry', text: `Runs the failed, timed-out and canceled tasks of ${id} again, keeping what completed (baton retry).` }),
  resume: (id) => ({ action: 'resume', title: 'Resume this run?', confirm: 'Resume', text: `Goes on with the interrupted run ${id} (baton resume).` }),
  cancel: (id) => ({ action: 'cancel', title: 'Cancel this run?', confirm: 'Cancel run', danger: true, text: `Kills the running tasks of ${id}, runs its finally handlers and ends it canceled (baton cancel).` }),
  rerun: (id, from, keys) => ({
    action: 'rerun', title: 'Rerun from a task?', confirm: 'Rerun', initial: { from: from || '' },
    text: `Resets that task instance of ${id} and what follows it, then goes on (baton rerun --from).`,
    fields: from ? [] : [{ name: 'from', label: 'Task (instance key)', placeholder: 'build', list: keys }],
    body: (v) => {
      const f = (from || v.from || '').trim();
      if (!f) throw new Error('Name the task to rerun from.');
      return { from: f };
    },
  }),
  signal: (id, task) => ({
    action: 'signal', title: `Signal ${task}?`, confirm: 'Send signal', initial: { data: '', fail: false, reason: '' },
    text: `Completes the waiting task ${task} of ${id} with the data as its output — or fails it with a reason (baton signal).`,
    fields: [
      { name: 'data', type: 'textarea', label: 'Data (JSON, optional)', placeholder: '{"approved": true}' },
      { name: 'fail', type: 'checkbox', label: 'Fail the task instead' },
      { name: 'reason', label: 'Reason (when failing)', placeholder: 'rejected' },
    ],
    body: (v) => {
      if (v.fail) return { task, fail: v.reason || 'failed from the web UI' };
      if (!v.data || !v.data.trim()) return { task };
      try {
        return { task, data: JSON.parse(v.data) };
      } catch (e) {
        throw new Error(`The data is not JSON: ${e.message}`);
      }
    },
  }),
};

const FINISHED_BAD = ['failed', 'timed_out', 'canceled'];

/** The action buttons that apply to a run in this status. */
export function RunActions({ doc, ask, keys }) {
  const s = doc.status;
  const id = doc.id;
  return html`<div class="actions" id="actions">
    ${FINISHED_BAD.includes(s) ? html`<button id="action-retry" onClick=${() => ask(specs.retry(id))}>Retry</button>` : null}
    ${s === 'interrupted' ? html`<button id="action-resume" onClick=${() => ask(specs.resume(id))}>Resume</button>` : null}
    ${s === 'running' || s === 'waiting' || s === 'interrupted' ? html`<button id="action-cancel" class="danger" onClick=${() => ask(specs.cancel(id))}>Cancel</button>` : null}
    ${s !== 'running' && s !== 'waiting' ? html`<button id="action-rerun" onClick=${() => ask(specs.rerun(id, null, keys))}>Rerun from…</button>` : null}
  </div>`;
}
