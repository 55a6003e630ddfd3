import { expect, it } from 'vitest';
import { openDatabase } from '../src/db/connection.ts';
import { acquireLease, leaseHolder, releaseLease, renewLease, takeOverLease } from '../src/db/leases.ts';
import { describeEachDialect } from './helpers/test-db.ts';

const t0 = new Date('2026-11-23T10:00:00.000Z');
const later = (ms: number) => new Date(t0.getTime() + ms);

describeEachDialect('leases', (ctx) => {
  it('when one owner holds a lease, then another cannot take it until it expires', async () => {
    const { db } = ctx();
    const lease = { name: 'lease.a', ttlMs: 30_000 };
    expect(await acquireLease(db, { ...lease, owner: 'p1', now: t0 })).toBe(true);
    expect(await acquireLease(db, { ...lease, owner: 'p2', now: later(10_000) })).toBe(false);
    expect(await leaseHolder(db, 'lease.a', later(10_000))).toEqual({ owner: 'p1', expiresAt: '2026-11-23T10:00:30.000Z' });
    expect(await acquireLease(db, { ...lease, owner: 'p2', now: later(30_001) })).toBe(true);
    expect(await renewLease(db, { ...lease, owner: 'p1', now: later(30_002) })).toBe(false);
  });

  it('when the holder renews in time, then it keeps the lease', async () => {
    const { db } = ctx();
    const lease = { name: 'lease.b', ttlMs: 30_000, owner: 'p1' };
    expect(await acquireLease(db, { ...lease, now: t0 })).toBe(true);
    expect(await renewLease(db, { ...lease, now: later(20_000) })).toBe(true);
    expect(await acquireLease(db, { ...lease, owner: 'p2', now: later(40_000) })).toBe(false);
  });

  it('when the holder releases, then another can take it at once', async () => {
    const { db } = ctx();
    const lease = { name: 'lease.c', ttlMs: 30_000 };
    await acquireLease(db, { ...lease, owner: 'p1', now: t0 });
    await releaseLease(db, 'lease.c', 'p1', later(1));
    expect(await leaseHolder(db, 'lease.c', later(2))).toBeUndefined();
    expect(await acquireLease(db, { ...lease, owner: 'p2', now: later(2) })).toBe(true);
  });

  it('when many connections race for a free lease, then exactly one wins', async () => {
    const pools = Array.from({ length: 6 }, () => openDatabase(ctx().url));
    try {
      const results = await Promise.all(
        pools.map((db, i) => acquireLease(db, { name: 'lease.race', owner: `p${i}`, ttlMs: 60_000, now: t0 })),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
    } finally {
      await Promise.all(pools.map((db) => db.destroy()));
    }
  });

  it('when the clock reads exactly the expiry instant, then the lease is still the holder\'s, and one millisecond later it is free', async () => {
    const { db } = ctx();
    const lease = { name: 'lease.edge', ttlMs: 30_000 };
    expect(await acquireLease(db, { ...lease, owner: 'p1', now: t0 })).toBe(true);
    const expiry = later(30_000);
    expect(await leaseHolder(db, 'lease.edge', expiry)).toEqual({ owner: 'p1', expiresAt: '2026-11-23T10:00:30.000Z' });
    expect(await acquireLease(db, { ...lease, owner: 'p2', now: expiry })).toBe(false);
    expect(await renewLease(db, { ...lease, owner: 'p1', now: expiry })).toBe(true);
    // Renewed at the instant: now good until 10:01:00.
    expect(await leaseHolder(db, 'lease.edge', later(60_000))).toEqual({ owner: 'p1', expiresAt: '2026-11-23T10:01:00.000Z' });
    expect(await leaseHolder(db, 'lease.edge', later(60_001))).toBeUndefined();
    expect(await renewLease(db, { ...lease, owner: 'p1', now: later(60_001) })).toBe(false);
    expect(await acquireLease(db, { ...lease, owner: 'p2', now: later(60_001) })).toBe(true);
  });

  it('when a lease was taken over from a holder, then the old holder can neither renew nor release it', async () => {
    const { db } = ctx();
    const lease = { name: 'lease.takeover', ttlMs: 30_000 };
    expect(await acquireLease(db, { ...lease, owner: 'old', now: t0 })).toBe(true);
    expect(await takeOverLease(db, { ...lease, owner: 'new', from: 'old', now: later(1_000) })).toBe(true);
    expect(await renewLease(db, { ...lease, owner: 'old', now: later(2_000) })).toBe(false);
    await releaseLease(db, 'lease.takeover', 'old', later(3_000));
    expect(await leaseHolder(db, 'lease.takeover', later(3_000))).toEqual({ owner: 'new', expiresAt: '2026-11-23T10:00:31.000Z' });
    expect(await acquireLease(db, { ...lease, owner: 'third', now: later(4_000) })).toBe(false);
    expect(await renewLease(db, { ...lease, owner: 'new', now: later(5_000) })).toBe(true);
  });

  it('when a take-over names a holder that no longer holds the lease, then it takes nothing', async () => {
    const { db } = ctx();
    const lease = { name: 'lease.stale-takeover', ttlMs: 30_000 };
    expect(await acquireLease(db, { ...lease, owner: 'p1', now: t0 })).toBe(true);
    expect(await takeOverLease(db, { ...lease, owner: 'p3', from: 'p2', now: later(1_000) })).toBe(false);
    expect(await leaseHolder(db, 'lease.stale-takeover', later(1_000))).toEqual({ owner: 'p1', expiresAt: '2026-11-23T10:00:30.000Z' });
  });

  it('when someone other than the holder releases, then the holder keeps the lease', async () => {
    const { db } = ctx();
    const lease = { name: 'lease.foreign-release', ttlMs: 30_000 };
    expect(await acquireLease(db, { ...lease, owner: 'p1', now: t0 })).toBe(true);
    await releaseLease(db, 'lease.foreign-release', 'p2', later(1));
    expect(await leaseHolder(db, 'lease.foreign-release', later(2))).toEqual({ owner: 'p1', expiresAt: '2026-11-23T10:00:30.000Z' });
    expect(await acquireLease(db, { ...lease, owner: 'p2', now: later(2) })).toBe(false);
  });

  it('when the holder acquires again, then it keeps the lease and its expiry moves on', async () => {
    const { db } = ctx();
    const lease = { name: 'lease.reacquire', ttlMs: 30_000, owner: 'p1' };
    expect(await acquireLease(db, { ...lease, now: t0 })).toBe(true);
    expect(await acquireLease(db, { ...lease, now: later(10_000) })).toBe(true);
    expect(await leaseHolder(db, 'lease.reacquire', later(35_000))).toEqual({ owner: 'p1', expiresAt: '2026-11-23T10:00:40.000Z' });
  });

  it('when a lease was never taken, then it has no holder and can be released without effect', async () => {
    const { db } = ctx();
    expect(await leaseHolder(db, 'lease.never', t0)).toBeUndefined();
    await releaseLease(db, 'lease.never', 'p1', t0);
    expect(await renewLease(db, { name: 'lease.never', owner: 'p1', ttlMs: 1_000, now: t0 })).toBe(false);
  });
});
