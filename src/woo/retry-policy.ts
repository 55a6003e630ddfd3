import type { RetryPolicy as BasePolicy } from '../domain/retry-policy.ts';

export { backoffDelay } from '../domain/retry-policy.ts';

/**
 * Requests to the store: the general retry policy (src/domain/retry-policy.ts) plus how long a
 * Retry-After may ask us to wait within one run.
 */
export interface RetryPolicy extends BasePolicy {
  /** A Retry-After longer than this ends the run instead of sleeping through it. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({
  attempts: 6,
  baseDelayMs: 500,
  factor: 2,
  maxDelayMs: 30_000,
  jitter: 0.5,
  maxRetryAfterMs: 5 * 60_000,
});

/** Retry-After is seconds or an HTTP date; returns milliseconds, or undefined when unreadable. */
export function parseRetryAfter(value: unknown, now: Date): number | undefined {
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now.getTime());
}

/** HTTP statuses worth asking again: rate limiting, timeouts and server or gateway trouble. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 425 || status === 429 || (status >= 500 && status <= 599);
}
