import fc from 'fast-check';
import { parseOrder, type WooOrder } from '../../src/woo/schemas.ts';

/**
 * A model of how WooCommerce (WC_Cart_Totals, WC_Discounts) turns a cart into an order's amounts,
 * in exact arithmetic: prices entered with or without tax, tax rounded per line or at subtotal,
 * percentage and fixed-cart coupons taken off in whole cents with the remainder spread, shipping and
 * fees. It produces the REST payload (money as strings with up to 6 decimals) the connector reads.
 */

export interface CartLine {
  price: string;
  quantity: number;
  /** 0, 5 or 20 (%), or null for a product that is not taxable. */
  rate: number | null;
  sku?: string;
  name?: string;
}

export interface CartFee {
  amount: string;
  rate: number | null;
  name?: string;
}

export interface Cart {
  id?: number;
  lines: CartLine[];
  pricesIncludeTax: boolean;
  roundAtSubtotal: boolean;
  coupon?: { type: 'percent' | 'fixed_cart'; amount: string };
  shipping?: { cost: string; rate: number | null };
  fees?: CartFee[];
  currency?: string;
}

const S = 10n ** 12n; // exact scale: 1e-12 currency units
const CENT = 10n ** 10n;

function toExact(text: string): bigint {
  const [whole = '0', frac = ''] = text.split('.');
  const negative = whole.startsWith('-');
  const units = BigInt(whole.replace('-', '') || '0') * S + BigInt((frac + '0'.repeat(12)).slice(0, 12));
  return negative ? -units : units;
}

/** Rounds half away from zero to a multiple of `unit`. */
function roundTo(value: bigint, unit: bigint): bigint {
  const negative = value < 0n;
  const m = negative ? -value : value;
  const q = (m + unit / 2n) / unit;
  return (negative ? -q : q) * unit;
}

function text(value: bigint, decimals = 6): string {
  const unit = 10n ** BigInt(12 - decimals);
  const rounded = roundTo(value, unit) / unit;
  const negative = rounded < 0n;
  const digits = (negative ? -rounded : rounded).toString().padStart(decimals + 1, '0');
  const out = `${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`.replace(/\.?0+$/, '');
  return `${negative ? '-' : ''}${out || '0'}`;
}

/** rate% of amount, exact to 1e-12. */
const taxOn = (amount: bigint, rate: number) => roundTo((amount * BigInt(rate)) / 100n, 1n);
/** The tax inside an amount that includes it. */
const taxIn = (amount: bigint, rate: number) => roundTo((amount * BigInt(rate)) / BigInt(100 + rate), 1n);

const RATE_IDS: Record<number, number> = { 20: 1, 5: 2, 0: 3 };

export function buildOrder(cart: Cart): WooOrder {
  const roundLine = (tax: bigint) => (cart.roundAtSubtotal ? tax : roundTo(tax, CENT));
  // Line totals on the basis the shop enters prices in (gross when prices include tax).
  const bases = cart.lines.map((l) => toExact(l.price) * BigInt(l.quantity));
  const discounts = couponDiscounts(bases, cart);
  const taxByRate = new Map<number, { items: bigint; shipping: bigint }>();
  const addTax = (rate: number | null, amount: bigint, kind: 'items' | 'shipping') => {
    if (rate === null) return;
    const entry = taxByRate.get(rate) ?? { items: 0n, shipping: 0n };
    entry[kind] += amount;
    taxByRate.set(rate, entry);
  };

  let itemsNet = 0n;
  const lineItems = cart.lines.map((line, i) => {
    const base = bases[i]!;
    const after = base - discounts[i]!;
    const rate = line.rate;
    const subtotalTaxRaw = rate === null ? 0n : cart.pricesIncludeTax ? taxIn(base, rate) : taxOn(base, rate);
    const totalTaxRaw = rate === null ? 0n : cart.pricesIncludeTax ? taxIn(after, rate) : taxOn(after, rate);
    const subtotal = cart.pricesIncludeTax ? base - subtotalTaxRaw : base;
    const total = cart.pricesIncludeTax ? after - totalTaxRaw : after;
    const totalTax = roundLine(totalTaxRaw);
    // WC_Cart_Totals::get_rounded_items_total: item totals are rounded to the cent for the order
    // total unless tax is rounded at subtotal; the line keeps its unrounded total.
    itemsNet += cart.roundAtSubtotal ? total : roundTo(total, CENT);
    addTax(rate, totalTax, 'items');
    return {
      id: 100 + i,
      name: line.name ?? `Product ${i + 1}`,
      product_id: 500 + i,
      quantity: line.quantity,
      tax_class: rate === 5 ? 'reduced-rate' : rate === 0 ? 'zero-rate' : '',
      subtotal: text(subtotal),
      subtotal_tax: text(roundLine(subtotalTaxRaw)),
      total: text(total),
      total_tax: text(totalTax),
      taxes: rate === null ? [] : [{ id: RATE_IDS[rate]!, total: text(totalTax), subtotal: text(roundLine(subtotalTaxRaw)) }],
      sku: line.sku ?? `SKU-${i + 1}`,
      price: Number(text(after / BigInt(line.quantity))),
      meta_data: [],
    };
  });

  const feeLines = (cart.fees ?? []).map((fee, i) => {
    const amount = toExact(fee.amount);
    const tax = fee.rate === null ? 0n : roundLine(taxOn(amount, fee.rate));
    itemsNet += amount;
    addTax(fee.rate, tax, 'items');
    return {
      id: 300 + i,
      name: fee.name ?? `Fee ${i + 1}`,
      tax_class: '',
      tax_status: fee.rate === null ? 'none' : 'taxable',
      total: text(amount),
      total_tax: text(tax),
      taxes: fee.rate === null ? [] : [{ id: RATE_IDS[fee.rate]!, total: text(tax), subtotal: '' }],
    };
  });

  const shippingLines = cart.shipping
    ? [cart.shipping].map((ship, i) => {
        const cost = toExact(ship.cost);
        const tax = ship.rate === null ? 0n : roundLine(taxOn(cost, ship.rate));
        itemsNet += cost;
        addTax(ship.rate, tax, 'shipping');
        return {
          id: 400 + i,
          method_title: 'Flat rate',
          method_id: 'flat_rate',
          total: text(cost),
          total_tax: text(tax),
          taxes: ship.rate === null ? [] : [{ id: RATE_IDS[ship.rate]!, total: text(tax), subtotal: '' }],
        };
      })
    : [];

  const taxLines = [...taxByRate].map(([rate, t], i) => ({
    id: 700 + i,
    rate_code: `GB-VAT-${rate}`,
    rate_id: RATE_IDS[rate]!,
    label: `VAT ${rate}%`,
    compound: false,
    tax_total: text(roundTo(t.items, CENT), 2),
    shipping_tax_total: text(roundTo(t.shipping, CENT), 2),
    rate_percent: rate,
  }));
  const totalTax = taxLines.reduce((s, t) => s + toExact(t.tax_total) + toExact(t.shipping_tax_total), 0n);
  const total = roundTo(itemsNet + totalTax, CENT);

  const payload = {
    id: cart.id ?? 1234,
    number: String(cart.id ?? 1234),
    status: 'processing',
    currency: cart.currency ?? 'GBP',
    prices_include_tax: cart.pricesIncludeTax,
    date_created: '2026-03-01T10:15:00',
    date_created_gmt: '2026-03-01T10:15:00',
    date_paid_gmt: '2026-03-01T10:16:00',
    total: text(total, 2),
    total_tax: text(totalTax, 2),
    customer_id: 0,
    billing: {
      first_name: 'Ann',
      last_name: 'Buyer',
      email: 'ann@example.com',
      address_1: '1 High St',
      city: 'York',
      postcode: 'YO1 1AA',
      country: 'GB',
    },
    shipping: {},
    payment_method: 'stripe',
    payment_method_title: 'Card',
    transaction_id: 'pi_123',
    line_items: lineItems,
    tax_lines: taxLines,
    shipping_lines: shippingLines,
    fee_lines: feeLines,
    coupon_lines: cart.coupon ? [{ id: 900, code: 'SAVE', discount: '0', discount_tax: '0' }] : [],
  };
  const parsed = parseOrder(payload);
  if (!parsed.ok) throw new Error(`simulated order does not parse: ${parsed.reason}`);
  return parsed.value;
}

