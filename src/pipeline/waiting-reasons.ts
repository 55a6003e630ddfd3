import type { Knex } from 'knex';
import type { OrderSummary } from '../db/order-queries.ts';
import { sageAccountsKnown } from '../db/sage-accounts-known.ts';
import { stateLabel, statusNotExported, waitingReason } from '../domain/settle-rule.ts';
import { getSettings } from '../settings/store.ts';

export type OrderWithWaitingReason = OrderSummary & {
  waitingReason: string | null;
  /** Waiting with a WooCommerce status that is not exported: it will not go to Sage as it is. */
  statusNotExported: boolean;
  /** The state, or "not exported (status cancelled)" for such an order. */
  stateLabel: string;
};

/**
 * Each order with why it waits, read against the current settings and time (support's first
 * question about an order that has not moved: "why hasn't it gone to Sage?").
 */
export async function withWaitingReasons(db: Knex, now: Date, orders: readonly OrderSummary[]): Promise<OrderWithWaitingReason[]> {
  const settings = orders.some((o) => o.state === 'waiting' || o.state === 'received') ? await getSettings(db) : undefined;
  // Once Sage's accounts are known, an order that waited for them is simply due.
  const known = orders.some((o) => o.awaitingAccounts) ? await sageAccountsKnown(db) : true;
  return orders.map((o) => ({
    ...o,
    waitingReason: settings ? waitingReason({ ...o, awaitingSageAccounts: o.awaitingAccounts && !known }, settings, now) : null,
    statusNotExported: settings ? statusNotExported(o, settings) : false,
    stateLabel: settings ? stateLabel(o, settings) : o.state,
  }));
}
