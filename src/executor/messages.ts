// One-line messages for spawn failures and durations, as users read them in `baton status`.

/** 2000 → "2s", 1500 → "1.5s", 120000 → "2m", 250 → "250ms". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  if (ms % 1000 !== 0) return `${ms / 1000}s`;
  const seconds = ms / 1000;
  if (seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}

function errorCode(result: { code?: unknown; cause?: unknown } | undefined): string | undefined {
  if (typeof result?.code === 'string') return result.code;
  const cause = result?.cause as { code?: unknown } | undefined;
  return typeof cause?.code === 'string' ? cause.code : undefined;
}

/** Why the program could not be started, from execa's failed result. */
export function describeSpawnError(
  file: string,
  result: { code?: unknown; cause?: unknown; shortMessage?: string } | undefined,
): string {
  const code = errorCode(result);
  if (code === 'ENOENT') return `command not found: ${file}`;
  if (code === 'EACCES') return `permission denied: ${file}`;
  if (code === 'ENOEXEC') return `not an executable: ${file}`;
  const cause = result?.cause instanceof Error ? result.cause.message : result?.shortMessage;
  return `could not start ${file}: ${(cause ?? code ?? 'unknown error').split('\n')[0]}`;
}
