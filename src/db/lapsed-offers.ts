import type { Knex } from 'knex';
import { toUtcIso } from '../domain/clock.ts';
import { withTransactionRetry } from './transaction-retry.ts';

export interface ReleasedOffer {
  batchId: number;
  name: string;
  jobIds: number[];
}

/**
 * Pull batches fetched but not acknowledged before their offer lapsed are taken apart: the batch
 * becomes `expired` and its documents go back to the queue, for folder delivery (or the next
 * take) like any other queued document. A late acknowledgement of the batch is refused.
 */
export async function releaseLapsedOffers(db: Knex, now: Date): Promise<ReleasedOffer[]> {
  const at = toUtcIso(now);
  const lapsed = await db('export_batches')
    .where({ channel: 'pull', state: 'offered' })
    .andWhere('offer_expires_at', '<=', at)
    .orderBy('id', 'asc')
    .select('id', 'name', 'offer_expires_at');
  const released: ReleasedOffer[] = [];
  for (const batch of lapsed) {
    const jobIds = await withTransactionRetry(db, async (trx) => {
      // Compare-and-set: an acknowledgement or another releaser may have got there first.
      const taken = await trx('export_batches')
        .where({ id: batch.id, state: 'offered' })
        .update({ state: 'expired', locked_by: null, locked_until: null });
      if (taken !== 1) return null;
      const ids: number[] = (await trx('export_jobs').where({ batch_id: batch.id, state: 'claimed' }).orderBy('id').pluck('id')).map(
        Number,
      );
      if (ids.length > 0) {
        await trx('export_jobs')
          .whereIn('id', ids)
          .update({
            state: 'queued',
            batch_id: null,
            locked_by: null,
            locked_until: null,
            next_attempt_at: at,
            last_error: `batch ${batch.name} was fetched but not acknowledged by ${batch.offer_expires_at}; back in the queue`,
            updated_at: at,
          });
      }
      return ids;
    });
    if (jobIds) released.push({ batchId: Number(batch.id), name: String(batch.name), jobIds });
  }
  return released;
}
