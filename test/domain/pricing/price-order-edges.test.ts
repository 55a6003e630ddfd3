import { describe, expect, it } from 'vitest';
import { buildOrder } from '../../helpers/woo-cart.ts';
import { DEFAULT_SETTINGS } from '../../../src/settings/schema.ts';
import { priceOrder } from '../../../src/domain/pricing/price-order.ts';
import type { OrderToPrice, PricedLine } from '../../../src/domain/pricing/types.ts';
import { orderToPrice } from '../../../src/woo/domain-inputs.ts';
import { pricingInput, wooLine } from './woo-input.ts';

const settings = DEFAULT_SETTINGS;

function order(overrides: Record<string, unknown>): OrderToPrice {
  return pricingInput({
    id: 501,
    status: 'processing',
    currency: 'GBP',
    total: '12.00',
    total_tax: '2.00',
    line_items: [line({})],
    tax_lines: [{ id: 1, rate_id: 1, label: 'VAT', rate_percent: 20, tax_total: '2.00', shipping_tax_total: '0' }],
    ...overrides,
  });
}

const line = wooLine;

const priced = (o: OrderToPrice) => {
  const result = priceOrder(o, settings);
  if (!result.ok) throw new Error(result.hold.message);
  return result.priced;
};
const holdOf = (o: OrderToPrice) => {
  const result = priceOrder(o, settings);
  if (result.ok) throw new Error('expected a hold');
  return result.hold;
};
const taxByCode = (lines: PricedLine[]) => {
  const byCode: Record<number, number> = {};
  for (const l of lines) byCode[l.taxCode] = (byCode[l.taxCode] ?? 0) + l.tax;
  return byCode;
};

