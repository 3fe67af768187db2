// Bounds on one evaluation: a time limit, regular turns for the event loop (signals, timers, process exits), and a
// stop the driver can ask for while JSONata runs (an interrupt, a timeout due).

/** The longest one expression may evaluate; past it the expression fails, and so does its task. */
const EXPRESSION_LIMIT_MS = 10_000;
/** How long a long evaluation runs before it lets the event loop have a turn. */
const YIELD_EVERY_MS = 20;
/** Steps between clock reads: reading the clock on every step would cost more than most steps. */
const STEPS_PER_CHECK = 128;

/** What the driver lends an evaluation to ask it to stop. */
export interface EvaluationGuard {
  /** Why evaluation must stop now (interrupted, a timeout is due, a cancel arrived), or null to go on. */
  stopReason(): string | null;
}

/** Where the guard rides on the context: under a symbol, which expressions never see. */
export const GUARD: unique symbol = Symbol('baton.evaluationGuard');

/** The driver asked evaluation to stop: nothing is wrong with the expression, and nothing should be recorded. */
export class EvaluationStopped extends Error {
  constructor(reason: string) {
    super(`evaluation stopped: ${reason}`);
    this.name = 'EvaluationStopped';
  }
}

/** The expression ran past a limit (time, or one regex match): it fails. */
export class LimitExceeded extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LimitExceeded';
  }
}

/** A turn for the event loop; two immediates so a poll phase (where signals arrive) surely runs in between. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(() => setImmediate(resolve)));
}

export function formatLimit(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

export function checkStop(guard: EvaluationGuard | undefined): void {
  const reason = guard?.stopReason();
  if (reason) throw new EvaluationStopped(reason);
}

/** One evaluation's clock, kept on JSONata's per-evaluation environment. */
class Budget {
  private steps = 0;
  private readonly start = Date.now();
  private lastYield = this.start;

  constructor(private readonly guard: EvaluationGuard | undefined) {}

  /** Called on every JSONata step; returns a promise only when it is time to let the event loop run. */
  step(): Promise<void> | undefined {
    if (++this.steps % STEPS_PER_CHECK !== 0) return undefined;
    const now = Date.now();
    if (now - this.start > EXPRESSION_LIMIT_MS) {
      throw new LimitExceeded(`ran longer than ${formatLimit(EXPRESSION_LIMIT_MS)}, the limit for one expression (an endless loop or recursion?)`);
    }
    checkStop(this.guard);
    if (now - this.lastYield < YIELD_EVERY_MS) return undefined;
    return yieldToEventLoop().then(() => {
      this.lastYield = Date.now();
      checkStop(this.guard);
    });
  }
}

const BUDGET = Symbol('baton.budget');

interface JsonataEnvironment {
  base: JsonataEnvironment & { [BUDGET]?: Budget };
  lookup(name: string): unknown;
}

/** JSONata's `__evaluate_entry` hook: the first step opens the evaluation's budget, later ones spend it. */
export function onEvaluateEntry(_expr: unknown, _input: unknown, environment: JsonataEnvironment): Promise<void> | undefined {
  const base = environment.base;
  const budget = base[BUDGET];
  if (budget) return budget.step();
  const root = base.lookup('$') as { [GUARD]?: EvaluationGuard } | undefined;
  base[BUDGET] = new Budget(root?.[GUARD]);
  return undefined;
}
