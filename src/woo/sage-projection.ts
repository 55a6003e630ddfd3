import { isDecimalText, toMinorUnits } from '../domain/money.ts';
import { canonicalJson } from './content-hash.ts';

type Json = Record<string, unknown>;

const asObject = (v: unknown): Json => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const asList = (v: unknown): Json[] => (Array.isArray(v) ? v.map(asObject) : []);
const text = (v: unknown): string => (v === null || v === undefined ? '' : typeof v === 'object' ? canonicalJson(v) : String(v).trim());

/** Money as pennies, so "8.3300" and "8.33" are one amount; what is not an amount stays as text. */
function money(v: unknown): number | string {
  if (!isDecimalText(v)) return `?${text(v)}`;
  try {
    return toMinorUnits(v as string | number);
  } catch {
    return `?${text(v)}`;
  }
}

const ADDRESS = ['first_name', 'last_name', 'company', 'address_1', 'address_2', 'city', 'state', 'postcode', 'country', 'phone'];
const address = (v: unknown, withEmail: boolean) => {
  const a = asObject(v);
  const out: Json = Object.fromEntries(ADDRESS.map((f) => [f, text(a[f])]));
  if (withEmail) out.email = text(a.email).toLowerCase();
  return out;
};
const taxIds = (line: Json) =>
  asList(line.taxes)
    .map((t) => text(t.id))
    .sort();

/**
 * What the Sage documents of an order are made of, and nothing else: status, customer and
 * addresses, the books day, totals, lines (product, quantity, amounts, tax rates), shipping, fees,
 * coupons, refunds, payment, the note and the profile code. Amounts are compared in pennies.
 * Left out are fields a store-wide setting or a save rewrites without the sale changing: the
 * "prices include tax" flag, each line's display `price`, item meta, times of day, links, the
 * version, cart hash, IP and user agent. Two payloads with the same projection need nothing in Sage.
 */
export function sageProjection(raw: unknown, profileMetaKey: string): string {
  const o = asObject(raw);
  return canonicalJson({
    status: text(o.status),
    number: text(o.number),
    currency: text(o.currency),
    customer: text(o.customer_id),
    // The books day: the time of day is not in Sage's ledger.
    day: text(o.date_created).slice(0, 10),
    totals: ['total', 'total_tax', 'shipping_total', 'shipping_tax', 'discount_total', 'discount_tax'].map((f) => money(o[f])),
    billing: address(o.billing, true),
    shipping: address(o.shipping, false),
    note: text(o.customer_note),
    payment: [text(o.payment_method), text(o.payment_method_title), text(o.transaction_id), text(o.date_paid_gmt) !== ''],
    profileCode: asList(o.meta_data)
      .filter((m) => text(m.key) === profileMetaKey)
      .map((m) => text(m.value)),
    lines: asList(o.line_items).map((l) => [
      text(l.id),
      text(l.product_id),
      text(l.variation_id),
      text(l.sku),
      text(l.name),
      text(l.tax_class),
      text(l.quantity),
      money(l.subtotal),
      money(l.subtotal_tax),
      money(l.total),
      money(l.total_tax),
      taxIds(l),
    ]),
    shippingLines: asList(o.shipping_lines).map((l) => [
      text(l.id),
      text(l.method_id),
      text(l.method_title),
      money(l.total),
      money(l.total_tax),
      taxIds(l),
    ]),
    fees: asList(o.fee_lines).map((l) => [text(l.id), text(l.name), text(l.tax_status), money(l.total), money(l.total_tax), taxIds(l)]),
    taxRates: asList(o.tax_lines).map((t) => [text(t.rate_id), money(t.rate_percent)]),
    coupons: asList(o.coupon_lines).map((c) => [text(c.code), money(c.discount), money(c.discount_tax)]),
    refunds: asList(o.refunds).map((r) => [text(r.id), money(r.total)]),
  });
}

/** True when nothing Sage holds of the order differs between the two payloads. */
export function sameForSage(before: unknown, after: unknown, profileMetaKey: string): boolean {
  return sageProjection(before, profileMetaKey) === sageProjection(after, profileMetaKey);
}
