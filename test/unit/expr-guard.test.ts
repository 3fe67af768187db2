// Tests for bounded evaluation: the driver's stop, the time limit's error, and regexes that cannot backtrack forever.
import { describe, expect, it } from 'vitest';
import { EvaluationStopped, ExpressionError, evaluateExpression, GUARD, type EvalContext } from '../../src/expr/index.js';

const RECURSION = '($f := function($n){ $f($n + 1) }; $f(0))';

function context(stopReason: () => string | null = () => null): EvalContext {
  return { inputs: {}, env: {}, vars: {}, tasks: {}, run: {} as EvalContext['run'], [GUARD]: { stopReason } };
}

/** A guard that lets the evaluation go on for `calls - 1` consultations, then asks it to stop (no real clock involved). */
function stopOnCall(calls: number, reason: string): { stopReason: () => string | null; askedAt: number } {
  let n = 0;
  const guard = {
    askedAt: 0,
    stopReason: () => {
      if (++n < calls) return null;
      guard.askedAt ||= Date.now();
      return reason;
    },
  };
  return guard;
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected the evaluation to fail');
}

describe('stopping an evaluation', () => {
  it('an endless expression stops soon after the guard asks, with EvaluationStopped (not an expression error)', async () => {
    const guard = stopOnCall(5, 'interrupted by SIGINT');
    const err = await failure(evaluateExpression(RECURSION, context(guard.stopReason)));
    expect(err).toBeInstanceOf(EvaluationStopped);
    expect(err.message).toBe('evaluation stopped: interrupted by SIGINT');
    expect(Date.now() - guard.askedAt).toBeLessThan(3000);
  });

  it('timers run while an expression evaluates: the event loop gets turns', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    // Stops once the interval has ticked a few times: an evaluation that starved the event loop would run into its
    // own time limit instead, and fail as an expression error with too few ticks.
    const err = await failure(evaluateExpression(RECURSION, context(() => (ticks > 3 ? 'a timeout is due' : null))));
    clearInterval(timer);
    expect(err).toBeInstanceOf(EvaluationStopped);
    expect(ticks).toBeGreaterThan(3);
  });

  it('a stop inside $eval is still a stop', async () => {
    const guard = stopOnCall(5, 'interrupted by SIGTERM');
    const err = await failure(evaluateExpression(`$eval("${RECURSION}")`, context(guard.stopReason)));
    expect(err).toBeInstanceOf(EvaluationStopped);
  });

  it('short expressions never consult the guard', async () => {
    expect(await evaluateExpression('1 + 2', context(() => 'stop!'))).toBe(3);
  });
});

describe('regular expressions', () => {
  it('V8 runs a catastrophic pattern it can take linearly at once', async () => {
    const t0 = Date.now();
    expect(await evaluateExpression(`$match("${'a'.repeat(44)}!", /^(a+)+$/)`, context())).toBeNull();
    expect(await evaluateExpression(`$replace("a-b-c", /-/, "+")`, context())).toBe('a+b+c');
    expect(Date.now() - t0).toBeLessThan(1000);
  });

  it('patterns with backreferences, lookaround or `i` still match as before', async () => {
    expect(await evaluateExpression(`$match("abab", /(ab)\\1/).match`, context())).toBe('abab');
    expect(await evaluateExpression(`$replace("Hello World", /o(?=r)/i, "0")`, context())).toBe('Hello W0rld');
    expect(await evaluateExpression(`$split("a1B2c", /[b0-9]/i)`, context())).toEqual(['a', '', '', 'c']);
  });

  it('one match of a pattern V8 cannot take linearly fails after 1 s, naming the regex', async () => {
    const t0 = Date.now();
    const err = await failure(evaluateExpression(`$match("${'a'.repeat(44)}!", /^(a+)+$/i)`, context()));
    expect(err).toBeInstanceOf(ExpressionError);
    expect(err.message).toMatch(/: the regular expression \/\^\(a\+\)\+\$\/i ran longer than 1 s on one match of a 45-character string/);
    expect(Date.now() - t0).toBeLessThan(4000);
  });

  it('a regex that trips its limit while a stop is pending is a stop, not a failure', async () => {
    // The stop becomes pending while the match runs (it takes its full second), as a signal arriving then would.
    const t0 = Date.now();
    const err = await failure(evaluateExpression(`$match("${'a'.repeat(44)}!", /^(a+)+$/i)`, context(() => (Date.now() - t0 > 500 ? 'interrupted by SIGINT' : null))));
    expect(err).toBeInstanceOf(EvaluationStopped);
  });
});
