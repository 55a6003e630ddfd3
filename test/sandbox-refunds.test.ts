import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toMinorUnits } from '../src/domain/money.ts';
import { decodeEntities } from '../src/domain/text.ts';
import { startSandbox, type Sandbox } from '../src/sandbox/sandbox.ts';
import { WooRequestError } from '../src/woo/errors.ts';
import { sandboxClient } from './helpers/woo.ts';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ seed: 62, orders: 300, startAt: '2026-02-01T10:00:00Z', secondsPerOrder: 10 });
});
afterAll(() => sandbox.close());

type Json = Record<string, any>;
const pence = (v: unknown) => toMinorUnits(String(v));

describe('refunds in the sandbox and the client', () => {
  it("when an order's refunds are fetched, then each has lines with negative quantities and amounts adding up to its positive amount, matching the order's list", async () => {
    const { client } = sandboxClient(sandbox);
    const refunded = sandbox.store
      .orderIds()
      .map((id) => sandbox.store.getOrder(id) as Json)
      .filter((o) => o.refunds.length > 0);
    expect(refunded.some((o) => o.status === 'refunded')).toBe(true);
    expect(refunded.some((o) => o.status === 'completed')).toBe(true);
    for (const order of refunded) {
      const { refunds, invalid } = await client.fetchOrderRefunds(order.id);
      expect(invalid).toEqual([]);
      expect(refunds.map((r) => r.id)).toEqual(order.refunds.map((r: Json) => r.id));
      for (const refund of refunds) {
        const summary = order.refunds.find((r: Json) => r.id === refund.id);
        expect(pence(refund.amount)).toBe(-pence(summary.total));
        const lines = [...refund.line_items, ...refund.shipping_lines, ...refund.fee_lines];
        expect(lines.length).toBeGreaterThan(0);
        expect(lines.reduce((s, l) => s - pence(l.total) - pence(l.total_tax), 0)).toBe(pence(refund.amount));
        for (const line of refund.line_items) {
          expect(line.quantity).toBeLessThan(0);
          expect(line.meta_data.find((m) => m.key === '_refunded_item_id')).toBeDefined();
        }
        if (order.status === 'refunded') expect(refund.amount).toBe(order.total);
      }
    }
  });

  it('when a refund is made while the shop runs, then it is listed first on the order, the order is modified, and a full refund marks it refunded', async () => {
    const { client } = sandboxClient(sandbox);
    const id = sandbox.store.orderIds().find((o) => {
      const order = sandbox.store.getOrder(o) as Json;
      return order.status === 'processing' && order.refunds.length === 0 && order.line_items[0].quantity >= 2;
    })!;
    const before = sandbox.store.getOrder(id) as Json;
    const line = before.line_items[0];
    const partial = sandbox.store.refundOrder(id, { lines: [{ itemId: line.id, quantity: 1 }], reason: 'Damaged' });
    const after = sandbox.store.getOrder(id) as Json;
    expect(after.refunds[0]).toEqual({ id: partial.id, reason: 'Damaged', total: `-${String(partial.amount)}` });
    expect(after.date_modified_gmt >= before.date_modified_gmt).toBe(true);
    expect(after.status).toBe('processing');
    const fetched = await client.fetchOrderRefunds(id);
    expect(fetched.refunds[0]!.line_items[0]).toMatchObject({ quantity: -1, name: decodeEntities(line.name), sku: line.sku });

    const rest = before.line_items.map((l: Json) => ({ itemId: l.id, quantity: l.id === line.id ? l.quantity - 1 : l.quantity }));
    sandbox.store.refundOrder(id, { lines: rest, shipping: true, fees: true });
    const refundedAll = sandbox.store.getOrder(id) as Json;
    expect(refundedAll.status).toBe('refunded');
    expect((await client.fetchOrderRefunds(id)).refunds).toHaveLength(2);
  });

  it('when the order does not exist, then the store answers 404 and the client says the store rejected it', async () => {
    const { client } = sandboxClient(sandbox);
    await expect(client.fetchOrderRefunds(999_999)).rejects.toBeInstanceOf(WooRequestError);
  });
});
