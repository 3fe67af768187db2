// Retry policy arithmetic (SPEC §1.2): whether another attempt follows, and after how long. Pure: time and chance
// come from the caller.
import { MAX_DURATION_MS } from '../../blueprint/duration.js';
import type { RetryPolicy } from '../../blueprint/model.js';

/** Delay before retry k (1-based): fixed, linear or exponential, capped at max_delay and 365 days; jitter draws from [delay/2, delay]. */
export function retryDelay(policy: RetryPolicy, k: number, random: () => number): number {
  let delay: number;
  if (policy.backoff === 'linear') delay = policy.delayMs * k;
  else if (policy.backoff === 'exponential') delay = policy.delayMs * policy.factor ** (k - 1);
  else delay = policy.delayMs;
  if (policy.maxDelayMs !== undefined) delay = Math.min(delay, policy.maxDelayMs);
  delay = Math.min(delay, MAX_DURATION_MS); // exponential growth must not reach dates that cannot be written
  if (policy.jitter) delay = delay / 2 + random() * (delay / 2);
  return Math.round(delay);
}

/** Another attempt follows when budget remains and the exit code is one the policy retries. Canceled attempts never retry. */
export function shouldRetry(
  policy: RetryPolicy,
  budgetUsed: number,
  outcome: { status: string; exitCode: number | null },
): boolean {
  if (outcome.status !== 'failed' && outcome.status !== 'timed_out') return false;
  if (budgetUsed > policy.count) return false;
  if (policy.exitCodes && outcome.status === 'failed') {
    return outcome.exitCode !== null && policy.exitCodes.includes(outcome.exitCode);
  }
  return true;
}

/** What follows an ended attempt: another one after `delayMs` (null: none), and whether this one used the retry budget. */
export interface NextAttempt {
  delayMs: number | null;
  counted: boolean;
}

/**
 * What follows an attempt of a command task. `budgetUsed`: retries used before it. `interrupted`: the driver is
 * stopping. `retriable`: false when the attempt could not even be rendered (it would fail the same way every time).
 */
export function nextAttempt(
  policy: RetryPolicy,
  budgetUsed: number,
  outcome: { status: string; exitCode: number | null },
  { interrupted, retriable }: { interrupted: boolean; retriable: boolean },
  random: () => number,
): NextAttempt {
  // Interrupted, not failed: resume runs it again as a new attempt, outside the retry budget.
  if (interrupted && outcome.status === 'canceled') return { delayMs: 0, counted: false };
  if (retriable && shouldRetry(policy, budgetUsed + 1, outcome)) return { delayMs: retryDelay(policy, budgetUsed + 1, random), counted: true };
  return { delayMs: null, counted: true };
}

/** When a failed sub-run runs again (ISO time), or null when its retries are used up. */
export function subRunRetryAt(policy: RetryPolicy, budgetUsed: number, status: string, now: number, random: () => number): string | null {
  if (!shouldRetry(policy, budgetUsed + 1, { status, exitCode: null })) return null;
  return new Date(now + retryDelay(policy, budgetUsed + 1, random)).toISOString();
}
