import type { Knex } from 'knex';
import { transitionOrder } from '../../src/db/order-events.ts';
import { withTransactionRetry } from '../../src/db/transaction-retry.ts';
import type { Clock } from '../../src/domain/clock.ts';
import { allocateOrder } from '../../src/pipeline/allocate-order.ts';
import { queueOrderDocuments } from '../../src/pipeline/queue-documents.ts';
import type { SettledOrder } from '../../src/pipeline/settle.ts';
import type { Settings } from '../../src/settings/schema.ts';
import { parseOrder } from '../../src/woo/schemas.ts';

/**
 * One settled order the way the pipeline first did it, and the way anyone would write it: one
 * transaction, `allocateOrder` (its own queries, an `allocated` event), then `queueOrderDocuments`
 * (a `queued` event), or held with the document's reason. The reference the chunked process stage
 * is compared with (tests) and the bench's naive baseline.
 */
export async function processOrderOneByOne(
  db: Knex,
  settled: Pick<SettledOrder, 'id' | 'contentHash' | 'payload'>,
  context: { settings: Settings; clock: Clock; actor: string },
): Promise<'queued' | 'held' | 'changed' | 'already-sent'> {
  const { settings, clock, actor } = context;
  return withTransactionRetry(
    db,
    async (trx) => {
      const current = await trx('orders')
        .where({ id: settled.id, content_hash: settled.contentHash })
        .whereIn('state', ['waiting', 'received'])
        .first('id');
      if (!current) return 'changed';
      const { decision, newAccount } = await allocateOrder(
        trx,
        { id: settled.id, payload: settled.payload as object },
        settings,
        clock,
        actor,
      );
      const parsed = parseOrder(settled.payload);
      if (!decision.accountCode || !parsed.ok) return 'held';
      const queued = await queueOrderDocuments(trx, {
        orderId: settled.id,
        order: parsed.value,
        accountCode: decision.accountCode,
        newAccount: newAccount ?? null,
        settings,
        clock,
        actor,
      });
      if (queued.status === 'held') {
        const reason = queued.hold.message;
        await transitionOrder(trx, { orderId: settled.id, to: 'held', reason, actor, at: clock.now(), patch: { last_error: reason } });
      }
      return queued.status;
    },
    { readCommitted: true },
  );
}
