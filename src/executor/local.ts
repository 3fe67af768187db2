// The local executor: attempts run as process groups on this machine (the engine's Executor port).
import { execute } from './execute.js';
import { findRunProcesses, killRunProcesses } from './orphans.js';
import { killGroup, membersOfGroups, signalGroup, terminateGroup } from './process-group.js';

export const localExecutor = {
  execute: (request: Parameters<typeof execute>[0]) => execute(request),
  signalGroup,
  terminateGroup,
  killGroup,
  membersOfGroups,
  findRunProcesses,
  killRunProcesses,
};
