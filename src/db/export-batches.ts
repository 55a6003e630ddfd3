import type { Knex } from 'knex';
import { toUtcIso } from '../domain/clock.ts';
import { backoffDelay, type RetryPolicy } from '../domain/retry-policy.ts';
import { insertInChunks } from './bulk-write.ts';
import { isDeadLocalWorker } from './leases.ts';
import { withTransactionRetry } from './transaction-retry.ts';

type Db = Knex | Knex.Transaction;

/** folder: open → staged → written. pull: offered → acknowledged, or expired (its documents back in the queue). */
export type BatchState = 'open' | 'staged' | 'written' | 'offered' | 'acknowledged' | 'expired';

export interface ExportBatch {
  id: number;
  name: string;
  channel: 'folder' | 'pull';
  state: BatchState;
  documents: number;
  files: string[];
  lockedBy: string | null;
  lockedUntil: string | null;
  ackToken: string | null;
  offerExpiresAt: string | null;
  createdAt: string;
  deliveredAt: string | null;
  lastError: string | null;
  attempts: number;
  nextAttemptAt: string | null;
}

export function toBatch(row: Record<string, unknown>): ExportBatch {
  const text = (v: unknown) => (v === null || v === undefined ? null : String(v));
  return {
    id: Number(row.id),
    name: String(row.name),
    channel: row.channel as ExportBatch['channel'],
    state: row.state as BatchState,
    documents: Number(row.documents),
    files: row.files ? (JSON.parse(String(row.files)) as string[]) : [],
    lockedBy: text(row.locked_by),
    lockedUntil: text(row.locked_until),
    ackToken: text(row.ack_token),
    offerExpiresAt: text(row.offer_expires_at),
    createdAt: String(row.created_at),
    deliveredAt: text(row.delivered_at),
    lastError: text(row.last_error),
    attempts: Number(row.attempts ?? 0),
    nextAttemptAt: text(row.next_attempt_at),
  };
}

export async function findBatch(db: Db, id: number): Promise<ExportBatch | undefined> {
  const row = await db('export_batches').where({ id }).first();
  return row ? toBatch(row) : undefined;
}

/** Folder batches a crash (or a failed write) left unfinished, oldest first; those backing off only once their time has come. */
export async function listUnfinishedFolderBatches(db: Db, now?: Date): Promise<ExportBatch[]> {
  const query = db('export_batches').where({ channel: 'folder' }).whereIn('state', ['open', 'staged']).orderBy('id', 'asc');
  if (now) query.andWhere((q) => q.whereNull('next_attempt_at').orWhere('next_attempt_at', '<=', toUtcIso(now)));
  return (await query).map(toBatch);
}

/**
 * Takes (or renews) the lease on a batch and on its jobs: only when this worker holds it already,
 * the previous holder's lease has run out, or `holder` (the batch's `locked_by` as read) is a
 * worker known to be dead (a killed process on this host, `isDeadLocalWorker`), so a restart
 * finishes it at once. Returns false when someone else is working on it.
 */
export async function leaseBatch(
  db: Knex,
  batchId: number,
  workerId: string,
  now: Date,
  leaseMs: number,
  holder?: string | null,
): Promise<boolean> {
  const abandonedBy = holder && isDeadLocalWorker(holder) ? holder : undefined;
  const at = toUtcIso(now);
  const until = toUtcIso(new Date(now.getTime() + leaseMs));
  return withTransactionRetry(db, async (trx) => {
    const taken = await trx('export_batches')
      .where({ id: batchId })
      .whereIn('state', ['open', 'staged'])
      .andWhere((q) => {
        q.where('locked_by', workerId).orWhereNull('locked_until').orWhere('locked_until', '<', at);
        if (abandonedBy) q.orWhere('locked_by', abandonedBy);
      })
      .update({ locked_by: workerId, locked_until: until });
    if (taken !== 1) return false;
    await trx('export_jobs').where({ batch_id: batchId, state: 'claimed' }).update({ locked_by: workerId, locked_until: until });
    return true;
  });
}

