// Long durations: timers past Node's 2^31-1 ms limit sleep in chunks instead of firing at once; retry delays stay writable.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MAX_DURATION_MS } from '../../src/blueprint/duration.js';
import type { RetryPolicy } from '../../src/blueprint/model.js';
import { retryDelay } from '../../src/engine/core/retry.js';
import { MAX_TIMER_MS, setLongTimeout } from '../../src/executor/long-timer.js';

const DAY = 86_400_000;

describe('setLongTimeout', () => {
  afterEach(() => vi.useRealTimers());

  it('fires a 30-day timer after 30 days, not after 1 ms, with one pending timer at a time', () => {
    vi.useFakeTimers();
    const fn = vi.fn();
    setLongTimeout(fn, 30 * DAY);
    vi.advanceTimersByTime(1);
    expect(fn).not.toHaveBeenCalled();
    vi.advanceTimersByTime(MAX_TIMER_MS);
    expect(fn).not.toHaveBeenCalled();
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(30 * DAY - MAX_TIMER_MS - 2);
    expect(fn).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(fn).toHaveBeenCalledTimes(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('sleeps a year in a handful of wake-ups', () => {
    vi.useFakeTimers();
    const fn = vi.fn();
    setLongTimeout(fn, 365 * DAY);
    let wakeUps = 0;
    while (vi.getTimerCount() > 0) {
      vi.advanceTimersToNextTimer();
      wakeUps++;
    }
    expect(fn).toHaveBeenCalledTimes(1);
    expect(wakeUps).toBe(Math.ceil((365 * DAY) / MAX_TIMER_MS));
  });

  it('can be cleared between chunks', () => {
    vi.useFakeTimers();
    const fn = vi.fn();
    const timer = setLongTimeout(fn, 60 * DAY);
    vi.advanceTimersByTime(30 * DAY);
    timer.clear();
    vi.advanceTimersByTime(60 * DAY);
    expect(fn).not.toHaveBeenCalled();
  });

  it('fires short and negative delays like setTimeout', () => {
    vi.useFakeTimers();
    const fn = vi.fn();
    setLongTimeout(fn, -5);
    setLongTimeout(fn, 10);
    vi.advanceTimersByTime(10);
    expect(fn).toHaveBeenCalledTimes(2);
  });
});

describe('retryDelay', () => {
  it('caps exponential growth at 365 days, so the next attempt time can be written', () => {
    const policy: RetryPolicy = { count: 100, delayMs: DAY, backoff: 'exponential', factor: 10, jitter: false };
    const delay = retryDelay(policy, 100, Math.random);
    expect(delay).toBe(MAX_DURATION_MS);
    expect(() => new Date(Date.now() + delay).toISOString()).not.toThrow();
  });
});
