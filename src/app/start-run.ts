// `baton run`: validate the blueprint and inputs, record a new run, and drive it.
import path from 'node:path';
import { hasErrors, type Diagnostic } from '../blueprint/diagnostics.js';
import { parseInputArgs, resolveInputs } from '../blueprint/inputs.js';
import { loadBlueprint } from '../blueprint/load.js';
import type { Blueprint } from '../blueprint/model.js';
import { mergeEnvFiles } from '../blueprint/env-files.js';
import { envFilePaths, runBaseEnv } from './env-files.js';
import { evaluateRunConcurrency } from '../engine/core/limit.js';
import { instanceMap, STATE_SCHEMA, STATE_SCHEMA_VERSION, type RunState } from '../engine/core/state.js';
import { diagnosticsJson, printDiagnostics } from '../report/diagnostics.js';
import { generateRunId, isValidRunId, resolveStateDir, RunStore, StoreError } from '../store/index.js';
import { RUN_STATUS, type RunStatus } from '../engine/core/status.js';
import { maskEntries, maskText } from '../executor/index.js';
import { summarize } from '../report/summary.js';
import { planRetry } from '../engine/core/reset.js';
import { continueRun, notFinished, openIdleRun } from './continue-run.js';
import { annotateDiagnostics, junitTarget, writeCIReports } from './ci-output.js';
import { driveRun, type DriveFlags } from './drive.js';
import { printDryRun } from './dry-run.js';
import { blueprintPath, checkOnly, skipAllBut, withTheirNeeds } from './only.js';
import { EXIT, UsageError, type CommandIO } from './io.js';
import { currentStatus, openRun } from './open-run.js';

export interface RunOptions extends DriveFlags {
  /** Undefined: `baton.yaml` or `.baton.yaml` in the current directory. */
  blueprint?: string;
  /** Top-level task ids to run alone; the others are recorded as skipped. */
  only?: string[];
  /** With `only`: also run what those tasks `needs:`, transitively. */
  withNeeds?: boolean;
  /** Print what would run, with rendered commands, and run nothing. */
  dryRun?: boolean;
  inputs: string[];
  inputFile?: string;
  runId?: string;
  /** With --run-id: a run of that id from the same blueprint is picked up instead of refused (idempotent CI steps). */
  resumeExisting?: boolean;
}

export async function startRun(io: CommandIO, o: RunOptions): Promise<number> {
  const file = blueprintPath(io, o.blueprint);
  // Read before anything else: a missing --env-file is exit 2 with nothing recorded.
  const envFiles = envFilePaths(io, o.envFiles);
  const baseEnv = runBaseEnv(io, envFiles);
  const loaded = loadBlueprint(file);
  const diagnostics: Diagnostic[] = [...loaded.diagnostics];
  let inputs: Record<string, unknown> = {};
  if (loaded.blueprint) {
    const given = parseInputArgs(loaded.blueprint, o.inputs, o.inputFile === undefined ? undefined : path.resolve(io.cwd, o.inputFile));
    diagnostics.push(...given.diagnostics);
    if (!hasErrors(given.diagnostics)) {
      const resolved = resolveInputs(loaded.blueprint, given.values);
      diagnostics.push(...resolved.diagnostics);
      inputs = resolved.inputs;
    }
  }
  // An input may be given a secret's value (`-i token=$TOKEN`): its messages and its recorded value are masked.
  const secretEnv = { ...baseEnv, ...mergeEnvFiles(loaded.blueprint?.envFiles ?? []) };
  const secrets = loaded.blueprint ? loaded.blueprint.secrets.map((name) => secretEnv[name] ?? '').filter((v) => v !== '') : [];
  const shown = maskDiagnostics(diagnostics, secrets);
  const sources = secrets.length === 0 ? loaded.sources : new Map([...loaded.sources].map(([f, text]) => [f, maskText(text, secrets)]));
  annotateDiagnostics(io, o, shown, sources);
  if (!loaded.blueprint || hasErrors(diagnostics)) {
    return await reportCannotStart(io, o.json, 'the run cannot start: the blueprint or its inputs are invalid', shown, sources);
  }
  if (diagnostics.length > 0 && !o.quiet) await printDiagnostics(io, shown, sources);
  junitTarget(io, o); // refused before anything is recorded
  const bp = loaded.blueprint;
  checkOnly(bp, o.only ?? []);
  const only = o.withNeeds ? withTheirNeeds(bp, o.only ?? []) : (o.only ?? []);
  if (o.dryRun) return printDryRun(io, bp, inputs, { ...baseEnv, ...mergeEnvFiles(bp.envFiles) }, secrets, only, o.json);
  const maskedInputs = maskEntries(inputs, secrets);
  const notes = maskedInputs === inputs ? [] : ["a secret's value was masked (***) in the run's inputs"];
  inputs = maskedInputs;
  const stateDir = resolveStateDir(o.stateDir, io.env, io.cwd);
  if (o.runId !== undefined && !isValidRunId(o.runId)) {
    throw new UsageError(`invalid --run-id "${o.runId}": use 1 to 100 of [A-Za-z0-9_.-]`);
  }
  // `last` always means the most recent run in <run> arguments, so a run of that name could never be named.
  if (o.runId === 'last') throw new UsageError('invalid --run-id "last": it is reserved for the most recently started run');
  const id = o.runId ?? generateRunId(bp.name, new Date());
  let concurrency = o.concurrency ?? null;
  if (concurrency === null && typeof bp.concurrency === 'string') {
    // Evaluated once, before anything is recorded; the run keeps the number (resume uses it too).
    const limit = await evaluateRunConcurrency({ ...bp, concurrency: bp.concurrency }, inputs, { id, dir: path.join(stateDir, 'runs', id), invocationDir: io.cwd }, baseEnv);
    if (typeof limit === 'string') {
      const message = `\`concurrency: \${{ ${bp.concurrency} }}\`: ${limit}`;
      return await reportCannotStart(io, o.json, 'the run cannot start: its concurrency is invalid', [{ severity: 'error', code: 'invalid-concurrency', message }], loaded.sources);
    }
    concurrency = limit;
  }
  const state = initialState(id, bp.name, file, io.cwd, inputs, o.keepGoing, concurrency);
  if (envFiles.length > 0) state.options.env_files = envFiles;
  let store: RunStore;
  try {
    store = RunStore.create(stateDir, id, bp.source, state);
  } catch (err) {
    if (err instanceof StoreError && err.code === 'exists') {
      if (o.resumeExisting) return pickUpExisting(io, id, bp, inputs, o);
      throw new UsageError(`run ${id} already exists in ${stateDir}`, existingRunHint(io, id, o.stateDir));
    }
    throw err;
  }
  store.acquireLock();
  return driveRun(io, bp, state, store, o, notes, skipAllBut(bp, only));
}

