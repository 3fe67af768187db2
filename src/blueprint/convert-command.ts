// Command-task settings and retry policies, with `defaults` applied (a task's own key replaces the default).
import { isMap, isScalar, type Node, type YAMLMap } from 'yaml';
import { parseDuration } from './duration.js';
import { DEFAULT_KILL_GRACE_MS, NO_RETRY, type Backoff, type CommandSettings, type OutputMode, type RetryPolicy } from './model.js';
import { envValues, field, numberValue, stringValue, value, type CommandDefaults, type ConvertContext } from './convert-context.js';
import { convertEnvFiles } from './env-files.js';
import { toValue } from './yaml-nodes.js';

/** The retry policy written at `node` (`N` or a mapping); undefined when absent or invalid. */
export function convertRetry(ctx: ConvertContext, node: Node | null | undefined): RetryPolicy | undefined {
  if (node === undefined || node === null) return undefined;
  if (isScalar(node) && typeof node.value === 'number') return { ...NO_RETRY, count: node.value };
  if (!isMap(node)) return undefined;
  const policy: RetryPolicy = {
    count: numberValue(ctx, node, 'count') ?? 0,
    delayMs: durationValue(ctx, node, 'delay') ?? 0,
    backoff: (stringValue(ctx, node, 'backoff') as Backoff | undefined) ?? 'fixed',
    factor: numberValue(ctx, node, 'factor') ?? 2,
    jitter: value(ctx, node, 'jitter') === true,
  };
  const maxDelay = durationValue(ctx, node, 'max_delay');
  if (maxDelay !== undefined) policy.maxDelayMs = maxDelay;
  const exitCodes = value(ctx, node, 'exit_codes');
  if (Array.isArray(exitCodes)) policy.exitCodes = exitCodes.filter((c): c is number => Number.isInteger(c));
  return policy;
}

/** Milliseconds of the duration under `key` (undefined when absent or invalid). */
export function durationValue(ctx: ConvertContext, map: YAMLMap, key: string): number | undefined {
  return parseDuration(value(ctx, map, key)) ?? undefined;
}

/** The blueprint's `defaults`, filled with baton's own defaults. */
export function convertDefaults(ctx: ConvertContext, map: YAMLMap | undefined): CommandDefaults {
  const defaults: CommandDefaults = { retry: NO_RETRY, killGraceMs: DEFAULT_KILL_GRACE_MS, output: 'file' };
  if (!map) return defaults;
  const timeout = durationValue(ctx, map, 'timeout');
  if (timeout !== undefined) defaults.timeoutMs = timeout;
  defaults.retry = convertRetry(ctx, field(ctx, map, 'retry')) ?? NO_RETRY;
  defaults.killGraceMs = durationValue(ctx, map, 'kill_grace') ?? DEFAULT_KILL_GRACE_MS;
  const cwd = value(ctx, map, 'cwd');
  if (typeof cwd === 'string') defaults.cwd = cwd;
  const shell = stringValue(ctx, map, 'shell');
  if (shell !== undefined) defaults.shell = shell;
  defaults.output = (stringValue(ctx, map, 'output') as OutputMode | undefined) ?? 'file';
  const pool = stringValue(ctx, map, 'pool');
  if (pool !== undefined) defaults.pool = pool;
  return defaults;
}

/** The settings of a run/command task, and its timeout, with defaults applied. */
export function convertCommandSettings(ctx: ConvertContext, map: YAMLMap): CommandSettings & { timeoutMs?: number } {
  const d = ctx.defaults;
  const settings: CommandSettings & { timeoutMs?: number } = {
    envFiles: convertEnvFiles(ctx, map),
    env: envValues(value(ctx, map, 'env')),
    output: (stringValue(ctx, map, 'output') as OutputMode | undefined) ?? d.output,
    killGraceMs: durationValue(ctx, map, 'kill_grace') ?? d.killGraceMs,
    retry: convertRetry(ctx, field(ctx, map, 'retry')) ?? d.retry,
  };
  const cwdNode = field(ctx, map, 'cwd');
  const cwd = cwdNode === undefined ? d.cwd : toValue(cwdNode, ctx.doc);
  if (cwd !== undefined && cwd !== null) settings.cwd = cwd;
  const stdin = value(ctx, map, 'stdin');
  if (typeof stdin === 'string') settings.stdin = stdin;
  const shell = stringValue(ctx, map, 'shell') ?? d.shell;
  if (shell !== undefined) settings.shell = shell;
  const timeout = durationValue(ctx, map, 'timeout') ?? d.timeoutMs;
  if (timeout !== undefined) settings.timeoutMs = timeout;
  const pool = stringValue(ctx, map, 'pool') ?? d.pool;
  if (pool !== undefined) settings.pool = pool;
  return settings;
}
