import { expect, it } from 'vitest';
import { openDatabase } from '../src/db/connection.ts';
import { acquireLease, leaseHolder, releaseLease, renewLease } from '../src/db/leases.ts';
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
});
