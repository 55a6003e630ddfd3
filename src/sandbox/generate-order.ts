import { COUPONS, FEES, PAYMENT_METHODS, PRODUCTS, REFUND_REASONS, SHIPPING_METHODS, type Product } from './catalog.ts';
import { customerFacts } from './generate-customer.ts';
import { baseModifiedSec, type GeneratorConfig, orderIdOf, REST_PREFIX } from './generator-config.ts';
import { makeIdentity, messyEmail, type Identity } from './people.ts';
import { wooEscaped, wooEscapedAddress } from './wc-text.ts';
import { hashInts, Rng } from './random.ts';
import {
  exclusiveTax,
  formatMicros,
  formatPence,
  lineAmounts,
  microsToPence,
  splitDiscount,
  toMicros,
  UK_TAX_RATES,
  type TaxRate,
} from './wc-totals.ts';
import { gmtText, londonText, londonTextToEpoch } from './wc-dates.ts';

const ORDER_STREAM = 1;

/** Line counts when `maxLines` asks for longer orders: mostly short, a tail of large baskets. */
const LONG_ORDER_LINES: ReadonlyArray<readonly [number, number]> = [
  [1, 30],
  [2, 20],
  [3, 12],
  [4, 9],
  [5, 7],
  [6, 6],
  [7, 5],
  [8, 4],
  [9, 4],
  [10, 3],
];
const GUEST_STREAM = 3;

type Json = Record<string, unknown>;

function rateFor(product: Product): TaxRate | null {
  if (!product.taxable) return null;
  return UK_TAX_RATES.find((r) => r.className === product.taxClass) ?? null;
}

interface Buyer {
  customerId: number;
  billing: Identity;
  profileCode: string | undefined;
}

/** Logged-in buyers, guests, guests who reuse a registered customer's email, repeat guests. */
function chooseBuyer(config: GeneratorConfig, rng: Rng, index: number): Buyer {
  const loggedIn = config.customers > 0 && rng.chance(0.65);
  if (loggedIn) {
    const customerId = (hashInts(config.seed, 11, index) % config.customers) + 1;
    const facts = customerFacts(config, customerId);
    const billing = { ...facts.identity };
    if (rng.chance(0.08)) billing.email = `${billing.first_name.toLowerCase()}@work-${customerId}.example.co.uk`;
    return { customerId, billing, profileCode: facts.profileCode };
  }
  const kind = rng.weighted([
    ['new', 65],
    ['registered-email', 15],
    ['repeat', 20],
  ] as const);
  if (kind === 'registered-email' && config.customers > 0) {
    const facts = customerFacts(config, (hashInts(config.seed, 12, index) % config.customers) + 1);
    return { customerId: 0, billing: { ...facts.identity }, profileCode: undefined };
  }
  const guestPool = Math.max(10, Math.floor(config.orders / 20));
  const guestId = kind === 'repeat' ? hashInts(config.seed, 13, index) % guestPool : guestPool + index;
  return { customerId: 0, billing: makeIdentity(Rng.for(config.seed, GUEST_STREAM, guestId), 0.1), profileCode: undefined };
}

/** The guest identities that repeat across orders; the Sage account generator reuses them. */
export function repeatGuestIdentity(config: GeneratorConfig, guestId: number): Identity {
  return makeIdentity(Rng.for(config.seed, GUEST_STREAM, guestId), 0.1);
}

export function repeatGuestPoolSize(config: GeneratorConfig): number {
  return Math.max(10, Math.floor(config.orders / 20));
}

/** One order in 20 is placed within 40 minutes of the shop's midnight. */
const NEAR_MIDNIGHT_STREAM = 41;

/**
 * Late-evening and after-midnight orders: in British Summer Time 00:23 in the shop is 23:23 UTC the
 * day before, so their books day (date_created) and UTC day (date_created_gmt) differ. The choice
 * is hashed apart from the order's own random stream, so every other field stays as it was.
 */
