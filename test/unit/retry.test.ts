import { describe, expect, it } from 'vitest';
import type { RetryPolicy } from '../../src/blueprint/model.js';
import { nextAttempt, retryDelay, shouldRetry, subRunRetryAt } from '../../src/engine/core/retry.js';

const policy = (p: Partial<RetryPolicy>): RetryPolicy => ({ count: 3, delayMs: 1000, backoff: 'fixed', factor: 2, jitter: false, ...p });

describe('retry delays (SPEC §1.2)', () => {
  it.each([
    ['fixed', policy({}), [1000, 1000, 1000]],
    ['linear', policy({ backoff: 'linear' }), [1000, 2000, 3000]],
    ['exponential', policy({ backoff: 'exponential' }), [1000, 2000, 4000]],
    ['exponential factor 3', policy({ backoff: 'exponential', factor: 3 }), [1000, 3000, 9000]],
    ['capped at max_delay', policy({ backoff: 'exponential', maxDelayMs: 2500 }), [1000, 2000, 2500]],
    ['no delay by default', policy({ delayMs: 0 }), [0, 0, 0]],
  ] as const)('%s', (_n, p, expected) => {
    expect([1, 2, 3].map((k) => retryDelay(p, k, Math.random))).toEqual(expected);
  });

  it('jitter draws from [delay/2, delay]', () => {
    const p = policy({ backoff: 'exponential', jitter: true });
    expect(retryDelay(p, 3, () => 0)).toBe(2000);
    expect(retryDelay(p, 3, () => 0.999999)).toBe(4000);
    expect(retryDelay(p, 3, () => 0.5)).toBe(3000);
  });
});

describe('whether another attempt follows', () => {
  it.each([
    ['budget left', policy({ count: 2 }), 1, 'failed', 1, true],
    ['last retry used', policy({ count: 2 }), 3, 'failed', 1, false],
    ['no retries', policy({ count: 0 }), 1, 'failed', 1, false],
    ['timed out counts as failed', policy({ count: 1 }), 1, 'timed_out', null, true],
    ['completed never retries', policy({}), 1, 'completed', 0, false],
    ['canceled never retries', policy({}), 1, 'canceled', null, false],
    ['exit code listed', policy({ exitCodes: [75] }), 1, 'failed', 75, true],
    ['exit code not listed', policy({ exitCodes: [75] }), 1, 'failed', 1, false],
  ] as const)('%s', (_n, p, used, status, exitCode, expected) => {
    expect(shouldRetry(p, used, { status, exitCode })).toBe(expected);
  });
});

describe('retry timing decided in the core, with the clock and the chance injected', () => {
  const jittered = policy({ count: 2, backoff: 'exponential', jitter: true });
  const stay = { interrupted: false, retriable: true };

  it('a failed attempt with budget left retries after a delay drawn from the random source given', () => {
    expect(nextAttempt(jittered, 1, { status: 'failed', exitCode: 1 }, stay, () => 0)).toEqual({ delayMs: 1000, counted: true });
    expect(nextAttempt(jittered, 1, { status: 'failed', exitCode: 1 }, stay, () => 0.999999)).toEqual({ delayMs: 2000, counted: true });
  });

  it('an attempt canceled by an interrupt runs again at once, outside the budget', () => {
    expect(nextAttempt(jittered, 2, { status: 'canceled', exitCode: null }, { interrupted: true, retriable: true }, () => 0.5)).toEqual({ delayMs: 0, counted: false });
  });

  it('an attempt that could not be rendered, or used up its budget, is the last', () => {
    expect(nextAttempt(jittered, 0, { status: 'failed', exitCode: 1 }, { interrupted: false, retriable: false }, () => 0.5)).toEqual({ delayMs: null, counted: true });
    expect(nextAttempt(jittered, 2, { status: 'failed', exitCode: 1 }, stay, () => 0.5)).toEqual({ delayMs: null, counted: true });
  });

  it('a failed sub-run retries at the clock time given plus the delay; none once the budget is used', () => {
    const now = Date.UTC(2030, 0, 1);
    expect(subRunRetryAt(jittered, 0, 'failed', now, () => 0)).toBe(new Date(now + 500).toISOString());
    expect(subRunRetryAt(jittered, 2, 'failed', now, () => 0)).toBeNull();
    expect(subRunRetryAt(jittered, 0, 'completed', now, () => 0)).toBeNull();
  });
});
