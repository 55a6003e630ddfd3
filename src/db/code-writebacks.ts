import type { Knex } from 'knex';
import { toUtcIso } from '../domain/clock.ts';

type Db = Knex | Knex.Transaction;

export interface WritebackRow {
  customer_id: number;
  account_code: string;
  state: 'pending' | 'done' | 'failed' | 'skipped';
  attempts: number;
  next_attempt_at: string;
  locked_by: string | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
  done_at: string | null;
}

/** Queues a write-back of a new code to a customer's profile; a customer is queued once, ever. */
export async function queueWriteback(db: Db, customerId: number, accountCode: string, at: Date): Promise<void> {
  const now = toUtcIso(at);
  await db('account_code_writebacks')
    .insert({
      customer_id: customerId,
      account_code: accountCode,
      state: 'pending',
      attempts: 0,
      next_attempt_at: now,
      created_at: now,
      updated_at: now,
    })
    .onConflict('customer_id')
    .ignore();
}

export async function dueWritebacks(db: Db, at: Date, limit: number): Promise<WritebackRow[]> {
  return db<WritebackRow>('account_code_writebacks')
    .where({ state: 'pending' })
    .andWhere('next_attempt_at', '<=', toUtcIso(at))
    .orderBy('next_attempt_at')
    .limit(limit);
}

/**
 * Claims a due row by moving its next attempt past a lease (compare-and-set on the old value), so
 * two processes never write the same code twice and a crashed one's row comes due again.
 */
export async function claimWriteback(db: Db, row: WritebackRow, worker: string, leaseUntil: Date, at: Date): Promise<boolean> {
  const changed = await db('account_code_writebacks')
    .where({ customer_id: row.customer_id, state: 'pending', next_attempt_at: row.next_attempt_at })
    .update({ next_attempt_at: toUtcIso(leaseUntil), locked_by: worker, updated_at: toUtcIso(at) });
  return changed === 1;
}

export async function finishWriteback(
  db: Db,
  customerId: number,
  worker: string,
  outcome: { state: WritebackRow['state']; error?: string | null; nextAttemptAt?: Date; attempts: number },
  at: Date,
): Promise<void> {
  const now = toUtcIso(at);
  await db('account_code_writebacks')
    .where({ customer_id: customerId, locked_by: worker })
    .update({
      state: outcome.state,
      attempts: outcome.attempts,
      last_error: outcome.error ? outcome.error.slice(0, 2000) : null,
      next_attempt_at: toUtcIso(outcome.nextAttemptAt ?? at),
      locked_by: null,
      updated_at: now,
      done_at: outcome.state === 'pending' ? null : now,
    });
}

export async function listWritebacks(db: Db, filter: { state?: WritebackRow['state'] } = {}): Promise<WritebackRow[]> {
  const query = db<WritebackRow>('account_code_writebacks').orderBy('customer_id');
  if (filter.state) query.where({ state: filter.state });
  return query;
}
