import type { Knex } from 'knex';
import { storeOrderPage } from '../../src/db/inbox.ts';
import { fixedClock } from '../../src/domain/clock.ts';
import { toMinorUnits, formatMinorUnits } from '../../src/domain/money.ts';
import { cancelOrder } from '../../src/pipeline/cancel-order.ts';
import { deliverToFolder } from '../../src/pipeline/deliver-to-folder.ts';
import { processSettledOrder } from '../../src/pipeline/process-orders.ts';
import { markOrderResult } from '../../src/pipeline/results.ts';
import { settingsSchema } from '../../src/settings/schema.ts';
import { parseOrder } from '../../src/woo/schemas.ts';
import { buildOrder, type Cart } from './woo-cart.ts';

/** Where an order of a scenario ends up, each reached through the pipeline's own code. */
export const FATES = ['delivered', 'held', 'waiting', 'statusNotExported', 'queued', 'failed', 'cancelled'] as const;
export type Fate = (typeof FATES)[number];

export interface ShopOrder {
  id: number;
  cart: Cart;
  fate: Fate;
  /** WooCommerce's date_created: the shop's local time (London summer time, UTC+1). */
  localCreated: string;
  /** Refunded in WooCommerce after export (minor units, up to the order's total); 0 for none. */
  refundMinor: number;
}

export interface StoredOrder extends ShopOrder {
  totalMinor: number;
  /** The books day: the local date. */
  day: string;
}

export const BOOKS_SETTINGS = settingsSchema.parse({ settleMinutes: 0 });
export const booksClock = () => fixedClock('2026-07-20T12:00:00.000Z');

/** "2026-07-02T00:30:00" local (UTC+1) → "2026-07-01T23:30:00" UTC. */
function gmtOf(local: string): string {
  return new Date(Date.parse(`${local}Z`) - 3_600_000).toISOString().slice(0, 19);
}

function payloadOf(order: ShopOrder, refunds: Array<{ id: number; reason: string; total: string }> = []): Record<string, unknown> {
  const base = buildOrder({ ...order.cart, id: order.id }) as unknown as Record<string, unknown>;
  return {
    ...base,
    status: order.fate === 'statusNotExported' ? 'on-hold' : 'processing',
    date_created: order.localCreated,
    date_created_gmt: gmtOf(order.localCreated),
    date_modified_gmt: '2026-07-10T08:00:00',
    billing: { ...(base.billing as object), email: `buyer${order.id}@example.com`, last_name: `Buyer${order.id}` },
    // A malformed profile code holds the order (rule PROFILE), as a real shop's typo would.
    meta_data: order.fate === 'held' ? [{ id: 1, key: 'sage_account_code', value: 'NOT-A-CODE!' }] : [],
    refunds,
  };
}

async function store(db: Knex, payloads: Record<string, unknown>[]): Promise<void> {
  const clock = booksClock();
  await db.transaction((trx) => storeOrderPage(trx, payloads, { settings: BOOKS_SETTINGS, at: clock.now(), actor: 'test' }));
}

async function processAll(db: Knex, ids: number[]): Promise<void> {
  for (const id of ids) {
    const row = await db('orders').where({ id }).first('payload', 'content_hash');
    const parsed = parseOrder(JSON.parse(String(row.payload)));
    if (!parsed.ok) throw new Error(parsed.reason);
    await processSettledOrder(
      db,
      { id, contentHash: String(row.content_hash), payload: parsed.value },
      {
        settings: BOOKS_SETTINGS,
        clock: booksClock(),
        actor: 'test',
      },
    );
  }
}

/**
 * Puts the orders through the inbox, allocation, queueing, delivery to `outboxDir`, the importer's
 * failure mark, cancellation and a refund after export, so each ends in its fate; returns each
 * order's WooCommerce total and books day as the shop sees them.
 */
export async function runScenario(db: Knex, orders: readonly ShopOrder[], outboxDir: string): Promise<StoredOrder[]> {
  const clock = booksClock();
  const payloads = orders.map((o) => payloadOf(o));
  await store(db, payloads);
  const ids = (fates: Fate[]) => orders.filter((o) => fates.includes(o.fate)).map((o) => o.id);
  await processAll(db, ids(['delivered', 'failed', 'held']));
  const report = await deliverToFolder(db, { outboxDir, clock });
  if (report.errors.length) throw new Error(`delivery failed: ${report.errors[0]!.message}`);
  for (const id of ids(['failed']))
    await markOrderResult(db, { orderId: id, outcome: 'failed', message: 'Sage rejected it', clock, actor: 'test' });
  await processAll(db, ids(['queued', 'cancelled']));
  for (const id of ids(['cancelled'])) await cancelOrder(db, { orderId: id, actor: 'test', clock, reason: 'a duplicate' });

  const stored = orders.map((o, i) => ({ ...o, totalMinor: toMinorUnits(String(payloads[i]!.total)), day: o.localCreated.slice(0, 10) }));
  const refunded = stored.filter((o) => o.fate === 'delivered' && o.refundMinor > 0);
  if (refunded.length) {
    await store(
      db,
      refunded.map((o) => {
        o.refundMinor = Math.min(o.refundMinor, o.totalMinor);
        return payloadOf(o, [{ id: o.id * 10, reason: 'Damaged', total: `-${formatMinorUnits(o.refundMinor)}` }]);
      }),
    );
  }
  for (const o of stored) if (!(o.fate === 'delivered' && o.refundMinor > 0)) o.refundMinor = 0;
  return stored;
}

/** Empties what a scenario writes, so the next one starts from nothing. */
export async function clearScenario(db: Knex): Promise<void> {
  for (const table of [
    'order_events',
    'order_changes',
    'orders',
    'export_jobs',
    'export_batches',
    'account_code_writebacks',
    'sage_account_emails',
    'sage_accounts',
  ])
    await db(table).del();
}