describe('priceOrder, edges', () => {
  it('when the currency is not three letters, then the order is held naming it; padding and lower case are read as the code', () => {
    for (const currency of ['XGBP', 'GBPX', 'GB', 'G1P']) {
      expect(holdOf({ ...order({}), currency })).toEqual({
        code: 'BAD_CURRENCY',
        message: `order 501: currency "${currency}" is not a 3-letter code`,
        field: 'currency',
        value: currency,
      });
    }
    expect(priced({ ...order({}), currency: ' gbp ' }).currency).toBe('GBP');
  });

  it('when the total is negative or total_tax lies outside 0 to the total, then the order is held naming the field', () => {
    expect(holdOf({ ...order({}), total: '-1.00' })).toEqual({
      code: 'BAD_AMOUNT',
      message: 'order 501: total -1.00 is negative',
      field: 'total',
      value: '-1.00',
    });
    for (const totalTax of ['12.01', '-0.01']) {
      expect(holdOf({ ...order({}), totalTax })).toEqual({
        code: 'BAD_AMOUNT',
        message: `order 501: total_tax ${totalTax} is not between 0 and the total 12.00`,
        field: 'total_tax',
        value: totalTax,
      });
    }
  });

  it('when an order is free (total and total_tax both 0), then its line is written at 0', () => {
    const free = line({
      subtotal: '0.00',
      subtotal_tax: '0.00',
      total: '0.00',
      total_tax: '0.00',
      taxes: [{ id: 1, total: '0', subtotal: '0' }],
    });
    const p = priced(order({ total: '0.00', total_tax: '0.00', line_items: [free] }));
    expect(p.items.map((l) => [l.sku, l.unitPrice, l.net, l.tax])).toEqual([['MUG-1', 0, 0, 0]]);
    expect(p.totals).toEqual({ net: 0, tax: 0, gross: 0 });
  });

  it('when an order has no lines, then it is held: there is nothing to export', () => {
    expect(holdOf(order({ total: '0', total_tax: '0', line_items: [], tax_lines: [] }))).toEqual({
      code: 'NO_LINES',
      message: 'order 501: has no product, fee or shipping lines to export',
      field: 'line_items',
      value: '[]',
    });
  });

  it('when total_tax is far from the tax on the lines, then the order is held naming both', () => {
    const o = order({
      total: '15.00',
      total_tax: '5.00',
      tax_lines: [{ id: 1, rate_id: 1, rate_percent: 20, tax_total: '5.00', shipping_tax_total: '0' }],
    });
    expect(holdOf(o)).toEqual({
      code: 'TOTALS_MISMATCH',
      message: 'order 501: total_tax 5.00 does not match the tax on its lines, 2',
      field: 'total_tax',
      value: '5.00',
    });
  });

  /**
   * 0.625 at 20% and 2.50 at 5%: each line's exact VAT is 0.125, 0.25 in all. Shared out from the
   * lines, the earlier code gets the penny (T1 0.13, T5 0.12); WooCommerce's own per-rate totals,
   * when they add up and lie near the lines' VAT, decide instead: that is what its invoice shows.
   */
  const twoRates = (taxLines: Array<[number, string, string?]>) =>
    order({
      total: '3.38',
      total_tax: '0.25',
      line_items: [
        line({
          subtotal: '0.625',
          total: '0.625',
          subtotal_tax: '0.125',
          total_tax: '0.125',
          taxes: [{ id: 1, total: '0.125', subtotal: '0.125' }],
        }),
        line({
          id: 2,
          sku: 'TEA',
          subtotal: '2.50',
          total: '2.50',
          subtotal_tax: '0.125',
          total_tax: '0.125',
          taxes: [{ id: 2, total: '0.125', subtotal: '0.125' }],
        }),
      ],
      tax_lines: taxLines.map(([rateId, items, shipping], k) => ({
        id: k + 1,
        rate_id: rateId,
        rate_percent: rateId === 2 ? 5 : 20,
        tax_total: items,
        shipping_tax_total: shipping ?? '0',
      })),
    });
  const SHARED_OUT = { 1: 13, 5: 12 };

  it('when WooCommerce’s per-rate totals add up and lie near the lines’ VAT, then each code’s VAT is WooCommerce’s, items and shipping tax together', () => {
    expect(
      taxByCode(
        priced(
          twoRates([
            [1, '0.12'],
            [2, '0.13'],
          ]),
        ).items,
      ),
    ).toEqual({ 1: 12, 5: 13 });
    expect(
      taxByCode(
        priced(
          twoRates([
            [1, '0.13'],
            [2, '0.12'],
          ]),
        ).items,
      ),
    ).toEqual({ 1: 13, 5: 12 });
    // Shipping tax counts with the rate's items tax; two entries of one rate add up.
    expect(
      taxByCode(
        priced(
          twoRates([
            [1, '0.12'],
            [2, '0.12', '0.01'],
          ]),
        ).items,
      ),
    ).toEqual({ 1: 12, 5: 13 });
    expect(
      taxByCode(
        priced(
          twoRates([
            [1, '0.12'],
            [2, '0.10'],
            [2, '0.03'],
          ]),
        ).items,
      ),
    ).toEqual({ 1: 12, 5: 13 });
    // A rate with nothing charged is passed over, even one no line uses.
    expect(
      taxByCode(
        priced(
          twoRates([
            [1, '0.12'],
            [2, '0.13'],
            [3, '0.00'],
          ]),
        ).items,
      ),
    ).toEqual({ 1: 12, 5: 13 });
  });

  it('when WooCommerce’s per-rate totals name a rate no line uses, or lie two pennies or more from the lines’ VAT, then the lines’ VAT is shared out instead', () => {
    expect(
      taxByCode(
        priced(
          twoRates([
            [1, '0.12'],
            [2, '0.12'],
            [7, '0.01'],
          ]),
        ).items,
      ),
    ).toEqual(SHARED_OUT);
    expect(
      taxByCode(
        priced(
          twoRates([
            [1, '0.15'],
            [2, '0.10'],
          ]),
        ).items,
      ),
    ).toEqual(SHARED_OUT);
    expect(
      taxByCode(
        priced(
          twoRates([
            [1, '0.10'],
            [2, '0.15'],
          ]),
        ).items,
      ),
    ).toEqual(SHARED_OUT);
    // Per-rate totals that do not add up to total_tax are not used either.
    expect(
      taxByCode(
        priced(
          twoRates([
            [1, '0.12'],
            [2, '0.14'],
          ]),
        ).items,
      ),
    ).toEqual(SHARED_OUT);
  });

  it('when WooCommerce’s per-rate total lies 1.5 pennies from the lines’ VAT, then it is used, and held when Sage cannot reach it', () => {
    expect(
      holdOf(
        twoRates([
          [1, '0.11'],
          [2, '0.14'],
        ]),
      ),
    ).toEqual({
      code: 'ROUNDING_UNRESOLVABLE',
      message:
        'order 501: lines at T1 (20%) have net 0.63: Sage would compute VAT 0.13, WooCommerce charged 0.11, and no choice of penny prices or rounding lines reproduces it',
      field: 'total_tax',
      value: '0.25',
    });
  });

  const ship = (id: number, total: string, rate: number, tax: string) => ({
    id,
    method_title: `Ship ${id}`,
    total,
    total_tax: tax,
    taxes: [{ id: rate, total: tax }],
  });

  it('when shipping lines are at two tax codes, then the larger is the carriage and the other an item; of two equal ones, the first', () => {
    const taxLines = (shipping5: string) => [
      { id: 1, rate_id: 1, rate_percent: 20, tax_total: '2.00', shipping_tax_total: '0.20' },
      { id: 2, rate_id: 2, rate_percent: 5, tax_total: '0', shipping_tax_total: shipping5 },
    ];
    const larger = priced(
      order({
        total: '15.30',
        total_tax: '2.30',
        shipping_lines: [ship(8, '1.00', 1, '0.20'), ship(9, '2.00', 2, '0.10')],
        tax_lines: taxLines('0.10'),
      }),
    );
    expect([larger.carriage!.source, larger.carriage!.net, larger.carriage!.taxCode]).toEqual(['shipping_lines[1]', 200, 5]);
    expect(larger.items.map((l) => l.source)).toEqual(['line_items[0]', 'shipping_lines[0]']);
    const equal = priced(
      order({
        total: '14.25',
        total_tax: '2.25',
        shipping_lines: [ship(8, '1.00', 1, '0.20'), ship(9, '1.00', 2, '0.05')],
        tax_lines: taxLines('0.05'),
      }),
    );
    expect([equal.carriage!.source, equal.carriage!.taxCode]).toEqual(['shipping_lines[0]', 1]);
    expect(equal.items.map((l) => l.source)).toEqual(['line_items[0]', 'shipping_lines[1]']);
  });

  it('when the total does not match lines of every kind, then the hold breaks the net down into items, fees and shipping', () => {
    const fee = { id: 4, name: 'Wrap', total: '1.00', total_tax: '0', tax_status: 'none', taxes: [] };
    expect(holdOf(order({ total: '19.00', total_tax: '2.00', fee_lines: [fee], shipping_lines: [ship(8, '1.00', 1, '0.00')] }))).toEqual({
      code: 'TOTALS_MISMATCH',
      message: 'order 501: total 19.00 less total_tax 2.00 leaves 17.00 net, but its lines add up to 12 (items 10, fees 1, shipping 1)',
      field: 'total',
      value: '19.00',
    });
  });

  it('when WooCommerce charged VAT on lines whose code is zero-rated in Sage, then the order is held as a tax-rate mismatch naming the group’s net', () => {
    const zeroRated = (over: Record<string, unknown>) =>
      line({ total_tax: '0', subtotal_tax: '0', taxes: [{ id: 3, total: '0', subtotal: '0' }], ...over });
    const o = order({
      total: '11.50',
      total_tax: '0.50',
      line_items: [
        zeroRated({ total_tax: '0.50', subtotal_tax: '0.50', taxes: [{ id: 3, total: '0.50', subtotal: '0.50' }] }),
        zeroRated({ id: 2, sku: 'TEA', subtotal: '1.00', total: '1.00' }),
      ],
      tax_lines: [{ id: 3, rate_id: 3, rate_percent: 0, tax_total: '0.50', shipping_tax_total: '0' }],
    });
    expect(holdOf(o)).toEqual({
      code: 'TAX_RATE_MISMATCH',
      message:
        'order 501: lines at T0 (0%) have net 11.00: Sage would compute VAT 0.00, WooCommerce charged 0.50, and no choice of penny prices or rounding lines reproduces it',
      field: 'total_tax',
      value: '0.50',
    });
  });

  it('when two lines’ exact nets lie between pennies, then the VAT picks which takes the upper penny, with no rounding line', () => {
    // 0.825 (VAT 0.165) and 10.005 (VAT 2.001): 10.83 net either as 0.83 + 10.00 (VAT 0.17 + 2.00)
    // or as 0.82 + 10.01 (VAT 0.16 + 2.00), whichever WooCommerce's VAT says, in either order.
    const twoHalves = (first: 'small' | 'large', total: string, totalTax: string) => {
      const small = line({
        sku: 'PEN',
        subtotal: '0.825',
        total: '0.825',
        subtotal_tax: '0.165',
        total_tax: '0.165',
        taxes: [{ id: 1, total: '0.165' }],
      });
      const large = line({
        id: 2,
        sku: 'BOX',
        subtotal: '10.005',
        total: '10.005',
        subtotal_tax: '2.001',
        total_tax: '2.001',
        taxes: [{ id: 1, total: '2.001' }],
      });
      return order({
        total,
        total_tax: totalTax,
        line_items: first === 'small' ? [small, large] : [large, small],
        tax_lines: [{ id: 1, rate_id: 1, rate_percent: 20, tax_total: totalTax, shipping_tax_total: '0' }],
      });
    };
    const lines = (o: OrderToPrice) => priced(o).items.map((l) => [l.sku, l.net, l.tax]);
    expect(lines(twoHalves('small', '13.00', '2.17'))).toEqual([
      ['PEN', 83, 17],
      ['BOX', 1000, 200],
    ]);
    expect(lines(twoHalves('small', '12.99', '2.16'))).toEqual([
      ['PEN', 82, 16],
      ['BOX', 1001, 200],
    ]);
    expect(lines(twoHalves('large', '13.00', '2.17'))).toEqual([
      ['BOX', 1000, 200],
      ['PEN', 83, 17],
    ]);
    expect(lines(twoHalves('large', '12.99', '2.16'))).toEqual([
      ['BOX', 1001, 200],
      ['PEN', 82, 16],
    ]);
  });

  it('when the lines’ VAT is shared out between codes, then the lower T-code comes first whatever the lines’ order', () => {
    const o = twoRates([
      [1, '0.10'],
      [2, '0.15'],
    ]);
    const reversed = { ...o, products: [...o.products].reverse() };
    expect(taxByCode(priced(reversed).items)).toEqual(SHARED_OUT);
  });

  it('when a coupon reduced one unit and discounts are written as net prices, then the line carries its net price and no discount', () => {
    const o = order({
      total: '10.80',
      total_tax: '1.80',
      line_items: [line({ subtotal: '10.00', total: '9.00', total_tax: '1.80', taxes: [{ id: 1, total: '1.8', subtotal: '2' }] })],
      tax_lines: [{ id: 1, rate_id: 1, rate_percent: 20, tax_total: '1.80', shipping_tax_total: '0' }],
    });
    const result = priceOrder(o, { ...settings, couponDiscountAs: 'netPrice' });
    if (!result.ok) throw new Error(result.hold.message);
    expect(result.priced.items.map((l) => [l.unitPrice, l.discount, l.net])).toEqual([[900, 0, 900]]);
  });

  it('when discounts are written per unit, then a negative fee, which has no list price, is written at its own price', () => {
    const o = order({
      total: '9.00',
      total_tax: '1.50',
      fee_lines: [
        { id: 4, name: 'Loyalty', total: '-2.50', total_tax: '-0.50', tax_status: 'taxable', taxes: [{ id: 1, total: '-0.50' }] },
      ],
      tax_lines: [{ id: 1, rate_id: 1, rate_percent: 20, tax_total: '1.50', shipping_tax_total: '0' }],
    });
    const result = priceOrder(o, { ...settings, couponDiscountAs: 'unitDiscount' });
    if (!result.ok) throw new Error(result.hold.message);
    expect(result.priced.items.map((l) => [l.kind, l.unitPrice, l.discount, l.net, l.tax])).toEqual([
      ['product', 1000, 0, 1000, 200],
      ['fee', -250, 0, -250, -50],
    ]);
  });

  it('when a rounding line is needed, then it is written whole and the warning names its count, amount and code', () => {
    // 0.99 including 20% VAT: 0.825 net, 0.17 VAT, which no single line of 0.82 or 0.83 gives.
    const o = order({
      total: '0.99',
      total_tax: '0.17',
      line_items: [
        line({ sku: 'PEN', subtotal: '0.825', total: '0.825', subtotal_tax: '0.17', total_tax: '0.17', taxes: [{ id: 1, total: '0.17' }] }),
      ],
      tax_lines: [{ id: 1, rate_id: 1, rate_percent: 20, tax_total: '0.17', shipping_tax_total: '0' }],
    });
    const result = priceOrder(o, settings);
    if (!result.ok) throw new Error(result.hold.message);
    expect(
      result.priced.items.map((l) => [
        l.kind,
        l.source,
        l.sku,
        l.name,
        l.quantity,
        l.unitPrice,
        l.discount,
        l.net,
        l.tax,
        l.taxCode,
        l.nominalCode,
      ]),
    ).toEqual([
      ['product', 'line_items[0]', 'PEN', 'Mug', 1, 79, 0, 79, 16, 1, '4000'],
      ['rounding', 'rounding', 'S1', 'Rounding adjustment', 1, 3, 0, 3, 1, 1, '4900'],
    ]);
    expect(result.priced.rounding).toBe(3);
    expect(result.warnings).toEqual(["1 rounding line(s) of 0.03 at T1 added so that Sage's per-line VAT equals WooCommerce's"]);
  });

  it('when WooCommerce’s per-rate totals add up only before a rate no line uses, then they are still not used', () => {
    expect(
      taxByCode(
        priced(
          twoRates([
            [1, '0.12'],
            [2, '0.13'],
            [7, '0.01'],
          ]),
        ).items,
      ),
    ).toEqual(SHARED_OUT);
  });

  it('when the lines’ VAT is shared out, then total_tax may lie up to one penny per code and half a penny per line from it', () => {
    // One code, one line: 2.00 of VAT on the line, 2 pennies of tolerance. The rate no line uses
    // makes WooCommerce's per-rate totals unusable, so the lines' VAT decides.
    const off = (totalTax: string, total: string) =>
      order({
        total,
        total_tax: totalTax,
        tax_lines: [
          { id: 1, rate_id: 1, rate_percent: 20, tax_total: '2.00', shipping_tax_total: '0' },
          { id: 2, rate_id: 7, rate_percent: 20, tax_total: '0.01', shipping_tax_total: '0' },
        ],
      });
    expect(holdOf(off('2.02', '12.02')).code).toBe('ROUNDING_UNRESOLVABLE');
    expect(holdOf(off('2.03', '12.03'))).toMatchObject({
      code: 'TOTALS_MISMATCH',
      message: 'order 501: total_tax 2.03 does not match the tax on its lines, 2',
    });
  });

  it('when one line’s net lies between pennies and another’s is whole, then only the first may move without a rounding line', () => {
    // 0.825 (VAT 0.165) is written 0.83; WooCommerce's 2.16 of VAT wants 0.82, so a penny goes into a
    // rounding line: the 10.00 line, a whole penny in WooCommerce, must not become 10.01 instead.
    const o = order({
      total: '12.99',
      total_tax: '2.16',
      line_items: [
        line({
          sku: 'PEN',
          subtotal: '0.825',
          total: '0.825',
          subtotal_tax: '0.165',
          total_tax: '0.165',
          taxes: [{ id: 1, total: '0.165' }],
        }),
        line({ id: 2, sku: 'BOX' }),
      ],
      tax_lines: [{ id: 1, rate_id: 1, rate_percent: 20, tax_total: '2.16', shipping_tax_total: '0' }],
    });
    expect(priced(o).items.map((l) => [l.sku, l.net, l.tax])).toEqual([
      ['PEN', 82, 16],
      ['BOX', 1000, 200],
      ['S1', 1, 0],
    ]);
  });

  it('when one code’s per-rate total lies near its lines’ VAT and the other’s does not, then neither is used', () => {
    // Exact VAT 0.12 at 20% and 0.126 at 5%; WooCommerce says 0.10 (two pennies off) and 0.15 (2.4).
    const o = order({
      total: '3.37',
      total_tax: '0.25',
      line_items: [
        line({ subtotal: '0.60', total: '0.60', subtotal_tax: '0.12', total_tax: '0.12', taxes: [{ id: 1, total: '0.12' }] }),
        line({
          id: 2,
          sku: 'TEA',
          subtotal: '2.52',
          total: '2.52',
          subtotal_tax: '0.126',
          total_tax: '0.126',
          taxes: [{ id: 2, total: '0.126' }],
        }),
      ],
      tax_lines: [
        { id: 1, rate_id: 1, rate_percent: 20, tax_total: '0.10', shipping_tax_total: '0' },
        { id: 2, rate_id: 2, rate_percent: 5, tax_total: '0.15', shipping_tax_total: '0' },
      ],
    });
    expect(taxByCode(priced(o).items)).toEqual({ 1: 12, 5: 13 });
  });

  it('when the net chosen for a discounted line is above its list price, then it is written at unit prices, never with a negative discount', () => {
    // 5 × 0.04 including 20% VAT, 5% off: 0.158333 net, a list price of 0.03; the line's net is
    // 0.16, more than 5 × 0.03, so no list price and discount can express it.
    const o = orderToPrice(
      buildOrder({
        lines: [{ price: '0.040', quantity: 5, rate: 20 }],
        pricesIncludeTax: true,
        roundAtSubtotal: false,
        coupon: { type: 'percent', amount: '5' },
      }),
    );
    const result = priceOrder(o, { ...settings, couponDiscountAs: 'lineDiscount' });
    if (!result.ok) throw new Error(result.hold.message);
    expect(result.priced.items.map((l) => [l.quantity, l.unitPrice, l.discount, l.net])).toEqual([
      [4, 3, 0, 12],
      [1, 4, 0, 4],
    ]);
  });
});
