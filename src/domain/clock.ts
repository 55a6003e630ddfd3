/** Injected wherever time decides behaviour (settle period, backoff, leases) so tests can move it. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock tests can set and advance. */
export function fixedClock(start: Date | string): Clock & { set(at: Date | string): void; advance(ms: number): void } {
  let current = new Date(start);
  return {
    now: () => new Date(current),
    set(at) {
      current = new Date(at);
    },
    advance(ms) {
      current = new Date(current.getTime() + ms);
    },
  };
}

/** The one time format stored in the database: UTC ISO-8601 with milliseconds ("…T10:11:12.000Z"). */
export function toUtcIso(at: Date): string {
  return at.toISOString();
}
