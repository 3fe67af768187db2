import { describe, expect, it } from 'vitest';
import type { RetryPolicy } from '../../src/blueprint/model.js';
import { retryDelay, shouldRetry } from '../../src/engine/core/retry.js';

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
    expect([1, 2, 3].map((k) => retryDelay(p, k))).toEqual(expected);
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
