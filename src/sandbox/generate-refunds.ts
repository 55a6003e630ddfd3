import { REST_PREFIX } from './generator-config.ts';
import { gmtText, londonText } from './wc-dates.ts';
import { formatMicros, formatPence, microsToPence, roundDiv, toMicros } from './wc-totals.ts';

type Json = Record<string, unknown>;

/** What is refunded, as a shop manager picks it in wp-admin's refund panel. */
export interface RefundSpec {
  /** Quantities of the order's product lines (by line item id); the line's total and tax are refunded pro rata. */
  lines?: Array<{ itemId: number; quantity: number }>;
  /** Refund the whole shipping and / or fees too. */
  shipping?: boolean;
  fees?: boolean;
  /** An amount-only refund: no lines, just money back (WooCommerce then knows no VAT). */
  amount?: string;
  reason?: string;
}

const list = (v: unknown): Json[] => (Array.isArray(v) ? (v as Json[]) : []);
const neg = (micros: number) => -micros;

/**
 * A refund as `GET orders/{id}/refunds` returns it, made from the order the way wc_create_refund
 * does: refunded lines carry negative quantities and amounts, `_refunded_item_id` pointing at the
 * order's line, unrounded taxes (6 decimals) and per-rate tax lines; `amount` is the positive total.
 */
export function buildRefund(order: Json, spec: RefundSpec, refundId: number, createdSec: number, origin: string): Json {
  let nextItemId = refundId * 10;
  const taxByRate = new Map<number, { items: number; shipping: number }>();
  const addTax = (rateId: number, pence: number, kind: 'items' | 'shipping') => {
    const entry = taxByRate.get(rateId) ?? { items: 0, shipping: 0 };
    entry[kind] += pence;
    taxByRate.set(rateId, entry);
  };
  let amountPence = 0;

  const lineItems: Json[] = [];
  for (const pick of spec.lines ?? []) {
    const item = list(order.line_items).find((l) => l.id === pick.itemId);
    if (!item) throw new Error(`sandbox: order ${String(order.id)} has no line item ${pick.itemId}`);
    const quantity = Number(item.quantity);
    const share = (micros: number) => (pick.quantity === quantity ? micros : roundDiv(micros * pick.quantity, quantity));
    const total = share(toMicros(String(item.total)));
    const taxes = list(item.taxes).map((t) => ({ id: Number(t.id), micros: share(toMicros(String(t.total))) }));
    const totalPence = microsToPence(total);
    const taxPence = taxes.reduce((sum, t) => sum + microsToPence(t.micros), 0);
    for (const t of taxes) addTax(t.id, microsToPence(t.micros), 'items');
    amountPence += totalPence + taxPence;
    lineItems.push({
      id: nextItemId++,
      name: item.name,
      product_id: item.product_id,
      variation_id: item.variation_id ?? 0,
      quantity: -pick.quantity,
      tax_class: item.tax_class ?? '',
      subtotal: formatPence(-totalPence),
      subtotal_tax: formatPence(-taxPence),
      total: formatPence(-totalPence),
      total_tax: formatPence(-taxPence),
      taxes: taxes.map((t) => ({ id: t.id, total: formatMicros(neg(t.micros)), subtotal: formatMicros(neg(t.micros)) })),
      meta_data: [{ id: nextItemId * 10, key: '_refunded_item_id', value: String(item.id) }],
      sku: item.sku ?? '',
      price: -(total / 1_000_000 / pick.quantity),
      image: item.image ?? { id: '', src: '' },
      parent_name: null,
    });
  }

  const wholeLines = (source: unknown, kind: 'items' | 'shipping'): Json[] =>
    list(source).map((line) => {
      const totalPence = microsToPence(toMicros(String(line.total)));
      const taxes = list(line.taxes).map((t) => ({ id: Number(t.id), micros: toMicros(String(t.total)) }));
      const taxPence = taxes.reduce((sum, t) => sum + microsToPence(t.micros), 0);
      for (const t of taxes) addTax(t.id, microsToPence(t.micros), kind);
      amountPence += totalPence + taxPence;
      const { id: _id, meta_data: _meta, ...rest } = line;
      return {
        ...rest,
        id: nextItemId++,
        total: formatPence(-totalPence),
        total_tax: formatPence(-taxPence),
        taxes: taxes.map((t) => ({ id: t.id, total: formatMicros(neg(t.micros)), subtotal: '' })),
        meta_data: [{ id: nextItemId * 10, key: '_refunded_item_id', value: String(line.id) }],
      };
    });
  const shippingLines = spec.shipping ? wholeLines(order.shipping_lines, 'shipping') : [];
  const feeLines = spec.fees ? wholeLines(order.fee_lines, 'items') : [];

  const taxLines = [...taxByRate]
    .sort(([a], [b]) => a - b)
    .map(([rateId, tax]) => {
      const rate = list(order.tax_lines).find((t) => t.rate_id === rateId) ?? {};
      return {
        id: nextItemId++,
        rate_code: rate.rate_code ?? '',
        rate_id: rateId,
        label: rate.label ?? '',
        compound: false,
        tax_total: formatPence(-tax.items),
        shipping_tax_total: formatPence(-tax.shipping),
        rate_percent: rate.rate_percent ?? null,
        meta_data: [],
      };
    });

  const orderId = Number(order.id);
  return {
    id: refundId,
    date_created: londonText(createdSec),
    date_created_gmt: gmtText(createdSec),
    amount: spec.amount ?? formatPence(amountPence),
    reason: spec.reason ?? '',
    refunded_by: 1,
    refunded_payment: order.payment_method === 'stripe',
    meta_data: [],
    line_items: lineItems,
    shipping_lines: shippingLines,
    tax_lines: taxLines,
    fee_lines: feeLines,
    _links: {
      self: [{ href: `${origin}${REST_PREFIX}/orders/${orderId}/refunds/${refundId}` }],
      collection: [{ href: `${origin}${REST_PREFIX}/orders/${orderId}/refunds` }],
      up: [{ href: `${origin}${REST_PREFIX}/orders/${orderId}` }],
    },
  };
}

/**
 * The refunds behind a generated order's `refunds` summary: a full refund (every line, shipping and
 * fees) when it returns the order's total, the first line when it returns that line, otherwise
 * money only (no lines), as a refund typed into the amount box is.
 */
export function generatedRefunds(order: Json, origin: string): Json[] {
  const createdSec = Math.floor(Date.parse(`${String(order.date_modified_gmt)}Z`) / 1000);
  return list(order.refunds).map((summary) => {
    const id = Number(summary.id);
    const amount = formatPence(Math.abs(microsToPence(toMicros(String(summary.total)))));
    const reason = String(summary.reason ?? '');
    const orderTotal = formatPence(microsToPence(toMicros(String(order.total))));
    if (amount === orderTotal) {
      const lines = list(order.line_items).map((l) => ({ itemId: Number(l.id), quantity: Number(l.quantity) }));
      return buildRefund(order, { lines, shipping: true, fees: true, reason }, id, createdSec, origin);
    }
    const first = list(order.line_items)[0];
    if (first) {
      const whole = buildRefund(
        order,
        { lines: [{ itemId: Number(first.id), quantity: Number(first.quantity) }], reason },
        id,
        createdSec,
        origin,
      );
      if (whole.amount === amount) return whole;
    }
    return buildRefund(order, { amount, reason }, id, createdSec, origin);
  });
}
