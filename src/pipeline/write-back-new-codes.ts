import type { Knex } from 'knex';
import os from 'node:os';
import { recordAudit } from '../db/audit-log.ts';
import { claimWriteback, dueWritebacks, finishWriteback, type WritebackRow } from '../db/code-writebacks.ts';
import type { Clock } from '../domain/clock.ts';
import { getSettings } from '../settings/store.ts';
import type { CustomerProfileWriter } from '../woo/profile-writer.ts';
import { WooRequestError } from '../woo/errors.ts';

export interface WriteBackOptions {
  clock: Clock;
  actor: string;
  worker?: string;
  limit?: number;
  maxAttempts?: number;
}

export interface WriteBackSummary {
  /** writeBackNewCodes is off: queued write-backs wait. */
  disabled: boolean;
  written: number;
  skipped: number;
  retrying: number;
  failed: number;
}

const LEASE_MS = 5 * 60_000;
const BASE_DELAY_MS = 60_000;
const MAX_DELAY_MS = 6 * 60 * 60_000;

/**
 * Writes newly created account codes back to the logged-in buyers' WooCommerce profiles, so
 * their next order takes rule PROFILE. Queued by allocation, done here, outside any order's
 * transaction: a store that is down delays the write-back, never an allocation.
 */
export async function writeBackNewCodes(db: Knex, writer: CustomerProfileWriter, options: WriteBackOptions): Promise<WriteBackSummary> {
  const summary: WriteBackSummary = { disabled: false, written: 0, skipped: 0, retrying: 0, failed: 0 };
  const settings = await getSettings(db);
  if (!settings.writeBackNewCodes) return { ...summary, disabled: true };
  const worker = options.worker ?? `${os.hostname()}:${process.pid}`;
  const maxAttempts = options.maxAttempts ?? 8;
  const due = await dueWritebacks(db, options.clock.now(), options.limit ?? 100);
  for (const row of due) {
    const now = options.clock.now();
    if (!(await claimWriteback(db, row, worker, new Date(now.getTime() + LEASE_MS), now))) continue;
    const outcome = await writeOne(db, writer, row, settings.profileMetaKey, worker, maxAttempts, options);
    summary[outcome]++;
  }
  return summary;
}

async function writeOne(
  db: Knex,
  writer: CustomerProfileWriter,
  row: WritebackRow,
  metaKey: string,
  worker: string,
  maxAttempts: number,
  options: WriteBackOptions,
): Promise<'written' | 'skipped' | 'retrying' | 'failed'> {
  const attempts = row.attempts + 1;
  const subject = `woo_customers.${row.customer_id}`;
  const local = await db('woo_customers').where({ id: row.customer_id }).first('profile_code');
  const current = local?.profile_code?.trim().toUpperCase() || null;
  if (current && current !== row.account_code) {
    // Someone linked the customer meanwhile; their choice stands.
    await finishWriteback(
      db,
      row.customer_id,
      worker,
      { state: 'skipped', attempts, error: `the profile already carries ${current}` },
      options.clock.now(),
    );
    return 'skipped';
  }
  try {
    await writer.updateCustomerMeta(row.customer_id, metaKey, row.account_code);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    // A WooRequestError is a 4xx other than auth/429 (e.g. the customer was deleted): asking again will not help.
    const permanent = err instanceof WooRequestError;
    const now = options.clock.now();
    if (permanent || attempts >= maxAttempts) {
      await finishWriteback(db, row.customer_id, worker, { state: 'failed', attempts, error: message }, now);
      await recordAudit(db, {
        at: now,
        actor: options.actor,
        action: 'customer.code_write_back_failed',
        subject,
        after: row.account_code,
        details: { error: message, attempts },
      });
      return 'failed';
    }
    const delay = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** (attempts - 1));
    const nextAttemptAt = new Date(now.getTime() + delay / 2 + Math.random() * (delay / 2));
    await finishWriteback(db, row.customer_id, worker, { state: 'pending', attempts, error: message, nextAttemptAt }, now);
    return 'retrying';
  }
  await db.transaction(async (trx) => {
    const now = options.clock.now();
    await finishWriteback(trx, row.customer_id, worker, { state: 'done', attempts }, now);
    await trx('woo_customers').where({ id: row.customer_id }).update({ profile_code: row.account_code });
    await recordAudit(trx, {
      at: now,
      actor: options.actor,
      action: 'customer.code_written_back',
      subject,
      before: current,
      after: row.account_code,
      details: { metaKey },
    });
  });
  return 'written';
}
