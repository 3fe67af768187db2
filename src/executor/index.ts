// The executor: runs one attempt of a command task as its own process group (public API for the engine).
export type { GroupMember } from './process-group.js';
export type { ExecRequest, ExecOutcome, ExecStatus, OutputMode, CapturedTail } from './types.js';
export { execute, type Spawner } from './execute.js';
export { MASK, maskEntries, maskPatterns, maskSecrets, maskText, maskValue, StreamMasker } from './masking.js';
export { stopSpawnHelpers } from './spawn-helper-client.js';
export { resolveShell } from './shell.js';
export { groupMembers, killGroup, membersOfGroups, signalGroup, terminateGroup } from './process-group.js';
export { MAX_TIMER_MS, setLongTimeout, type LongTimer } from './long-timer.js';
export { findRunProcesses, type RunProcess } from './orphans.js';
export { localExecutor } from './local.js';