/** What to do about a --run-id that is taken: it depends on how that run stands. */
function existingRunHint(io: CommandIO, id: string, stateDir: string | undefined): string {
  let status: RunStatus;
  try {
    const run = openRun(io, id, stateDir);
    run.store.close();
    status = currentStatus(run.state, run.holder);
  } catch {
    return 'pick another --run-id';
  }
  const what: Record<RunStatus, string> = {
    running: `it is running; pick another --run-id, or watch it with: baton status ${id} --watch`,
    waiting: `it is waiting; pick another --run-id, or see what it waits for with: baton status ${id}`,
    interrupted: `it was interrupted; pick another --run-id, continue it with: baton resume ${id}, or add --resume-existing`,
    failed: `it failed; pick another --run-id, or re-run what failed with: baton retry ${id}`,
    timed_out: `it timed out; pick another --run-id, or re-run what timed out with: baton retry ${id}`,
    canceled: `it was canceled; pick another --run-id, or re-run what was canceled with: baton retry ${id}`,
    completed: `it completed; pick another --run-id, or run tasks of it again with: baton rerun ${id} --from <task>`,
  };
  return what[status];
}

/** A run before its first event; `drive-in-memory` starts its runs from here too. */
export function initialState(id: string, workflow: string, file: string, cwd: string, inputs: Record<string, unknown>, keepGoing: boolean, concurrency: number | null, startedAt = new Date()): RunState {
  return {
    schema: STATE_SCHEMA,
    schema_version: STATE_SCHEMA_VERSION,
    id,
    workflow,
    status: 'running',
    error: null,
    inputs,
    outputs: null,
    vars: {},
    blueprint_file: file,
    invocation_dir: cwd,
    started_at: startedAt.toISOString(),
    ended_at: null,
    phase: 'main',
    outcome: null,
    active_ms: 0,
    seq: 0,
    tasks: instanceMap(),
    options: { keep_going: keepGoing, concurrency },
  };
}

function maskDiagnostics(diagnostics: Diagnostic[], secrets: string[]): Diagnostic[] {
  if (secrets.length === 0) return diagnostics;
  return diagnostics.map((d) => ({
    ...d,
    message: maskText(d.message, secrets),
    ...(d.related ? { related: d.related.map((r) => ({ ...r, message: maskText(r.message, secrets) })) } : {}),
  }));
}

async function reportCannotStart(io: CommandIO, json: boolean, error: string, diagnostics: Diagnostic[], sources: Map<string, string>): Promise<number> {
  await printDiagnostics(io, diagnostics, sources);
  if (json) io.stdout.write(`${JSON.stringify({ error, diagnostics: diagnosticsJson(diagnostics, sources) }, null, 2)}\n`);
  return EXIT.usage;
}

/** `--resume-existing`: the same run started again (a re-run CI step) goes on where it was, retries what failed, or reports how it ended. */
async function pickUpExisting(io: CommandIO, id: string, bp: Blueprint, inputs: Record<string, unknown>, o: RunOptions): Promise<number> {
  const run = openIdleRun(io, id, o.stateDir);
  const sameInputs = JSON.stringify(run.state.inputs) === JSON.stringify(inputs);
  if (run.store.readBlueprintSource() !== bp.source || !sameInputs) {
    run.store.close();
    const what = sameInputs ? 'a different blueprint' : 'different inputs';
    throw new UsageError(`run ${id} exists and was started with ${what}: --resume-existing only picks up the same run`);
  }
  if (notFinished(run)) return continueRun(io, run, { ...o, reload: false });
  // A re-run CI job after a failure wants the failure retried, keeping what completed (as `baton retry`).
  if (run.state.status === 'failed' || run.state.status === 'timed_out') {
    io.stderr.write(`run ${id} ${run.state.status} before: retrying what did not complete\n`);
    return continueRun(io, run, { ...o, reload: false }, (blueprint, state) => [planRetry(blueprint, state)]);
  }
  run.store.close();
  io.stderr.write(`run ${id} already finished: ${run.state.status}\n`);
  writeCIReports(io, o, run.state, run.store.dir, bp);
  if (o.json) io.stdout.write(`${JSON.stringify(summarize(run.state), null, 2)}\n`);
  return RUN_STATUS[run.state.status].exitCode;
}

