import type { Knex } from 'knex';
import { toUtcIso } from '../domain/clock.ts';
import type { OrderState } from '../domain/order-state.ts';

export interface OrderTransition {
  orderId: number;
  to: OrderState;
  reason: string;
  actor: string;
  at: Date;
  /** Other columns of `orders` to set in the same statement (last_error, decision, settle_at, …). */
  patch?: Record<string, unknown>;
}

export interface OrderEvent {
  at: string;
  from: OrderState | null;
  to: OrderState;
  reason: string | null;
  actor: string;
}

/**
 * Moves an order to a new state and records the transition, inside the caller's transaction.
 * Returns the previous state. Staying in the same state with the same last error records nothing,
 * so re-evaluating a held order every poll does not flood its history.
 */
export async function transitionOrder(trx: Knex | Knex.Transaction, t: OrderTransition): Promise<OrderState | null> {
  const current = await trx('orders').where({ id: t.orderId }).first('state', 'last_error');
  const from = (current?.state ?? null) as OrderState | null;
  const at = toUtcIso(t.at);
  const update: Record<string, unknown> = { ...t.patch, updated_at: at };
  if (from !== t.to) {
    update.state = t.to;
    update.state_changed_at = at;
  }
  await trx('orders').where({ id: t.orderId }).update(update);
  const previousError = current?.last_error ?? null;
  const nextError = t.patch && 'last_error' in t.patch ? (t.patch.last_error ?? null) : previousError;
  if (from !== t.to || nextError !== previousError) {
    await trx('order_events').insert({ order_id: t.orderId, at, from_state: from, to_state: t.to, reason: t.reason, actor: t.actor });
  }
  return from;
}

export async function listOrderEvents(db: Knex, orderId: number): Promise<OrderEvent[]> {
  const rows = await db('order_events').where({ order_id: orderId }).orderBy('id', 'asc');
  return rows.map((row: Record<string, string | null>) => ({
    at: String(row.at),
    from: row.from_state as OrderState | null,
    to: row.to_state as OrderState,
    reason: row.reason ?? null,
    actor: String(row.actor),
  }));
}
