// The executor: runs one attempt of a command task as its own process group (public API for the engine).
export type { ExecRequest, ExecOutcome } from './types.js';
export { execute } from './execute.js';
export { maskEntries, maskPatterns, maskSecrets, maskText, maskValue, StreamMasker } from './masking.js';
export { stopSpawnHelpers } from './spawn-helper-client.js';
export { resolveShell } from './shell.js';
export { groupMembers, killGroup, membersOfGroups, signalGroup, terminateGroup } from './process-group.js';
export { findRunProcesses, type RunProcess } from './orphans.js';
