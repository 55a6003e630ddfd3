import { createTestDatabase } from './test/helpers/test-db.ts';
import { generateOrder } from './src/sandbox/generate-order.ts';
import { storeOrderPage } from './src/db/inbox.ts';
import { readOrder } from './src/woo/order-facts.ts';
import { orderContentHash } from './src/woo/content-hash.ts';
import { DEFAULT_SETTINGS } from './src/settings/schema.ts';
const config: any = { seed: 7, orders: 10000, customers: 3000, startSec: 1_700_000_000, secondsPerOrder: 1, firstOrderId: 1001, pricesIncludeTax: 'mixed', profileMetaKey: 'sage_account_code', origin: 'http://x', maxLines: 10 };
const pages: unknown[][] = [];
for (let p = 0; p < 50; p++) pages.push(Array.from({ length: 100 }, (_, k) => JSON.parse(JSON.stringify(generateOrder(config, p * 100 + k)))));
let t = performance.now();
for (const page of pages) for (const o of page) readOrder(o);
console.log('readOrder µs/order', ((performance.now() - t) * 1000 / 5000).toFixed(0));
t = performance.now();
for (const page of pages) for (const o of page) orderContentHash(o);
console.log('hash µs/order', ((performance.now() - t) * 1000 / 5000).toFixed(0));
t = performance.now();
for (const page of pages) for (const o of page) JSON.stringify(o);
console.log('stringify µs/order', ((performance.now() - t) * 1000 / 5000).toFixed(0));
for (const dialect of (process.env.MYSQL_TEST_URL ? ['sqlite', 'mysql'] : ['sqlite']) as const) {
  const tdb = await createTestDatabase(dialect);
  t = performance.now();
  for (const page of pages) await tdb.db.transaction((trx) => storeOrderPage(trx, page, { settings: DEFAULT_SETTINGS, at: new Date(), actor: 'sync' }));
  console.log(dialect, 'storeOrderPage µs/order', ((performance.now() - t) * 1000 / 5000).toFixed(0));
  await tdb.destroy();
}