/** Records that every file of the batch is complete in the staging folder; nothing is visible yet. */
export async function markBatchStaged(db: Db, batchId: number, workerId: string, files: string[], now: Date): Promise<boolean> {
  const updated = await db('export_batches')
    .where({ id: batchId, locked_by: workerId, state: 'open' })
    .update({ state: 'staged', files: JSON.stringify(files), staged_at: toUtcIso(now), last_error: null });
  return updated === 1;
}

/**
 * A staged batch (some of its files may be visible already, so its documents cannot go back to the
 * queue) that failed for a passing reason: the error is kept, the lease given up, and the batch is
 * finished after a capped, jittered backoff. It has no last attempt: giving up would lose track of
 * documents the importer may already hold. Returns when it is tried again.
 */
export async function postponeBatch(
  db: Db,
  input: { batchId: number; workerId: string; message: string; now: Date; policy: RetryPolicy; random: () => number },
): Promise<string | null> {
  const at = toUtcIso(input.now);
  const text = input.message.slice(0, 2000);
  const batch = await db('export_batches').where({ id: input.batchId, locked_by: input.workerId }).first('attempts');
  if (!batch) return null;
  const attempts = Number(batch.attempts ?? 0) + 1;
  const retryAt = toUtcIso(new Date(input.now.getTime() + backoffDelay(input.policy, attempts, input.random)));
  await db('export_batches')
    .where({ id: input.batchId, locked_by: input.workerId })
    .update({ last_error: text, locked_until: at, attempts, next_attempt_at: retryAt });
  await db('export_jobs')
    .where({ batch_id: input.batchId, state: 'claimed', locked_by: input.workerId })
    .update({ last_error: text, updated_at: at });
  return retryAt;
}

/**
 * Marks the batch's jobs delivered, moves their orders to `delivered`, and closes the batch, in one
 * transaction, only while this worker holds the lease. Returns the number of documents delivered.
 */
export async function completeBatch(
  db: Knex,
  batchId: number,
  workerId: string | null,
  now: Date,
  final: { from: BatchState; to: BatchState; actor: string; reason: string },
): Promise<number> {
  const at = toUtcIso(now);
  return withTransactionRetry(db, async (trx) => {
    const batch = trx('export_batches').where({ id: batchId, state: final.from });
    if (workerId) batch.andWhere('locked_by', workerId);
    const closed = await batch.update({
      state: final.to,
      delivered_at: at,
      locked_by: null,
      locked_until: null,
      last_error: null,
      next_attempt_at: null,
      ...(final.to === 'acknowledged' ? { acknowledged_at: at } : {}),
    });
    if (closed !== 1) return 0;
    const jobs = await trx('export_jobs').select('id', 'kind', 'order_id').where({ batch_id: batchId, state: 'claimed' });
    await trx('export_jobs')
      .where({ batch_id: batchId, state: 'claimed' })
      .update({ state: 'delivered', delivered_at: at, locked_by: null, locked_until: null, last_error: null, updated_at: at });
    const orderIds = jobs.filter((job) => job.kind === 'sales_order' && job.order_id !== null).map((job) => Number(job.order_id));
    await markOrdersDelivered(trx, orderIds, { at, reason: final.reason, actor: final.actor });
    return jobs.length;
  });
}

/**
 * Moves the orders of delivered sales orders from `queued` (or `allocated`) to `delivered`, with
 * one event each, in a few statements for the whole batch.
 */
async function markOrdersDelivered(
  trx: Knex.Transaction,
  orderIds: readonly number[],
  event: { at: string; reason: string; actor: string },
): Promise<void> {
  const from = ['queued', 'allocated'];
  for (let i = 0; i < orderIds.length; i += 500) {
    const ids = orderIds.slice(i, i + 500);
    const moving = await trx('orders').whereIn('id', ids).whereIn('state', from).select('id', 'state');
    if (moving.length === 0) continue;
    await trx('orders')
      .whereIn(
        'id',
        moving.map((o: { id: number }) => o.id),
      )
      .whereIn('state', from)
      .update({ state: 'delivered', state_changed_at: event.at, updated_at: event.at });
    await insertInChunks(
      trx,
      'order_events',
      moving.map((o: { id: number; state: string }) => ({
        order_id: Number(o.id),
        at: event.at,
        from_state: o.state,
        to_state: 'delivered',
        reason: event.reason,
        actor: event.actor,
      })),
    );
  }
}
