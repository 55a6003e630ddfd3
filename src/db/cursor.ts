import type { Knex } from 'knex';
import { toUtcIso } from '../domain/clock.ts';

/** The poll's position: orders modified after `modifiedAfter` are still to be read from `store`. */
export interface OrdersCursor {
  modifiedAfter: string;
  /** Which store the cursor belongs to; order ids of two stores must never mix in one inbox. */
  store: string;
}

export const ORDERS_CURSOR = 'orders.cursor';
/** The same for WooCommerce's bin (status=trash), which the store's order listing leaves out. */
export const BIN_CURSOR = 'orders.bin-cursor';
type CursorName = typeof ORDERS_CURSOR | typeof BIN_CURSOR;

export async function readOrdersCursor(db: Knex | Knex.Transaction, name: CursorName = ORDERS_CURSOR): Promise<OrdersCursor | undefined> {
  const row = await db('sync_state').where({ name }).first('value');
  if (!row?.value) return undefined;
  const value = JSON.parse(String(row.value)) as Partial<OrdersCursor>;
  return typeof value.modifiedAfter === 'string' && typeof value.store === 'string'
    ? { modifiedAfter: value.modifiedAfter, store: value.store }
    : undefined;
}

/**
 * Moves the cursor forward, in the caller's transaction (the one that stored the orders read up
 * to it). It never moves back: a re-read from an earlier date (`--since`) leaves it where it was.
 */
export async function advanceOrdersCursor(
  trx: Knex.Transaction,
  next: { modifiedAfter: Date; store: string },
  at: Date,
  name: CursorName = ORDERS_CURSOR,
): Promise<OrdersCursor> {
  const current = await readOrdersCursor(trx, name);
  const modifiedAfter = toUtcIso(next.modifiedAfter);
  const value: OrdersCursor = {
    store: next.store,
    modifiedAfter: current && current.store === next.store && current.modifiedAfter > modifiedAfter ? current.modifiedAfter : modifiedAfter,
  };
  await trx('sync_state')
    .insert({ name, value: JSON.stringify(value), updated_at: toUtcIso(at) })
    .onConflict('name')
    .merge(['value', 'updated_at']);
  return value;
}
