import { describe, expect, it } from 'vitest';
import { backoffDelay, canRetry, DELIVERY_RETRY_POLICY } from './retry-policy.ts';

describe('retry policy', () => {
  const policy = { attempts: 5, baseDelayMs: 100, factor: 3, maxDelayMs: 2000, jitter: 0.25 };

  it('when retries follow each other, then the wait grows by the factor up to the cap', () => {
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(policy, n, () => 0.999999))).toEqual([100, 300, 900, 2000, 2000]);
  });

  it('when the random draw is lowest, then the wait loses at most the jitter share', () => {
    expect([1, 2, 3, 4].map((n) => backoffDelay(policy, n, () => 0))).toEqual([75, 225, 675, 1500]);
    expect(backoffDelay({ ...policy, jitter: 0 }, 2, () => 0)).toBe(300);
  });

  it('when attempts are used up, then no retry is allowed', () => {
    expect(canRetry(policy, 4)).toBe(true);
    expect(canRetry(policy, 5)).toBe(false);
  });

  it('when delivery keeps failing, then the waits add up to hours, not minutes, and none exceeds the cap', () => {
    const waits = Array.from({ length: DELIVERY_RETRY_POLICY.attempts - 1 }, (_, i) => backoffDelay(DELIVERY_RETRY_POLICY, i + 1, () => 1));
    expect(waits[0]).toBe(60_000);
    expect(Math.max(...waits)).toBeLessThanOrEqual(DELIVERY_RETRY_POLICY.maxDelayMs);
    expect(waits.reduce((a, b) => a + b, 0)).toBeGreaterThan(4 * 60 * 60_000);
  });
});
