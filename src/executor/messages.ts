// One-line messages for spawn failures, as users read them in `baton status`.

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