/** WC_Discounts: whole cents per item (rounded down), the cents left over spread one at a time. */
function couponDiscounts(bases: bigint[], cart: Cart): bigint[] {
  const zero = bases.map(() => 0n);
  if (!cart.coupon) return zero;
  const total = bases.reduce((a, b) => a + b, 0n);
  if (total === 0n) return zero;
  const wanted =
    cart.coupon.type === 'percent'
      ? roundTo((total * toExact(cart.coupon.amount)) / (100n * S), CENT)
      : minBig(roundTo(toExact(cart.coupon.amount), CENT), roundTo(total, CENT) - CENT);
  if (wanted <= 0n) return zero;
  const discounts = bases.map((b) => ((b * wanted) / total / CENT) * CENT);
  let left = wanted - discounts.reduce((a, b) => a + b, 0n);
  for (let i = 0; left > 0n && i < bases.length * 4; i += 1) {
    const k = i % bases.length;
    if (bases[k]! - discounts[k]! >= CENT) {
      discounts[k]! += CENT;
      left -= CENT;
    }
  }
  return discounts;
}

const minBig = (a: bigint, b: bigint) => (a < b ? a : b);

/** A money amount as WooCommerce would accept it, with 0 to `maxDecimals` decimals. */
export const priceText = (maxDecimals: number) =>
  fc.tuple(fc.integer({ min: 0, max: 50_000 }), fc.integer({ min: 0, max: maxDecimals })).map(([units, decimals]) => {
    const scaled = units * 10 ** Math.max(0, decimals - 2);
    const text = String(scaled).padStart(decimals + 1, '0');
    return decimals === 0 ? String(units) : `${text.slice(0, -decimals)}.${text.slice(-decimals)}`;
  });

const rateArbitrary = fc.constantFrom<number | null>(20, 20, 20, 5, 0, null);

/** Random carts: 1-8 lines, 0-4 decimal prices, 0/5/20 % and untaxed, coupons, shipping, fees. */
export const cartArbitrary: fc.Arbitrary<Cart> = fc.record({
  lines: fc.array(fc.record({ price: priceText(4), quantity: fc.integer({ min: 1, max: 12 }), rate: rateArbitrary }), {
    minLength: 1,
    maxLength: 8,
  }),
  pricesIncludeTax: fc.boolean(),
  roundAtSubtotal: fc.boolean(),
  coupon: fc.option(
    fc.oneof(
      fc.record({ type: fc.constant<'percent'>('percent'), amount: fc.constantFrom('5', '10', '12.5', '15', '33', '50') }),
      fc.record({ type: fc.constant<'fixed_cart'>('fixed_cart'), amount: priceText(2) }),
    ),
    { nil: undefined },
  ),
  shipping: fc.option(fc.record({ cost: priceText(2), rate: fc.constantFrom<number | null>(20, 5, 0, null) }), { nil: undefined }),
  fees: fc.option(fc.array(fc.record({ amount: priceText(2), rate: rateArbitrary }), { maxLength: 2 }), { nil: undefined }),
});
