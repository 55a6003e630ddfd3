import type { Knex } from 'knex';
import type { Clock } from '../domain/clock.ts';
import { settleCutoff, type SettleSettings } from '../domain/settle-rule.ts';
import type { OrderState } from '../domain/order-state.ts';

/** An inbox order that has settled and can be allocated. */
export interface SettledOrder {
  id: number;
  status: string;
  state: OrderState;
  customerId: number;
  billingEmail: string | null;
  /** WooCommerce date_modified_gmt (UTC ISO). */
  dateModified: string;
  /** Compare-and-set on this when moving the order on: a poll may change it meanwhile. */
  contentHash: string;
  /** The order exactly as WooCommerce sent it (parse it with parseOrder). */
  payload: unknown;
}

/**
 * Orders now eligible for export: state waiting (or received), a status in importStatuses,
 * unchanged in WooCommerce for settleMinutes, and (for logged-in buyers) the customer profile
 * fetched. Oldest modification first. The allocation stage moves each one on.
 */
export async function selectSettledOrders(
  db: Knex | Knex.Transaction,
  settings: SettleSettings,
  clock: Clock,
  limit = 500,
  /** Keyset paging: only orders after this one (in the same order), so a run never re-reads one. */
  after?: Pick<SettledOrder, 'id' | 'dateModified'>,
): Promise<SettledOrder[]> {
  const query = db('orders')
    .whereIn('state', ['waiting', 'received'])
    .whereIn('status', [...settings.importStatuses])
    .andWhere('date_modified', '<=', settleCutoff(settings, clock.now()))
    .andWhere('customer_pending', false);
  if (after) {
    query.andWhere((q) =>
      q
        .where('date_modified', '>', after.dateModified)
        .orWhere((t) => t.where('date_modified', after.dateModified).andWhere('id', '>', after.id)),
    );
  }
  const rows = await query
    .orderBy([
      { column: 'date_modified', order: 'asc' },
      { column: 'id', order: 'asc' },
    ])
    .limit(limit)
    .select('id', 'status', 'state', 'customer_id', 'billing_email', 'date_modified', 'content_hash', 'payload');
  return rows.map((r: Record<string, unknown>) => ({
    id: Number(r.id),
    status: String(r.status),
    state: String(r.state) as OrderState,
    customerId: Number(r.customer_id),
    billingEmail: (r.billing_email as string | null) ?? null,
    dateModified: String(r.date_modified),
    contentHash: String(r.content_hash),
    payload: JSON.parse(String(r.payload)),
  }));
}
