// The durable store: the only module that touches the state directory (.baton/).
export { StoreError } from './errors.js';
export { resolveStateDir } from './paths.js';
export { generateRunId, isValidRunId } from './run-id.js';
export { readSnapshotFile } from './snapshot.js';
export { checkEvent } from './event-shape.js';
export { type LockInfo, describeHolder } from './lock.js';
export { processStartTime } from '../proc/stat.js';
export { RunStore, type OpenedRun, type OpenOptions } from './run-store.js';
export { isLockHeld, listRuns, recordedRunStatus, removeRun, resolveRunRef } from './runs.js';
export { controlInbox, writeControlRequest, type ControlRequest } from './control.js';
