import { randomBytes } from 'node:crypto';
import os from 'node:os';
import type { Knex } from 'knex';
import { toUtcIso } from '../domain/clock.ts';

/**
 * Named leases in `sync_state`: at most one holder at a time, and a holder that dies loses the
 * lease when it expires. Every change is one compare-and-set UPDATE checked by affected rows, which
 * behaves the same on MySQL/MariaDB and SQLite and needs no long transaction.
 *
 * The take-over lives here too: who holds a lease (worker ids), when a holder is known to be dead
 * (`isDeadLocalWorker`), and taking a lease from such a holder at once (`takeLease`; batches:
 * `leaseBatch` in export-batches.ts) instead of waiting for it to expire.
 */

/** "host:pid:random": names a process in leases and claims, and says where it ran. */
export function newWorkerId(): string {
  return `${os.hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}

/**
 * True when a lease holder was a process on this host that no longer exists (killed, crashed):
 * its lease can be taken at once instead of waiting for it to expire. A holder on another host,
 * or one whose id does not follow newWorkerId's form, is never judged dead here.
 */
export function isDeadLocalWorker(workerId: string): boolean {
  const [host, pidText] = workerId.split(':');
  const pid = Number(pidText);
  if (host !== os.hostname() || !Number.isInteger(pid) || pid <= 0 || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    // EPERM: the pid exists but belongs to someone else, so it is alive.
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

export interface LeaseRequest {
  name: string;
  owner: string;
  ttlMs: number;
  now: Date;
}

async function ensureRow(db: Knex, name: string, now: Date): Promise<void> {
  await db('sync_state')
    .insert({ name, updated_at: toUtcIso(now) })
    .onConflict('name')
    .ignore();
}

/** Takes the lease if it is free, expired, or already ours (then it is renewed). */
export async function acquireLease(db: Knex, req: LeaseRequest): Promise<boolean> {
  await ensureRow(db, req.name, req.now);
  const now = toUtcIso(req.now);
  const affected = await db('sync_state')
    .where({ name: req.name })
    .andWhere((q) => q.whereNull('lease_owner').orWhere('lease_owner', req.owner).orWhere('lease_expires_at', '<', now))
    .update({ lease_owner: req.owner, lease_expires_at: toUtcIso(new Date(req.now.getTime() + req.ttlMs)), updated_at: now });
  return affected === 1;
}

/** Extends a lease we hold; false means it expired and someone else may have it: stop working. */
export async function renewLease(db: Knex, req: LeaseRequest): Promise<boolean> {
  const now = toUtcIso(req.now);
  const affected = await db('sync_state')
    .where({ name: req.name, lease_owner: req.owner })
    .andWhere('lease_expires_at', '>=', now)
    .update({ lease_expires_at: toUtcIso(new Date(req.now.getTime() + req.ttlMs)), updated_at: now });
  return affected === 1;
}

export async function releaseLease(db: Knex, name: string, owner: string, now: Date): Promise<void> {
  await db('sync_state')
    .where({ name, lease_owner: owner })
    .update({ lease_owner: null, lease_expires_at: null, updated_at: toUtcIso(now) });
}

export async function leaseHolder(db: Knex, name: string, now: Date): Promise<{ owner: string; expiresAt: string } | undefined> {
  const row = await db('sync_state').where({ name }).first('lease_owner', 'lease_expires_at');
  if (!row?.lease_owner || String(row.lease_expires_at) < toUtcIso(now)) return undefined;
  return { owner: String(row.lease_owner), expiresAt: String(row.lease_expires_at) };
}

/** Takes a lease from a holder known to be dead (see isDeadLocalWorker), whatever its expiry. */
export async function takeOverLease(db: Knex, req: LeaseRequest & { from: string }): Promise<boolean> {
  const affected = await db('sync_state')
    .where({ name: req.name, lease_owner: req.from })
    .update({ lease_owner: req.owner, lease_expires_at: toUtcIso(new Date(req.now.getTime() + req.ttlMs)), updated_at: toUtcIso(req.now) });
  return affected === 1;
}

/**
 * Takes the lease if it is free, expired or ours (acquireLease), or at once from a holder that was
 * a process on this host and no longer exists: a sync killed here leaves its lease behind, and a
 * restart need not wait for it to expire.
 */
export async function takeLease(db: Knex, req: LeaseRequest): Promise<boolean> {
  if (await acquireLease(db, req)) return true;
  const holder = await leaseHolder(db, req.name, req.now);
  return !!holder && isDeadLocalWorker(holder.owner) && (await takeOverLease(db, { ...req, from: holder.owner }));
}
