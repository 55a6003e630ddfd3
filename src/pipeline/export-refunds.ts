import type { Knex } from 'knex';
import { flagOrderChange } from '../db/order-changes.ts';
import { settleCutoff } from '../domain/settle-rule.ts';
import { WooAuthError, WooRequestError, WooUnavailableError } from '../woo/errors.ts';
import { queueCreditNotes } from './queue-credit-notes.ts';
import type { SyncRun } from './sync-run.ts';
import { addProblems } from './sync-summary.ts';

/** Orders with refunds not looked at yet whose sales order is queued or has gone to Sage. */
export async function selectOrdersWithNewRefunds(db: Knex, limit: number, after = 0): Promise<number[]> {
  const rows = await db('orders as o')
    .join('export_jobs as j', function () {
      this.on('j.order_id', '=', 'o.id').andOn('j.kind', '=', db.raw('?', ['sales_order']));
    })
    .where('o.refunds_pending', true)
    .andWhere('o.id', '>', after)
    .orderBy('o.id', 'asc')
    .limit(limit)
    .select('o.id');
  return rows.map((r: { id: number }) => Number(r.id));
}

/**
 * The refunds stage (after processing, before delivery). With `exportRefunds`, each refund of an
 * order whose sales order is queued or sent becomes a credit note (its lines read from
 * `GET orders/{id}/refunds`, one request per such order) once it has settled like an order
 * (settleMinutes, time for corrections); otherwise refunds stay a person's to
 * handle in Sage (the order was flagged when the refund appeared) and are not exported later.
 * One order failing never stops the others; the store being unreachable ends the stage, and the
 * orders not done are looked at by the next run.
 */
export async function exportRefunds(run: SyncRun): Promise<void> {
  const { db, client, clock, logger } = run.deps;
  const counts = { orders: 0, queued: 0, held: 0, waiting: 0, skipped: 0, failed: 0 };
  let after = 0;
  for (;;) {
    const ids = await selectOrdersWithNewRefunds(db, 100, after);
    if (ids.length === 0) break;
    after = ids[ids.length - 1]!;
    if (!run.settings.exportRefunds) {
      counts.skipped += await db('orders').whereIn('id', ids).update({ refunds_pending: false });
      continue;
    }
    for (const orderId of ids) {
      try {
        const fetched = await client.fetchOrderRefunds(orderId);
        const settledBefore = settleCutoff(run.settings, clock.now());
        const outcomes = await queueCreditNotes(db, { orderId, fetched, settings: run.settings, clock, settledBefore });
        counts.orders += 1;
        for (const o of outcomes) {
          if (o.outcome === 'queued') counts.queued += 1;
          if (o.outcome === 'waiting') counts.waiting += 1;
          if (o.outcome === 'held') {
            counts.held += 1;
            addProblems(run.summary, [{ orderId, reason: `refund #${o.refundId ?? '?'} held: ${o.reason}` }]);
          }
        }
      } catch (err) {
        if (err instanceof WooAuthError || err instanceof WooUnavailableError) throw err;
        counts.failed += 1;
        const reason = err instanceof Error ? err.message : String(err);
        logger.error({ orderId, err: reason }, 'refunds could not be exported');
        addProblems(run.summary, [{ orderId, reason: `refunds not exported: ${reason}` }]);
        if (err instanceof WooRequestError) {
          // The store refuses this order's refunds (deleted, say): asking every run will not help.
          await db.transaction(async (trx) => {
            await trx('orders').where({ id: orderId }).update({ refunds_pending: false });
            await flagOrderChange(trx, {
              orderId,
              at: clock.now(),
              summary: `its refunds could not be read from the store: ${reason}`,
              action: 'check its refunds in WooCommerce and credit them in Sage by hand',
            });
          });
        }
      }
      await run.heartbeat();
    }
  }
  run.summary.stages.refunds = counts;
}
