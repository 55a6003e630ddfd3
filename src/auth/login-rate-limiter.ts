import type { Clock } from '../domain/clock.ts';

export interface LoginLimits {
  /** Failed attempts allowed per username + client address within the window. */
  perUserAndIp: number;
  /** Failed attempts allowed per client address (any username) within the window. */
  perIp: number;
  windowMs: number;
}

export const DEFAULT_LOGIN_LIMITS: LoginLimits = Object.freeze({ perUserAndIp: 5, perIp: 30, windowMs: 15 * 60_000 });

/** Bounds memory when someone sprays usernames: the oldest keys go first. */
const MAX_KEYS = 10_000;

/**
 * Counts failed logins in memory. That is enough for one process (`serve`); with several
 * processes behind a balancer each keeps its own count, so the effective limit multiplies.
 */
export class LoginRateLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly clock: Clock,
    private readonly limits: LoginLimits = DEFAULT_LOGIN_LIMITS,
  ) {}

  private keys(username: string, ip: string): Array<[string, number]> {
    return [
      [`u:${username.trim().toLowerCase()}\u0000${ip}`, this.limits.perUserAndIp],
      [`ip:${ip}`, this.limits.perIp],
    ];
  }

  private recent(key: string, now: number): number[] {
    const times = (this.failures.get(key) ?? []).filter((t) => now - t < this.limits.windowMs);
    if (times.length === 0) this.failures.delete(key);
    else this.failures.set(key, times);
    return times;
  }

  /** Seconds until another attempt is allowed, or 0 when one is allowed now. */
  retryAfterSeconds(username: string, ip: string): number {
    const now = this.clock.now().getTime();
    let wait = 0;
    for (const [key, limit] of this.keys(username, ip)) {
      const times = this.recent(key, now);
      if (times.length >= limit) wait = Math.max(wait, Math.ceil((times[times.length - limit]! + this.limits.windowMs - now) / 1000));
    }
    return wait;
  }

  /**
   * Takes one attempt from the allowance before the password is checked, so that guesses sent
   * at once cannot all pass the check while the first hashes are still running: answers 0 when
   * the attempt is granted (it counts as a failure until recordSuccess), else the seconds to wait.
   */
  reserve(username: string, ip: string): number {
    const wait = this.retryAfterSeconds(username, ip);
    if (wait === 0) this.recordFailure(username, ip);
    return wait;
  }

  recordFailure(username: string, ip: string): void {
    const now = this.clock.now().getTime();
    for (const [key] of this.keys(username, ip)) {
      const times = this.recent(key, now);
      this.failures.delete(key); // re-insert so Map order is least recently failed first
      this.failures.set(key, [...times, now]);
    }
    while (this.failures.size > MAX_KEYS) this.failures.delete(this.failures.keys().next().value!);
  }

  /**
   * A successful attempt: that username's count from that address starts again, and the address
   * gets back the attempt reserved for it (its other failures stay).
   */
  recordSuccess(username: string, ip: string): void {
    const [[userKey], [ipKey]] = this.keys(username, ip) as [[string, number], [string, number]];
    this.failures.delete(userKey);
    const times = this.failures.get(ipKey);
    // A stored list is never empty: recent() and this method delete a key once it empties.
    if (times) {
      times.pop();
      if (times.length === 0) this.failures.delete(ipKey);
    }
  }
}
