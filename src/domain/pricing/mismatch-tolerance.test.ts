import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../settings/schema.ts';
import { parseOrder, type WooOrder } from '../../woo/schemas.ts';
import { priceOrder } from './price-order.ts';

// One line whose net is 10.00 and VAT 2.00: WooCommerce's own rounding may leave its total a
// penny or two from the lines (ceil(lines / 2) + 1 pennies for the net); beyond that the order is
// wrong, not rounded, and is held.
function order(totalMinor: number, taxMinor = 200): WooOrder {
  const parsed = parseOrder({
    id: 777,
    status: 'processing',
    currency: 'GBP',
    total: (totalMinor / 100).toFixed(2),
    total_tax: (taxMinor / 100).toFixed(2),
    line_items: [
      {
        id: 1,
        name: 'Mug',
        product_id: 10,
        quantity: 1,
        tax_class: '',
        subtotal: '10.00',
        subtotal_tax: '2.00',
        total: '10.00',
        total_tax: '2.00',
        taxes: [{ id: 1, total: '2.00', subtotal: '2.00' }],
        sku: 'MUG',
        price: 10,
      },
    ],
    tax_lines: [{ id: 1, rate_id: 1, label: 'VAT', rate_percent: 20, tax_total: '2.00', shipping_tax_total: '0' }],
  });
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.value;
}

describe('the totals mismatch tolerance', () => {
  it.each([
    [1200, true],
    [1202, true],
    [1198, true],
    [1203, false],
    [1197, false],
  ])('when the order total is %i pennies against lines of 1200, then it is priced: %s', (total, priced) => {
    const result = priceOrder(order(total), DEFAULT_SETTINGS);
    expect(result.ok).toBe(priced);
    if (!result.ok) expect(result.hold).toMatchObject({ code: 'TOTALS_MISMATCH', field: 'total' });
    // When priced, Sage's total is WooCommerce's to the penny, whatever the small gap was.
    if (result.ok) {
      const { items, carriage, totals } = result.priced;
      const gross = [...items, ...(carriage ? [carriage] : [])].reduce((s, l) => s + l.net + l.tax, 0);
      expect(gross).toBe(total);
      expect(totals.gross).toBe(total);
    }
  });
});
