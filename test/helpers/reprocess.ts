import type { Knex } from 'knex';
import { processSettledOrder } from '../../src/pipeline/process-orders.ts';
import type { reprocessOrders } from '../../src/pipeline/reprocess-orders.ts';
import { settingsSchema, type Settings } from '../../src/settings/schema.ts';
import { seedOrder, testClock } from './outbox.ts';

/** No new accounts and no search by email: an order without a profile code is held. */
export const STRICT = settingsSchema.parse({ createAccounts: false, searchSageByEmail: false });
/** As STRICT, but such an order goes to the default account WEBSALES. */
export const WITH_DEFAULT = settingsSchema.parse({ createAccounts: false, searchSageByEmail: false, defaultAccountCode: 'WEBSALES' });
/** The shipped defaults: a new buyer gets a new account. */
export const DEFAULT_WITH_ACCOUNTS = settingsSchema.parse({});

/** A reprocess by "ann" at the test clock's time. */
export function reprocessOptions(settings: Settings, extra: Partial<Parameters<typeof reprocessOrders>[2]> = {}) {
  return { settings, clock: testClock(), actor: 'ann', ...extra };
}

/** An order taken through the process stage once, with these settings, by the sync. */
export async function processedOrder(db: Knex, settings: Settings, seedOptions: Parameters<typeof seedOrder>[1] = {}) {
  const seeded = await seedOrder(db, seedOptions);
  await db('orders').where({ id: seeded.orderId }).update({ state: 'waiting' });
  const row = await db('orders').where({ id: seeded.orderId }).first();
  const result = await processSettledOrder(
    db,
    { id: seeded.orderId, contentHash: row.content_hash, payload: seeded.order },
    { settings, clock: testClock(), actor: 'sync' },
  );
  return { ...seeded, result };
}
