import type { Knex } from 'knex';
import { recordAudit } from '../db/audit-log.ts';
import { dialectOf } from '../db/connection.ts';
import { findJobByKey, salesOrderJobKey } from '../db/export-jobs.ts';
import { transitionOrder } from '../db/order-events.ts';
import { withTransactionRetry } from '../db/transaction-retry.ts';
import type { Clock } from '../domain/clock.ts';
import { ConflictError, NotFoundError } from '../domain/errors.ts';
import { EXPORTED_STATES, type OrderState } from '../domain/order-state.ts';
import { cancelOrderDocuments } from './queue-documents.ts';

export interface CancelOrderInput {
  orderId: number;
  actor: string;
  reason?: string;
  clock: Clock;
}

export interface CancelOrderResult {
  orderId: number;
  status: 'cancelled' | 'already-cancelled';
  from: OrderState;
  /** Export jobs taken out of the queue (sales order, credit notes, a new customer nobody else needs). */
  cancelledJobs: number[];
}

/**
 * Support cancels an order here: its documents that have not left for Sage are cancelled and the
 * order moves to `cancelled` (a later change in WooCommerce does not revive it; reprocess does).
 * An order whose sales order has been delivered, or is being delivered right now, is refused:
 * Sage holds it (or soon will), so a person must cancel or credit it there. Audited.
 */
export async function cancelOrder(db: Knex, input: CancelOrderInput): Promise<CancelOrderResult> {
  const { orderId, actor, clock } = input;
  return withTransactionRetry(db, async (trx) => {
    const query = trx('orders').where({ id: orderId });
    if (dialectOf(db) === 'mysql') query.forUpdate();
    const order = await query.first('state');
    if (!order) throw new NotFoundError(`order ${orderId} is not in the inbox (has it been synced yet?)`, { orderId });
    const from = String(order.state) as OrderState;
    if (from === 'cancelled') return { orderId, status: 'already-cancelled' as const, from, cancelledJobs: [] };

    const salesOrder = await findJobByKey(trx, salesOrderJobKey(orderId));
    if (EXPORTED_STATES.includes(from) || (salesOrder && ['delivered', 'imported'].includes(salesOrder.state))) {
      const when = salesOrder?.deliveredAt ? ` on ${salesOrder.deliveredAt}` : '';
      throw new ConflictError(
        `order ${orderId} cannot be cancelled here: its sales order was delivered to Sage${when}; a person must cancel it in Sage (or raise a credit note if it has been invoiced)`,
        { orderId, state: from },
      );
    }
    const reason = `cancelled by ${actor}${input.reason ? `: ${input.reason}` : ''}`;
    const documents = await cancelOrderDocuments(trx, orderId, { clock, reason });
    if (documents.sent.length > 0 || documents.inDelivery.length > 0) {
      // Thrown inside the transaction: the documents cancelled above are restored.
      throw new ConflictError(
        documents.sent.length > 0
          ? `order ${orderId} cannot be cancelled here: a document of it was delivered to Sage; a person must cancel or credit it in Sage`
          : `order ${orderId} cannot be cancelled now: its sales order is being delivered (in a batch being written or fetched); once delivered, a person must cancel it in Sage`,
        { orderId, state: from, jobs: [...documents.sent, ...documents.inDelivery] },
      );
    }
    await transitionOrder(trx, { orderId, to: 'cancelled', reason, actor, at: clock.now(), patch: { last_error: null } });
    await recordAudit(trx, {
      at: clock.now(),
      actor,
      action: 'order.cancel',
      subject: `order.${orderId}`,
      before: from,
      after: 'cancelled',
      details: { reason: input.reason ?? null, cancelledJobs: documents.cancelled },
    });
    return { orderId, status: 'cancelled' as const, from, cancelledJobs: documents.cancelled };
  });
}
