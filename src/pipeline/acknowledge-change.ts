import type { Knex } from 'knex';
import { recordAudit } from '../db/audit-log.ts';
import { dialectOf } from '../db/connection.ts';
import { insertOrderChange, listOpenOrderChanges, markChangesAcknowledged, type OrderChange } from '../db/order-changes.ts';
import { withTransactionRetry } from '../db/transaction-retry.ts';
import type { Clock } from '../domain/clock.ts';
import { ConflictError, NotFoundError } from '../domain/errors.ts';

export interface AcknowledgeInput {
  orderId: number;
  actor: string;
  /** What the person did about it ("credit note CN123 raised in Sage"). */
  note?: string;
  clock: Clock;
}

export interface AcknowledgeResult {
  orderId: number;
  /** The changes acknowledged, as they now stand (with who, when and the note). */
  acknowledged: OrderChange[];
}

/**
 * A person has dealt with an order's changes after export (in Sage): each open change is recorded
 * as acknowledged by them, when, with their note, and the order's flag and summary are cleared.
 * A change detected meanwhile (after the person looked) stays open and keeps the flag. Audited.
 */
export async function acknowledgeChange(db: Knex, input: AcknowledgeInput): Promise<AcknowledgeResult> {
  const { orderId, actor, clock } = input;
  const note = input.note?.trim() || null;
  return withTransactionRetry(db, async (trx) => {
    // Locks the order row first: the inbox updates it in the same transaction that records a change.
    const query = trx('orders').where({ id: orderId });
    if (dialectOf(db) === 'mysql') query.forUpdate();
    const order = await query.first('state', 'changed_after_export', 'change_summary');
    if (!order) throw new NotFoundError(`order ${orderId} is not in the inbox (has it been synced yet?)`, { orderId });
    let open = await listOpenOrderChanges(trx, orderId);
    if (open.length === 0 && Boolean(Number(order.changed_after_export)) && order.change_summary) {
      // Flagged before changes were kept one by one: the summary is the change.
      await insertOrderChange(trx, { orderId, at: clock.now(), summary: String(order.change_summary), action: null });
      open = await listOpenOrderChanges(trx, orderId);
    }
    if (open.length === 0) {
      throw new ConflictError(`order ${orderId} has no change after export waiting to be acknowledged`, { orderId });
    }
    const at = clock.now();
    await markChangesAcknowledged(
      trx,
      open.map((c) => c.id),
      { at, actor, note },
    );
    await trx('orders').where({ id: orderId }).update({ changed_after_export: false, change_summary: null, updated_at: at.toISOString() });
    const what = open.map((c) => c.summary).join('; ');
    await trx('order_events').insert({
      order_id: orderId,
      at: at.toISOString(),
      from_state: order.state,
      to_state: order.state,
      reason: `change after export acknowledged by ${actor}${note ? ` (${note})` : ''}: ${what}`.slice(0, 4000),
      actor,
    });
    await recordAudit(trx, {
      at,
      actor,
      action: 'order.acknowledge-change',
      subject: `order.${orderId}`,
      before: order.change_summary ?? what,
      after: null,
      details: { note, changes: open.map((c) => c.id) },
    });
    return {
      orderId,
      acknowledged: open.map((c) => ({ ...c, acknowledgedAt: at.toISOString(), acknowledgedBy: actor.slice(0, 120), note })),
    };
  });
}
