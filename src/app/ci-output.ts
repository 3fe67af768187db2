// What a CI step gets from a run besides its exit code: the JUnit file, GitHub's annotations, masks and step summary.
import fs from 'node:fs';
import path from 'node:path';
import type { Blueprint } from '../blueprint/model.js';
import { frameLists, walkTasks } from '../blueprint/visit.js';
import type { RunState } from '../engine/core/state.js';
import type { Diagnostic } from '../blueprint/diagnostics.js';
import { addMaskCommands, diagnosticCommands, createGitHubReporter, githubActive, teeReporter } from '../report/github.js';
import { stepSummaryMarkdown } from '../report/github-summary.js';
import { runJUnitXml } from '../report/junit.js';
import type { Reporter } from '../report/reporter.js';
import { UsageError, type CommandIO } from './io.js';

export interface CIFlags {
  /** --junit FILE (else $BATON_JUNIT). */
  junit?: string;
  /** false with --no-ci-annotations. */
  ciAnnotations?: boolean;
  verbose: boolean;
}

/** The JUnit file to write, resolved against the cwd; its folder must exist (checked before the run starts). */
export function junitTarget(io: CommandIO, flags: CIFlags): string | null {
  const given = flags.junit ?? io.env.BATON_JUNIT;
  if (given === undefined || given === '') return null;
  const file = path.resolve(io.cwd, given);
  let dir: fs.Stats | undefined;
  try {
    dir = fs.statSync(path.dirname(file));
  } catch {
    dir = undefined;
  }
  const from = flags.junit !== undefined ? '--junit' : 'BATON_JUNIT';
  if (!dir?.isDirectory()) throw new UsageError(`${from} "${given}": the folder ${path.dirname(file)} does not exist`);
  if (fs.existsSync(file) && fs.statSync(file).isDirectory()) throw new UsageError(`${from} "${given}": it is a folder, not a file`);
  return file;
}

/** Inside GitHub Actions: each diagnostic also as an `::error`/`::warning` on its file and line, for the pull request. */
export function annotateDiagnostics(io: CommandIO, flags: { ciAnnotations?: boolean }, diagnostics: Diagnostic[], sources: Map<string, string>): void {
  if (!githubActive(io.env, flags.ciAnnotations) || diagnostics.length === 0) return;
  io.stderr.write(`${diagnosticCommands(diagnostics, sources, io.env, io.cwd).join('\n')}\n`);
}

/** The secrets' values a run masks: the blueprint and its sub-blueprints name them; the environment holds them. */
export function secretValues(bp: Blueprint, env: NodeJS.ProcessEnv): string[] {
  const names = new Set<string>(bp.secrets);
  for (const { spec } of walkTasks(frameLists(bp))) if (spec.kind === 'workflow') for (const name of spec.child.secrets) names.add(name);
  return [...names].map((name) => env[name] ?? '').filter((v) => v !== '');
}

/** Inside GitHub Actions: registers the secrets with the runner and returns the reporter that adds GitHub's commands. */
export function withGitHub(io: CommandIO, flags: CIFlags, secrets: string[], reporter: Reporter): Reporter {
  if (!githubActive(io.env, flags.ciAnnotations)) return reporter;
  const masks = addMaskCommands(secrets);
  if (masks.length > 0) io.stderr.write(`${masks.join('\n')}\n`);
  return teeReporter(reporter, createGitHubReporter({ stream: io.stderr, verbose: flags.verbose }));
}

/** At the end of a run, however it ended: the JUnit file (atomically) and GitHub's step summary. Failures are warnings. */
export function writeCIReports(io: CommandIO, flags: CIFlags, state: RunState, runDir: string, bp: Blueprint | null): void {
  let file: string | null = null;
  try {
    file = junitTarget(io, flags);
    if (file !== null) {
      const xml = runJUnitXml(state, { runDir, secrets: bp ? secretValues(bp, io.env) : [], ...(bp ? { blueprint: bp } : {}) });
      writeAtomically(file, xml);
    }
  } catch (err) {
    io.stderr.write(`warning: could not write the JUnit report${file ? ` ${file}` : ''}: ${err instanceof Error ? err.message : String(err)}\n`);
  }
  const summary = io.env.GITHUB_STEP_SUMMARY;
  if (!githubActive(io.env, flags.ciAnnotations) || !summary) return;
  try {
    fs.appendFileSync(summary, stepSummaryMarkdown(state, bp));
  } catch (err) {
    io.stderr.write(`warning: could not append to GITHUB_STEP_SUMMARY ${summary}: ${err instanceof Error ? err.message : String(err)}\n`);
  }
}

/** A reader never sees half a report: the text goes to a temporary file beside it, then takes its name. */
export function writeAtomically(file: string, text: string): void {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    fs.writeFileSync(temp, text);
    fs.renameSync(temp, file);
  } catch (err) {
    fs.rmSync(temp, { force: true });
    throw err;
  }
}
