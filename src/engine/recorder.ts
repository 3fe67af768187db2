// Records events: numbers them, appends them to the journal, applies them to the state, and tells whoever listens.
import type { RunStore } from '../store/index.js';
import type { NewEvent, RunEvent } from './events.js';
import { applyEvent } from './reducer.js';
import type { RunState } from './state.js';

export class Recorder {
  constructor(
    readonly state: RunState,
    private readonly store: RunStore,
    private readonly onEvent: (e: RunEvent, state: RunState) => void = () => {},
  ) {}

  record(e: NewEvent): RunEvent {
    const event = { ...e, seq: this.state.seq + 1, at: new Date().toISOString() } as RunEvent;
    this.store.append(event);
    applyEvent(this.state, event);
    this.onEvent(event, this.state);
    return event;
  }
}
