import { expect, it } from 'vitest';
import { listOrderEvents } from '../src/db/order-events.ts';
import { processSettledOrder } from '../src/pipeline/process-orders.ts';
import { DEFAULT_SETTINGS } from '../src/settings/schema.ts';
import { seedOrder, testClock } from './helpers/outbox.ts';
import { describeEachDialect } from './helpers/test-db.ts';

describeEachDialect('processSettledOrder', (ctx) => {
  const context = { settings: DEFAULT_SETTINGS, clock: testClock(), actor: 'sync' };

  it('when a settled order is processed, then it is allocated and its documents queued in one go', async () => {
    const { db } = ctx();
    const { orderId, order } = await seedOrder(db);
    await db('orders').where({ id: orderId }).update({ state: 'waiting' });
    const row = await db('orders').where({ id: orderId }).first();
    const result = await processSettledOrder(db, { id: orderId, contentHash: row.content_hash, payload: order }, context);
    expect(result).toMatchObject({ orderId, outcome: 'queued', rule: 'NEW' });
    expect((await db('orders').where({ id: orderId }).first()).state).toBe('queued');
    expect((await db('export_jobs').where({ order_id: orderId })).map((j) => j.kind).sort()).toEqual(['customer', 'sales_order']);
    expect((await listOrderEvents(db, orderId)).map((e) => e.to)).toEqual(['allocated', 'queued']);
  });

  it("when the order's documents cannot be written, then it is held with the document's reason and nothing is queued", async () => {
    const { db } = ctx();
    const { orderId, order } = await seedOrder(db);
    const unmapped = {
      ...order,
      line_items: order.line_items.map((l) => ({ ...l, taxes: l.taxes.map((t) => ({ ...t, id: 99 })) })),
      shipping_lines: order.shipping_lines.map((l) => ({ ...l, taxes: l.taxes.map((t) => ({ ...t, id: 99 })) })),
      tax_lines: order.tax_lines.map((t) => ({ ...t, rate_id: 99, rate_percent: 17.5, label: 'Old VAT' })),
    };
    await db('orders')
      .where({ id: orderId })
      .update({ state: 'waiting', payload: JSON.stringify(unmapped) });
    const row = await db('orders').where({ id: orderId }).first();
    const result = await processSettledOrder(db, { id: orderId, contentHash: row.content_hash, payload: unmapped }, context);
    expect(result.outcome).toBe('held');
    expect(result.reason).toContain('WooCommerce tax rate id 99 ("Old VAT" 17.5%)');
    expect(await db('orders').where({ id: orderId }).first()).toMatchObject({ state: 'held', last_error: result.reason });
    expect(await db('export_jobs').where({ order_id: orderId })).toEqual([]);
  });

  it('when the order changed since it was selected, then it is left for the next run', async () => {
    const { db } = ctx();
    const { orderId, order } = await seedOrder(db);
    await db('orders').where({ id: orderId }).update({ state: 'waiting' });
    expect(await processSettledOrder(db, { id: orderId, contentHash: 'stale', payload: order }, context)).toMatchObject({
      outcome: 'changed',
    });
    expect((await db('orders').where({ id: orderId }).first()).state).toBe('waiting');
  });
});
