import { isDecimalText, numberToPlainText } from '../domain/money.ts';
import { decodeEntities } from '../domain/text.ts';

/**
 * The order schema of schemas.ts, hand-compiled for the payloads real stores send: every value of
 * the plain type the schema expects (numbers as numbers, text as text). Parsing a WooCommerce order
 * with zod costs a few hundred microseconds and every order is parsed twice per sync (poll, then
 * process), so this path gives zod's exact output for those payloads in a fraction of the time.
 * Anything else — a number sent as text, a missing field, a wrong type — returns NOT_PLAIN and is
 * left to zod, which coerces it or names the problem. The property test in
 * order-fast-path.test.ts holds the two to the same output.
 */
export const NOT_PLAIN: unique symbol = Symbol('not a plain payload');
const OMIT: unique symbol = Symbol('omit');

type Out = unknown;
type Field = (value: unknown, present: boolean) => Out | typeof NOT_PLAIN | typeof OMIT;

const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

const text: Field = (v) => (v === null || v === undefined ? '' : typeof v === 'string' ? v : isFiniteNumber(v) ? String(v) : NOT_PLAIN);
const freeText: Field = (v, present) => {
  const value = text(v, present);
  return typeof value === 'string' ? decodeEntities(value) : value;
};
const DECIMAL_TEXT = /^[+-]?0*(\d*)(?:\.\d*)?$/;
// Below 10^13 whole units every amount fits integer minor units (the schema refuses larger ones);
// bigger amounts are left to zod, which says so.
const money: Field = (v) => {
  if (typeof v === 'number') return Number.isFinite(v) && Math.abs(v) < 1e13 && isDecimalText(v) ? numberToPlainText(v) : NOT_PLAIN;
  if (typeof v !== 'string' || !isDecimalText(v)) return NOT_PLAIN;
  const trimmed = v.trim();
  return (DECIMAL_TEXT.exec(trimmed)?.[1]?.length ?? Infinity) <= 13 ? trimmed : NOT_PLAIN;
};
const optionalMoney: Field = (v, present) => (!present ? '0' : money(v, true));
const taxAmountTotal: Field = (v) => (v === '' ? '0' : money(v, true));
const taxAmountSubtotal: Field = (v, present) => (!present || v === '' ? '0' : money(v, true));
const id: Field = (v) => (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : NOT_PLAIN);
const positiveId: Field = (v) => (typeof v === 'number' && Number.isSafeInteger(v) && v > 0 ? v : NOT_PLAIN);
const idOrZero: Field = (v) => (v === null || v === undefined ? 0 : id(v, true));
const optionalId: Field = (v, present) => (!present ? OMIT : v === null ? null : id(v, true));
const flag: Field = (v) => (v === null || v === undefined ? false : typeof v === 'boolean' ? v : NOT_PLAIN);
const numberOrText: Field = (v, present) =>
  !present ? OMIT : v === null ? null : isFiniteNumber(v) || typeof v === 'string' ? v : NOT_PLAIN;
const quantity: Field = (v) => (isFiniteNumber(v) ? v : NOT_PLAIN);
const status: Field = (v) => (typeof v === 'string' && v.length >= 1 ? v : NOT_PLAIN);
const optionalFiniteNumber: Field = (v, present) => (!present ? OMIT : isFiniteNumber(v) ? v : NOT_PLAIN);
const requiredString: Field = (v) => (typeof v === 'string' ? v : NOT_PLAIN);
const anything: Field = (v, present) => (present ? v : NOT_PLAIN);

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A loose object: the shape's keys first, in the shape's order, then the other keys as they came. */
function loose(shape: Record<string, Field>): Field {
  const entries = Object.entries(shape);
  return (v) => {
    if (!isRecord(v) || Object.getPrototypeOf(v) !== Object.prototype) return NOT_PLAIN;
    const out: Record<string, unknown> = {};
    for (const [key, field] of entries) {
      const present = Object.hasOwn(v, key);
      const value = v[key];
      if (present && value === undefined) return NOT_PLAIN;
      const result = field(value, present);
      if (result === NOT_PLAIN) return NOT_PLAIN;
      if (result !== OMIT) out[key] = result;
    }
    for (const key of Object.keys(v)) {
      if (Object.hasOwn(shape, key)) continue;
      if (key === '__proto__') return NOT_PLAIN;
      out[key] = v[key];
    }
    return out;
  };
}

