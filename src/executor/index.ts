// The executor: runs one attempt of a command task as its own process group (public API for the engine).
export type { ExecRequest, ExecOutcome } from './types.js';
export { execute } from './execute.js';
export { maskEntries, maskPatterns, maskSecrets, maskText, maskValue, StreamMasker } from './masking.js';
export { stopSpawnHelpers } from './spawn-helper-client.js';
export { resolveShell } from './shell.js';
export { groupMembers, membersOfGroups, signalGroup, terminateGroup, type GroupMember } from './process-group.js';
export { setLongTimeout } from './long-timer.js';
export { type RunProcess } from './orphans.js';
export { localExecutor } from './local.js';
export { readLogFile } from './logs.js';
