// Retry policy arithmetic (SPEC §1.2): whether another attempt follows, and after how long.
import { MAX_DURATION_MS } from '../../blueprint/duration.js';
import type { RetryPolicy } from '../../blueprint/model.js';

/** Delay before retry k (1-based): fixed, linear or exponential, capped at max_delay and 365 days; jitter draws from [delay/2, delay]. */
export function retryDelay(policy: RetryPolicy, k: number, random: () => number = Math.random): number {
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
