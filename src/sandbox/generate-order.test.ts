import { describe, expect, it } from 'vitest';
import { toMinorUnits } from '../domain/money.ts';
import { PRODUCTS } from './catalog.ts';
import { generateOrder } from './generate-order.ts';
import type { GeneratorConfig } from './generator-config.ts';

const config: GeneratorConfig = {
  seed: 7,
  orders: 3000,
  customers: 800,
  startSec: Date.parse('2026-03-01T00:00:00Z') / 1000,
  secondsPerOrder: 60,
  firstOrderId: 1001,
  pricesIncludeTax: 'mixed',
  origin: 'http://127.0.0.1:1',
  profileMetaKey: 'sage_account_code',
};

type Line = Record<string, any>;
const pence = (v: unknown) => toMinorUnits(String(v));
const sum = (lines: Line[], field: string) => lines.reduce((a, l) => a + pence(l[field]), 0);
const orders = Array.from({ length: config.orders }, (_, i) => generateOrder(config, i) as Record<string, any>);

describe('sandbox orders', () => {
  it('when the same seed and index are generated twice, then the order is identical; another seed gives another shop', () => {
    expect(generateOrder(config, 17)).toEqual(generateOrder(config, 17));
    expect(generateOrder({ ...config, seed: 8 }, 17)).not.toEqual(generateOrder(config, 17));
  });

  it('when any order is added up the way WooCommerce does, then its totals match to the penny', () => {
    for (const o of orders) {
      const cartTax = sum(o.line_items, 'total_tax') + sum(o.fee_lines, 'total_tax');
      const shippingTax = sum(o.shipping_lines, 'total_tax');
      expect(pence(o.cart_tax), `order ${o.id} cart_tax`).toBe(cartTax);
      expect(pence(o.shipping_tax), `order ${o.id} shipping_tax`).toBe(shippingTax);
      expect(pence(o.shipping_total)).toBe(sum(o.shipping_lines, 'total'));
      expect(sum(o.tax_lines, 'tax_total')).toBe(cartTax);
      expect(sum(o.tax_lines, 'shipping_tax_total')).toBe(shippingTax);
      expect(pence(o.total_tax)).toBe(cartTax + shippingTax);
      expect(pence(o.discount_total)).toBe(sum(o.line_items, 'subtotal') - sum(o.line_items, 'total'));
      const total = sum(o.line_items, 'total') + sum(o.fee_lines, 'total') + sum(o.shipping_lines, 'total') + cartTax + shippingTax;
      expect(pence(o.total), `order ${o.id} total`).toBe(total);
      for (const line of [...o.line_items, ...o.shipping_lines, ...o.fee_lines]) {
        // The unrounded tax WooCommerce keeps rounds to the line's tax.
        expect(line.taxes.reduce((a: number, t: Line) => a + pence(t.total), 0)).toBe(pence(line.total_tax));
      }
    }
  });

  it('when a price is entered with VAT, then the line splits it the WooCommerce way (10.00 at 20% → 8.33 + 1.67, tax kept as 1.666667)', () => {
    const inclusive = orders.filter((o) => o.prices_include_tax && o.coupon_lines.length === 0);
    const tea = inclusive.flatMap((o) => o.line_items).find((l: Line) => l.sku === 'POT-6C' && l.quantity === 1);
    expect(tea).toMatchObject({
      subtotal: '20.83',
      total: '20.83',
      total_tax: '4.17',
      taxes: [{ id: 1, total: '4.165', subtotal: '4.165' }],
    });
    for (const o of inclusive) {
      for (const l of o.line_items) {
        // What the buyer saw: the entered price × quantity, which excluding-tax total + tax equal within the rounding of each.
        const entered = Math.round(Number(PRODUCTS.find((p) => p.sku === l.sku)!.price) * 100 * l.quantity);
        expect(Math.abs(pence(l.total) + pence(l.total_tax) - entered)).toBeLessThanOrEqual(1);
      }
    }
  });

  it('when many orders are generated, then the shop has what real UK shops have', () => {
    const lines = orders.flatMap((o) => o.line_items as Line[]);
    const rates = new Set(orders.flatMap((o) => o.tax_lines.map((t: Line) => t.rate_percent)));
    expect([...rates].sort()).toEqual([0, 20, 5]);
    expect(orders.some((o) => o.prices_include_tax) && orders.some((o) => !o.prices_include_tax)).toBe(true);
    expect(orders.some((o) => o.coupon_lines.length > 0)).toBe(true);
    expect(orders.some((o) => o.fee_lines.some((f: Line) => f.tax_status === 'none'))).toBe(true);
    expect(orders.some((o) => o.refunds.length > 0 && o.status === 'completed')).toBe(true);
    expect(orders.some((o) => o.status === 'refunded' && pence(o.refunds[0].total) === -pence(o.total))).toBe(true);
    expect(orders.some((o) => o.customer_id === 0) && orders.some((o) => o.customer_id > 0)).toBe(true);
    expect(lines.some((l) => String(l.name).includes('&ndash;'))).toBe(true);
    expect(lines.some((l) => l.taxes.some((t: Line) => /\.\d{3,}$/.test(t.total)))).toBe(true);
    expect(lines.some((l) => l.taxes.length === 0)).toBe(true);
    expect(lines.every((l) => typeof l.price === 'number')).toBe(true);
    expect(orders.some((o) => o.billing.email !== o.billing.email.trim())).toBe(true);
    expect(orders.some((o) => o.meta_data.some((m: Line) => m.key === 'sage_account_code'))).toBe(true);
    expect(orders.some((o) => o.status === 'awaiting-shipment')).toBe(true);
  });

  it('when an order is generated, then its dates are WooCommerce style: no zone, GMT and London time, modified after created', () => {
    const summer = generateOrder({ ...config, startSec: Date.parse('2026-07-01T12:00:00Z') / 1000 }, 0) as Record<string, any>;
    expect(summer.date_modified_gmt).toBe('2026-07-01T12:00:00');
    expect(summer.date_modified).toBe('2026-07-01T13:00:00');
    for (const o of orders.slice(0, 200)) {
      expect(o.date_modified_gmt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
      expect(o.date_created_gmt <= o.date_modified_gmt).toBe(true);
    }
  });

  it("when orders are generated in summer, then some are placed around the shop's midnight, so their local day is after their UTC day", () => {
    const summer = { ...config, orders: 400, startSec: Date.parse('2026-09-01T06:00:00Z') / 1000 };
    const generated = Array.from({ length: summer.orders }, (_, i) => generateOrder(summer, i) as Record<string, any>);
    const nearMidnight = generated.filter((o) => /T(23:[2-5]\d|00:[0-3]\d):/.test(o.date_created));
    expect(nearMidnight.length).toBeGreaterThanOrEqual(10);
    const dayApart = generated.filter((o) => o.date_created.slice(0, 10) !== o.date_created_gmt.slice(0, 10));
    expect(dayApart.length).toBeGreaterThanOrEqual(3);
    for (const o of dayApart) expect(o.date_created.slice(11, 13)).toBe('00');
    for (const o of generated) expect(o.date_created_gmt <= o.date_modified_gmt).toBe(true);
  });
});
