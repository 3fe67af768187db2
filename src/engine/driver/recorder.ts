// Records events: masks their secrets, numbers them, appends them to the journal, applies them to the state, and
// tells whoever listens once they are on disk — the one door every recorded value and message goes through.
import type { NewEvent, RunEvent } from '../core/events.js';
import { maskEvent } from './masking.js';
import { applyEvent } from '../core/reducer.js';
import type { RunState } from '../core/state.js';
import type { RunJournal } from '../ports.js';

export class Recorder {
  /** Recorded and applied, but not yet written: nobody is told about these until `flush` succeeds. */
  private unwritten: RunEvent[] = [];

  constructor(
    readonly state: RunState,
    private readonly store: Pick<RunJournal, 'append' | 'flush'>,
    private readonly onEvent: (e: RunEvent, state: RunState) => void = () => {},
    /** Values of the run's secrets (every frame's) now known. */
    private readonly secrets: () => readonly string[] = () => [],
    /** The driver's clock: events carry its time, so deadlines computed from them agree with it. */
    private readonly now: () => number = Date.now,
  ) {}

  record(e: NewEvent): RunEvent {
    const event = { ...maskEvent(e, this.secrets()), seq: this.state.seq + 1, at: new Date(this.now()).toISOString() } as RunEvent;
    this.store.append(event);
    applyEvent(this.state, event);
    this.unwritten.push(event);
    return event;
  }

  /**
   * Writes the journal, then tells the listener (the reporter) about the events now on record. If the write fails
   * (disk full) it throws and they are never told: `✔ build completed` is printed only for a completion on disk.
   */
  flush(): void {
    this.store.flush();
    const written = this.unwritten;
    this.unwritten = [];
    for (const event of written) this.onEvent(event, this.state);
  }
}
