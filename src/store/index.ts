// The durable store: the only module that touches the state directory (.baton/).
export { StoreError, type StoreErrorCode } from './errors.js';
export { resolveStateDir, runDir, runsDir } from './paths.js';
export { generateRunId, isValidRunId } from './run-id.js';
export { readSnapshotFile } from './snapshot.js';
export { checkEvent } from './event-shape.js';
export { type LockInfo, describeHolder, isHolderAlive } from './lock.js';
export { processStartTime } from '../proc/stat.js';
export { RunStore, type OpenedRun } from './run-store.js';
export { isLockHeld, listRuns, recordedRunStatus, removeRun, resolveRunRef } from './runs.js';
export { controlInbox, readControlRequests, removeControlRequest, watchControl, writeControlRequest, type ControlRequest, type PendingRequest } from './control.js';
