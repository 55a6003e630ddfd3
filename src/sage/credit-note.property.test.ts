import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildOrder, cartArbitrary } from '../../test/helpers/woo-cart.ts';
import { sageTotals } from '../domain/pricing/sage-arithmetic.ts';
import { parseTaxRate } from '../domain/pricing/tax-rate.ts';
import { parseDecimal } from '../domain/money.ts';
import { buildRefund } from '../sandbox/generate-refunds.ts';
import { DEFAULT_SETTINGS } from '../settings/schema.ts';
import { parseRefund } from '../woo/schemas.ts';
import { buildCreditNote } from './credit-note-document.ts';

// PROPERTY_RUNS=20000 for a long soak; the default keeps the suite fast.
const RUNS = Number(process.env.PROPERTY_RUNS ?? 200);

const minor = (text: string) => {
  const d = parseDecimal(text);
  return Number(d.scale <= 2 ? d.units * 10n ** BigInt(2 - d.scale) : d.units / 10n ** BigInt(d.scale - 2));
};

/** A cart, and what a shop manager refunds of it: some quantity of some lines, maybe shipping and fees. */
const refundCase = cartArbitrary.chain((cart) =>
  fc.record({
    cart: fc.constant(cart),
    picks: fc.array(fc.tuple(fc.nat({ max: cart.lines.length - 1 }), fc.integer({ min: 1, max: 12 })), { minLength: 0, maxLength: 4 }),
    shipping: fc.boolean(),
    fees: fc.boolean(),
  }),
);

describe('credit notes to the penny (property)', () => {
  it("when any part of any order is refunded, then Sage's gross and VAT for the credit note equal the refund's amount and VAT exactly", () => {
    let held = 0;
    let priced = 0;
    fc.assert(
      fc.property(refundCase, ({ cart, picks, shipping, fees }) => {
        const order = buildOrder({ ...cart, roundAtSubtotal: false });
        const byLine = new Map<number, number>();
        for (const [index, quantity] of picks) {
          const line = order.line_items[index]!;
          byLine.set(line.id, Math.min(line.quantity, quantity));
        }
        const lines = [...byLine].map(([itemId, quantity]) => ({ itemId, quantity }));
        if (lines.length === 0 && !(shipping && order.shipping_lines.length) && !(fees && order.fee_lines.length)) return;
        const raw = buildRefund(
          order as unknown as Record<string, unknown>,
          { lines, shipping, fees },
          88001,
          1_770_000_000,
          'http://shop',
        );
        const refund = parseRefund(raw);
        if (!refund.ok) throw new Error(refund.reason);
        if (minor(refund.value.amount) === 0) return;
        const built = buildCreditNote({ refund: refund.value, order, accountCode: 'JOE001', settings: DEFAULT_SETTINGS });
        if (!built.ok) {
          // Held, never guessed: 0.10 net at 5% (VAT exactly half a penny, as for orders), or a part
          // of a line whose VAT WooCommerce took pro rata from the line's rounded VAT, a penny away
          // from what any set of Sage lines at that net can make.
          if (built.hold.code !== 'ROUNDING_UNRESOLVABLE') throw new Error(built.hold.message);
          expect(built.hold.message).toMatch(/no choice of penny prices or rounding lines reproduces it/);
          held += 1;
          return;
        }
        priced += 1;
        const all = [...built.document.items, ...(built.document.carriage ? [built.document.carriage] : [])];
        const rates = all.map((l) => ({ ...l, taxRate: parseTaxRate(DEFAULT_SETTINGS.sageTaxRates[String(l.taxCode)]!) }));
        const sage = sageTotals(rates, built.document.discountMode);
        const refundTax = [...refund.value.line_items, ...refund.value.shipping_lines, ...refund.value.fee_lines].reduce(
          (sum, l) => sum - minor(l.total_tax),
          0,
        );
        expect(sage.ties).toBe(0);
        expect(sage.gross).toBe(minor(refund.value.amount));
        expect(sage.tax).toBe(refundTax);
        for (const line of all) {
          expect(Number.isInteger(line.quantity) && line.quantity > 0).toBe(true);
          expect(line.unitPrice).toBeGreaterThanOrEqual(0);
        }
      }),
      { numRuns: RUNS },
    );
    expect(priced).toBeGreaterThan(RUNS / 2);
    expect(held).toBeLessThan(Math.max(8, RUNS / 100));
  });
});
