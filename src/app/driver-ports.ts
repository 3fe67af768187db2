// Wires the driver's ports to this machine: the subprocess executor, the run's store and control folder, the system clock.
import type { DriverPorts, EventSink, Executor } from '../engine/ports.js';
import { localExecutor, setLongTimeout } from '../executor/index.js';
import { controlInbox, type RunStore } from '../store/index.js';

/** `executor`: another one than this machine's subprocesses (--executor bullmq). */
export function localPorts(store: RunStore, sink: EventSink, executor: Executor = localExecutor): DriverPorts {
  return {
    executor,
    journal: store,
    inbox: controlInbox(store.dir),
    sink,
    clock: { now: Date.now, random: Math.random, setTimer: setLongTimeout },
  };
}
