/**
 * Retry policy as data (pg-boss's habit): how many tries, the first wait, how fast it grows, its
 * cap and how much of it is random, so callers and tests can see and tune it. Used for requests to
 * the store (src/woo/retry-policy.ts) and for delivering export jobs (DELIVERY_RETRY_POLICY).
 */
export interface RetryPolicy {
  /** Tries in all, the first included. */
  attempts: number;
  baseDelayMs: number;
  /** Each wait is `factor` times the one before (2 doubles it). */
  factor: number;
  maxDelayMs: number;
  /**
   * The random share of each wait: 0.5 waits between half and all of it, so many workers retrying
   * together do not come back in step.
   */
  jitter: number;
}

/** The wait before retry number `retry` (1 = the first retry): capped, jittered, exponential. */
export function backoffDelay(policy: RetryPolicy, retry: number, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * policy.factor ** Math.max(0, retry - 1));
  const jitter = Math.min(Math.max(policy.jitter, 0), 1);
  return Math.round(ceiling * (1 - jitter + random() * jitter));
}

/** True when another try is allowed after `attemptsMade` tries. */
export function canRetry(policy: Pick<RetryPolicy, 'attempts'>, attemptsMade: number): boolean {
  return attemptsMade < policy.attempts;
}

/**
 * Export jobs that failed to reach the outbox for a passing reason (an I/O error, a full disk):
 * 1, 2, 4 … minutes, at most 6 hours apart, 10 tries (about 8½ hours of trouble) before the job is
 * failed for a person. The scheduler runs delivery every few minutes; without the backoff a full
 * disk would be tried on every run.
 */
export const DELIVERY_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({
  attempts: 10,
  baseDelayMs: 60_000,
  factor: 2,
  maxDelayMs: 6 * 60 * 60_000,
  jitter: 0.5,
});

/**
 * A notification digest a channel could not take (the mail server down, the webhook answering
 * 500): 1, 2, 4 … minutes, at most an hour apart, 10 tries (about 5 hours) before that channel's
 * copy of the digest is given up with an error in the log. Other channels and later digests go on.
 */
export const NOTIFY_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({
  attempts: 10,
  baseDelayMs: 60_000,
  factor: 2,
  maxDelayMs: 60 * 60_000,
  jitter: 0.5,
});
