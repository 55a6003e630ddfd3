import { expect, it } from 'vitest';
import { storeOrderPage } from '../src/db/inbox.ts';
import { up as fillBillingNames } from '../migrations/20261203140200_fill_orders_billing_name.ts';
import { DEFAULT_SETTINGS } from '../src/settings/schema.ts';
import { insertOrderRow } from './helpers/factories.ts';
import { describeEachDialect } from './helpers/test-db.ts';
import { buildOrder } from './helpers/woo-cart.ts';

/** The buyer's name in the inbox: what support searches and reads in the orders list. */
describeEachDialect('buyer names in the inbox', (ctx) => {
  const store = (raws: unknown[], at = '2026-11-20T10:00:00Z') =>
    ctx().db.transaction((trx) => storeOrderPage(trx, raws, { settings: DEFAULT_SETTINGS, at: new Date(at), actor: 'sync' }));
  const nameOf = async (id: number) => (await ctx().db('orders').where({ id }).first('billing_name'))?.billing_name ?? null;

  it('when an order arrives and later changes its billing name, then the column follows it (decoded, one line)', async () => {
    const order = buildOrder({
      id: 7301,
      lines: [{ price: '10.00', quantity: 1, rate: 20 }],
      pricesIncludeTax: false,
      roundAtSubtotal: false,
    });
    const billing = { ...order.billing, first_name: 'Jo', last_name: 'Bloggs', company: 'Bloggs &amp; Sons' };
    await store([{ ...order, billing }]);
    expect(await nameOf(7301)).toBe('Jo Bloggs (Bloggs & Sons)');
    await store([{ ...order, billing: { ...billing, last_name: 'Bloggs-\nSmith', company: '' } }], '2026-11-20T10:05:00Z');
    expect(await nameOf(7301)).toBe('Jo Bloggs- Smith');
  });

  it('when orders were stored before the column existed, then the fill migration names them from their payloads and skips what it cannot read', async () => {
    const { db } = ctx();
    const payload = (billing: unknown) => JSON.stringify({ id: 1, status: 'processing', billing });
    await insertOrderRow(db, { id: 7401, payload: payload({ first_name: 'Priya', last_name: 'Shah' }) });
    await insertOrderRow(db, { id: 7402, payload: payload({ company: 'x'.repeat(300) }) });
    await insertOrderRow(db, { id: 7403, payload: '{not json' });
    await insertOrderRow(db, { id: 7404, payload: payload(null) });
    await insertOrderRow(db, { id: 7405, payload: payload({ first_name: 'Kept' }), billing_name: 'Already Named' });
    await fillBillingNames(db);
    expect(await nameOf(7401)).toBe('Priya Shah');
    expect(await nameOf(7402)).toBe('x'.repeat(120));
    expect(await nameOf(7403)).toBeNull();
    expect(await nameOf(7404)).toBeNull();
    expect(await nameOf(7405)).toBe('Already Named');
  });
});
