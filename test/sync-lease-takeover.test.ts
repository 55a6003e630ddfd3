import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { expect, it } from 'vitest';
import { acquireLease, takeOverLease } from '../src/db/leases.ts';
import { fixedClock } from '../src/domain/clock.ts';
import { silentLogger } from '../src/log/logger.ts';
import { runSync, SYNC_LEASE, SyncFailedError } from '../src/pipeline/run-sync.ts';
import type { WooClient } from '../src/woo/client.ts';
import { describeEachDialect } from './helpers/test-db.ts';

const deadPid = () => Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString());
const now = new Date('2026-11-23T10:00:00.000Z');

describeEachDialect('sync lease after a crash', (ctx) => {
  const deps = () => ({
    db: ctx().db,
    client: { requestCount: 0 } as unknown as WooClient,
    clock: fixedClock(now),
    logger: silentLogger,
    storeId: 'https://shop.example.com',
    stages: [],
  });

  it('when the holder was a local process that is gone, then a new sync takes the lease at once', async () => {
    const dead = `${os.hostname()}:${deadPid()}:abcdef`;
    expect(await acquireLease(ctx().db, { name: SYNC_LEASE, owner: dead, ttlMs: 600_000, now })).toBe(true);
    const summary = await runSync({ ...deps(), owner: 'restarted' });
    expect(summary.ok).toBe(true);
  });

  it('when the holder is alive (or on another host), then the sync refuses with SYNC_RUNNING', async () => {
    for (const holder of [`${os.hostname()}:${process.pid}:live00`, 'other-host:123:abcdef']) {
      await ctx().db('sync_state').where({ name: SYNC_LEASE }).update({ lease_owner: null, lease_expires_at: null });
      expect(await acquireLease(ctx().db, { name: SYNC_LEASE, owner: holder, ttlMs: 600_000, now })).toBe(true);
      const error = await runSync({ ...deps(), owner: 'second' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SyncFailedError);
      expect((error as SyncFailedError).code).toBe('SYNC_RUNNING');
    }
  });

  it('when taking over, then only the named dead holder is replaced', async () => {
    const { db } = ctx();
    await db('sync_state').where({ name: SYNC_LEASE }).update({ lease_owner: 'a', lease_expires_at: '2026-11-23T11:00:00.000Z' });
    expect(await takeOverLease(db, { name: SYNC_LEASE, owner: 'c', ttlMs: 1000, now, from: 'b' })).toBe(false);
    expect(await takeOverLease(db, { name: SYNC_LEASE, owner: 'c', ttlMs: 1000, now, from: 'a' })).toBe(true);
    expect((await db('sync_state').where({ name: SYNC_LEASE }).first()).lease_owner).toBe('c');
  });
});