function nearMidnight(config: GeneratorConfig, index: number, modifiedSec: number, createdSec: number): number {
  const h = hashInts(config.seed, NEAR_MIDNIGHT_STREAM, index);
  if (h % 20 !== 0) return createdSec;
  const offset = (Math.floor(h / 20) % 4800) - 2400;
  let day = londonText(modifiedSec).slice(0, 10);
  for (let tries = 0; tries < 3; tries++) {
    const at = londonTextToEpoch(`${day}T00:00:00`)! + offset;
    if (at <= modifiedSec - 5) return at;
    day = new Date(Date.parse(`${day}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
  }
  return createdSec;
}

/**
 * Order `index` as `GET /wp-json/wc/v3/orders/{id}` returns it: UK VAT at 20/5/0 %, prices with or
 * without tax, coupons, shipping, fees, refunds, HTML entities in names, odd decimals in tax data,
 * all consistent the way WooCommerce computes them (see wc-totals.ts).
 */
export function generateOrder(config: GeneratorConfig, index: number): Json {
  const rng = Rng.for(config.seed, ORDER_STREAM, index);
  const id = orderIdOf(config, index);
  const modifiedSec = baseModifiedSec(config, index);
  const status = rng.weighted([
    ['processing', 40],
    ['completed', 38],
    ['on-hold', 5],
    ['pending', 5],
    ['cancelled', 5],
    ['refunded', 3],
    ['failed', 3],
    ['awaiting-shipment', 1],
  ] as const);
  const createdSec = nearMidnight(
    config,
    index,
    modifiedSec,
    modifiedSec - (status === 'completed' || status === 'refunded' ? rng.int(3600, 3 * 86_400) : rng.int(5, 900)),
  );
  const pricesIncludeTax = config.pricesIncludeTax === 'mixed' ? rng.chance(0.5) : config.pricesIncludeTax;
  const buyer = chooseBuyer(config, rng, index);
  const maxLines = config.maxLines ?? 4;
  // Up to 16 item ids per order (lines, shipping, fees, taxes, coupons); longer orders need more room.
  const itemBase = 100_000 + index * (maxLines > 4 ? 32 : 16);
  let nextItemId = itemBase;

  // Products and quantities; businesses buy more.
  const lineCount =
    maxLines > 4
      ? rng.weighted(LONG_ORDER_LINES.filter(([n]) => n <= Math.min(maxLines, PRODUCTS.length)))
      : rng.weighted([
          [1, 45],
          [2, 30],
          [3, 15],
          [4, 10],
        ] as const);
  const chosen: Product[] = [];
  while (chosen.length < lineCount) {
    const product = rng.pick(PRODUCTS);
    if (!chosen.includes(product)) chosen.push(product);
  }
  const quantities = chosen.map((p) =>
    p.sku === 'WIRE-CU-M' ? rng.int(3, 25) : buyer.billing.company && rng.chance(0.4) ? rng.int(6, 24) : rng.int(1, 3),
  );
  const unitPrices = chosen.map((p) => toMicros(p.price));
  const entered = chosen.map((_, k) => unitPrices[k]! * quantities[k]!);

  // One coupon at most: a percentage, a fixed amount spread over the lines, or free shipping.
  const coupon = rng.chance(0.15) ? rng.pick(COUPONS) : undefined;
  let discounts = entered.map(() => 0);
  if (coupon?.kind === 'percent') {
    discounts = entered.map((amount) => microsToPence((amount * Number(coupon.amount)) / 100) * 10_000);
  } else if (coupon?.kind === 'fixed_cart') {
    discounts = splitDiscount(toMicros(coupon.amount), entered);
  }

  const lineItems: Json[] = [];
  const cartTaxByRate = new Map<number, number>();
  const shippingTaxByRate = new Map<number, number>();
  const addTax = (map: Map<number, number>, rate: TaxRate | null, pence: number) => {
    if (rate) map.set(rate.id, (map.get(rate.id) ?? 0) + pence);
  };
  let itemsTotal = 0;
  let itemsSubtotal = 0;
  let itemsTax = 0;
  let itemsSubtotalTax = 0;
  chosen.forEach((product, k) => {
    const rate = rateFor(product);
    const quantity = quantities[k]!;
    const a = lineAmounts({ quantity, unitPrice: unitPrices[k]!, discount: discounts[k]!, rate, pricesIncludeTax });
    const totalPence = microsToPence(a.total);
    const taxPence = microsToPence(a.totalTax);
    itemsTotal += totalPence;
    itemsSubtotal += microsToPence(a.subtotal);
    itemsTax += taxPence;
    itemsSubtotalTax += microsToPence(a.subtotalTax);
    addTax(cartTaxByRate, rate, taxPence);
    lineItems.push({
      id: nextItemId++,
      name: product.name,
      product_id: product.id,
      variation_id: 0,
      quantity,
      tax_class: product.taxClass,
      subtotal: formatPence(microsToPence(a.subtotal)),
      subtotal_tax: formatPence(microsToPence(a.subtotalTax)),
      total: formatPence(totalPence),
      total_tax: formatPence(taxPence),
      taxes: rate ? [{ id: rate.id, total: formatMicros(a.totalTax), subtotal: formatMicros(a.subtotalTax) }] : [],
      meta_data: [],
      sku: product.sku,
      price: a.total / 1_000_000 / quantity,
      image: { id: product.id * 10, src: `https://shop.example.co.uk/wp-content/uploads/${product.sku.toLowerCase()}.jpg` },
      parent_name: null,
    });
  });

  // Shipping is entered excluding VAT and taxed at the standard rate.
  const physical = chosen.some((p) => p.category !== 'gift-cards');
  const shippingLines: Json[] = [];
  let shippingTotal = 0;
  if (physical) {
    const standard = UK_TAX_RATES[0]!;
    let method = rng.chance(0.08)
      ? SHIPPING_METHODS[3]!
      : itemsTotal >= 5000 && rng.chance(0.6)
        ? SHIPPING_METHODS[2]!
        : rng.pick(SHIPPING_METHODS.slice(0, 2));
    if (coupon?.kind === 'free_shipping') method = SHIPPING_METHODS[2]!;
    const cost = toMicros(method.cost);
    const rate = method.taxable ? standard : null;
    const tax = exclusiveTax(cost, rate);
    shippingTotal = microsToPence(cost);
    addTax(shippingTaxByRate, rate, microsToPence(tax));
    shippingLines.push({
      id: nextItemId++,
      method_title: method.title,
      method_id: method.methodId,
      instance_id: method.instanceId,
      total: formatPence(microsToPence(cost)),
      total_tax: formatPence(microsToPence(tax)),
      taxes: rate ? [{ id: rate.id, total: formatMicros(tax), subtotal: '' }] : [],
      meta_data: [
        {
          id: nextItemId * 10,
          key: 'Items',
          value: lineItems.map((l) => `${String(l.name)} &times; ${String(l.quantity)}`).join(', '),
          display_key: 'Items',
          display_value: lineItems.map((l) => `${String(l.name)} &times; ${String(l.quantity)}`).join(', '),
        },
      ],
    });
  }

  // Fees: gift wrapping, a small-order fee, a non-taxable packaging charge.
  const feeLines: Json[] = [];
  let feesTotal = 0;
  const fee = rng.chance(0.1) ? rng.pick(FEES) : itemsTotal < 1000 && rng.chance(0.3) ? FEES[1] : undefined;
  if (fee) {
    const amount = toMicros(fee.amount);
    const rate = fee.taxable ? UK_TAX_RATES[0]! : null;
    const tax = exclusiveTax(amount, rate);
    feesTotal += microsToPence(amount);
    addTax(cartTaxByRate, rate, microsToPence(tax));
    feeLines.push({
      id: nextItemId++,
      name: fee.name,
      tax_class: '',
      tax_status: fee.taxable ? 'taxable' : 'none',
      amount: fee.amount,
      total: formatPence(microsToPence(amount)),
      total_tax: formatPence(microsToPence(tax)),
      taxes: rate ? [{ id: rate.id, total: formatMicros(tax), subtotal: '' }] : [],
      meta_data: [],
    });
  }

  const cartTax = [...cartTaxByRate.values()].reduce((a, b) => a + b, 0);
  const shippingTax = [...shippingTaxByRate.values()].reduce((a, b) => a + b, 0);
  const total = itemsTotal + feesTotal + shippingTotal + cartTax + shippingTax;
  const rateIds = [...new Set([...cartTaxByRate.keys(), ...shippingTaxByRate.keys()])].sort((a, b) => a - b);
  const taxLines = rateIds.map((rateId) => {
    const rate = UK_TAX_RATES.find((r) => r.id === rateId)!;
    return {
      id: nextItemId++,
      rate_code: rate.code,
      rate_id: rate.id,
      label: rate.label,
      compound: false,
      tax_total: formatPence(cartTaxByRate.get(rateId) ?? 0),
      shipping_tax_total: formatPence(shippingTaxByRate.get(rateId) ?? 0),
      rate_percent: rate.percent,
      meta_data: [],
    };
  });
  const couponLines = coupon
    ? [
        {
          id: nextItemId++,
          code: coupon.code,
          discount: formatPence(itemsSubtotal - itemsTotal),
          discount_tax: formatPence(itemsSubtotalTax - itemsTax),
          meta_data: [],
        },
      ]
    : [];

  // Refunds: a full one on refunded orders, a partial one on some completed orders.
  const refunds: Json[] = [];
  if (status === 'refunded') {
    refunds.push({ id: 5_000_000 + index * 4, reason: rng.pick(REFUND_REASONS), total: formatPence(-total) });
  } else if (status === 'completed' && rng.chance(0.08) && lineItems.length > 0) {
    const line = lineItems[0]!;
    const amount = microsToPence(toMicros(String(line.total))) + microsToPence(toMicros(String(line.total_tax)));
    if (amount > 0) refunds.push({ id: 5_000_000 + index * 4, reason: rng.pick(REFUND_REASONS), total: formatPence(-amount) });
  }

  const payment = buyer.billing.company && rng.chance(0.3) ? PAYMENT_METHODS[2] : rng.pick(PAYMENT_METHODS.slice(0, 2));
  const paid = status === 'processing' || status === 'completed' || status === 'refunded' || status === 'awaiting-shipment';
  const paidSec = paid ? createdSec + rng.int(1, 120) : undefined;
  const completedSec = status === 'completed' || status === 'refunded' ? modifiedSec : undefined;
  const billingEmail = rng.chance(0.04) ? messyEmail(rng, buyer.billing.email) : buyer.billing.email;
  const meta: Json[] = [{ id: id * 10 + 1, key: 'is_vat_exempt', value: 'no' }];
  if (buyer.profileCode !== undefined && rng.chance(0.5))
    meta.push({ id: id * 10 + 2, key: config.profileMetaKey, value: buyer.profileCode });
  const note = rng.chance(0.06)
    ? rng.pick([
        'Please leave with the neighbour at No. 12',
        'Gift – no receipt in the parcel please',
        'Deliver to the back door & ring twice',
        'Invoice to Smith & Sons <accounts>',
      ])
    : '';
  const shipping = rng.chance(0.85) ? { ...buyer.billing } : makeIdentity(Rng.for(config.seed, 4, index), 0);
  const { email: _shippingEmail, ...shippingAddress } = shipping;

  return {
    id,
    parent_id: 0,
    status,
    currency: 'GBP',
    version: '7.9.0',
    prices_include_tax: pricesIncludeTax,
    date_created: londonText(createdSec),
    date_modified: londonText(modifiedSec),
    discount_total: formatPence(itemsSubtotal - itemsTotal),
    discount_tax: formatPence(itemsSubtotalTax - itemsTax),
    shipping_total: formatPence(shippingTotal),
    shipping_tax: formatPence(shippingTax),
    cart_tax: formatPence(cartTax),
    total: formatPence(total),
    total_tax: formatPence(cartTax + shippingTax),
    customer_id: buyer.customerId,
    order_key: `wc_order_${rng.hex(13)}`,
    billing: wooEscapedAddress({ ...buyer.billing, email: billingEmail }),
    shipping: wooEscapedAddress(shippingAddress),
    payment_method: payment.id,
    payment_method_title: payment.title,
    transaction_id: paid && payment.id === 'stripe' ? `pi_${rng.hex(24)}` : '',
    customer_ip_address: `81.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(1, 254)}`,
    customer_user_agent:
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
    created_via: 'checkout',
    customer_note: wooEscaped(note),
    date_completed: completedSec === undefined ? null : londonText(completedSec),
    date_paid: paidSec === undefined ? null : londonText(paidSec),
    cart_hash: rng.hex(32),
    number: String(id),
    meta_data: meta,
    line_items: lineItems,
    tax_lines: taxLines,
    shipping_lines: shippingLines,
    fee_lines: feeLines,
    coupon_lines: couponLines,
    refunds,
    payment_url: `https://shop.example.co.uk/checkout/order-pay/${id}/?pay_for_order=true&key=wc_order_x`,
    is_editable: status === 'pending' || status === 'on-hold',
    needs_payment: status === 'pending' || status === 'failed',
    needs_processing: true,
    date_created_gmt: gmtText(createdSec),
    date_modified_gmt: gmtText(modifiedSec),
    date_completed_gmt: completedSec === undefined ? null : gmtText(completedSec),
    date_paid_gmt: paidSec === undefined ? null : gmtText(paidSec),
    currency_symbol: '£',
    _links: {
      self: [{ href: `${config.origin}${REST_PREFIX}/orders/${id}` }],
      collection: [{ href: `${config.origin}${REST_PREFIX}/orders` }],
      ...(buyer.customerId > 0 ? { customer: [{ href: `${config.origin}${REST_PREFIX}/customers/${buyer.customerId}` }] } : {}),
    },
  };
}