function listOf(item: Field): Field {
  return (v) => {
    if (v === null || v === undefined) return [];
    if (!Array.isArray(v)) return NOT_PLAIN;
    const out: unknown[] = new Array(v.length);
    for (let i = 0; i < v.length; i++) {
      if (!(i in v)) return NOT_PLAIN;
      const result = item(v[i], true);
      if (result === NOT_PLAIN || result === OMIT) return NOT_PLAIN;
      out[i] = result;
    }
    return out;
  };
}

const meta = loose({ id: optionalFiniteNumber, key: requiredString, value: anything });
const ADDRESS_FIELDS: Record<string, Field> = {
  first_name: freeText,
  last_name: freeText,
  company: freeText,
  address_1: freeText,
  address_2: freeText,
  city: freeText,
  state: freeText,
  postcode: text,
  country: text,
  email: text,
  phone: text,
};
const addressFields = loose(ADDRESS_FIELDS);
const address: Field = (v) =>
  v === null || v === undefined ? Object.fromEntries(Object.keys(ADDRESS_FIELDS).map((k) => [k, ''])) : addressFields(v, true);
const taxAmount = loose({ id, total: taxAmountTotal, subtotal: taxAmountSubtotal });

const order = loose({
  id: positiveId,
  parent_id: optionalId,
  number: text,
  order_key: text,
  status,
  currency: text,
  prices_include_tax: flag,
  date_created: text,
  date_created_gmt: text,
  date_modified: text,
  date_modified_gmt: text,
  date_paid_gmt: text,
  date_completed_gmt: text,
  discount_total: optionalMoney,
  discount_tax: optionalMoney,
  shipping_total: optionalMoney,
  shipping_tax: optionalMoney,
  cart_tax: optionalMoney,
  total: money,
  total_tax: optionalMoney,
  customer_id: idOrZero,
  customer_note: freeText,
  billing: address,
  shipping: address,
  payment_method: text,
  payment_method_title: text,
  transaction_id: text,
  meta_data: listOf(meta),
  line_items: listOf(
    loose({
      id,
      name: freeText,
      product_id: idOrZero,
      variation_id: idOrZero,
      quantity,
      tax_class: text,
      subtotal: optionalMoney,
      subtotal_tax: optionalMoney,
      total: optionalMoney,
      total_tax: optionalMoney,
      taxes: listOf(taxAmount),
      meta_data: listOf(meta),
      sku: text,
      price: numberOrText,
    }),
  ),
  tax_lines: listOf(
    loose({
      id,
      rate_code: text,
      rate_id: id,
      label: text,
      compound: flag,
      tax_total: optionalMoney,
      shipping_tax_total: optionalMoney,
      rate_percent: numberOrText,
    }),
  ),
  shipping_lines: listOf(
    loose({
      id,
      method_title: freeText,
      method_id: text,
      total: optionalMoney,
      total_tax: optionalMoney,
      taxes: listOf(taxAmount),
    }),
  ),
  fee_lines: listOf(
    loose({
      id,
      name: freeText,
      tax_class: text,
      tax_status: text,
      total: optionalMoney,
      total_tax: optionalMoney,
      taxes: listOf(taxAmount),
    }),
  ),
  coupon_lines: listOf(loose({ id, code: freeText, discount: optionalMoney, discount_tax: optionalMoney })),
  refunds: listOf(loose({ id: positiveId, reason: freeText, total: optionalMoney })),
});

/** The parsed order when the payload is plain, else NOT_PLAIN (then zod decides). */
export function parsePlainOrder(input: unknown): unknown {
  const result = order(input, true);
  return result === OMIT ? NOT_PLAIN : result;
}
