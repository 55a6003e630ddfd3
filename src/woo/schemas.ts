import { z } from 'zod';
import { isDecimalText, numberToPlainText, toMinorUnits } from '../domain/money.ts';
import { decodeEntities } from '../domain/text.ts';
import { NOT_PLAIN, parsePlainOrder } from './order-fast-path.ts';

/**
 * WooCommerce REST v3 payloads as real stores send them: unknown fields pass through, money may be
 * a string with any number of decimals or a number, optional blocks may be missing or null.
 * What cannot be used (no id, non-numeric money) is rejected with the field named.
 */

/** Money stays text so it can be parsed exactly later; numbers are accepted and turned to text. */
export const moneyText = z
  .union([z.string(), z.number()])
  .refine(isDecimalText, { message: 'is not a decimal amount', abort: true })
  // Every later stage counts in integer pennies: an amount they cannot hold exactly is refused here.
  .refine(fitsMinorUnits, { message: 'is too large an amount' })
  .transform((v) => (typeof v === 'number' ? numberToPlainText(v) : v.trim()));

function fitsMinorUnits(value: string | number): boolean {
  try {
    toMinorUnits(value);
    return true;
  } catch {
    return false;
  }
}

const optionalMoney = moneyText.optional().default('0');
const text = z
  .union([z.string(), z.number()])
  .nullish()
  .transform((v) => (v === null || v === undefined ? '' : String(v)));
/** Text a person typed (names, addresses, notes): WooCommerce sends it HTML-escaped; decoded here, once. */
const freeText = text.transform(decodeEntities);
const id = z.coerce.number({ message: 'must be a whole number' }).int('must be a whole number').nonnegative('must not be negative');
const positiveId = z.coerce
  .number({ message: 'must be a positive whole number' })
  .int('must be a whole number')
  .positive('must be a positive whole number');
const listOf = <T extends z.ZodType>(item: T) =>
  z
    .array(item)
    .nullish()
    .transform((v) => v ?? []);

export const metaDataSchema = z.looseObject({
  id: z.number().optional(),
  key: z.string(),
  value: z.unknown(),
});

const addressFields = z.looseObject({
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
});

export const addressSchema = addressFields.nullish().transform((v) => v ?? addressFields.parse({}));

export const taxAmountSchema = z.looseObject({
  id: id,
  total: moneyText.or(z.literal('')).transform((v) => v || '0'),
  subtotal: moneyText
    .or(z.literal(''))
    .optional()
    .transform((v) => v || '0'),
});

export const lineItemSchema = z.looseObject({
  id: id,
  name: freeText,
  product_id: id.nullish().transform((v) => v ?? 0),
  variation_id: id.nullish().transform((v) => v ?? 0),
  quantity: z.coerce.number({ message: 'must be a number' }).refine(Number.isFinite, 'must be a number'),
  tax_class: text,
  subtotal: optionalMoney,
  subtotal_tax: optionalMoney,
  total: optionalMoney,
  total_tax: optionalMoney,
  taxes: listOf(taxAmountSchema),
  meta_data: listOf(metaDataSchema),
  sku: text,
  price: z.union([z.number(), z.string()]).nullish(),
});

export const taxLineSchema = z.looseObject({
  id: id,
  rate_code: text,
  rate_id: id,
  label: text,
  compound: z
    .boolean()
    .nullish()
    .transform((v) => v ?? false),
  tax_total: optionalMoney,
  shipping_tax_total: optionalMoney,
  rate_percent: z.union([z.number(), z.string()]).nullish(),
});

export const shippingLineSchema = z.looseObject({
  id: id,
  method_title: freeText,
  method_id: text,
  total: optionalMoney,
  total_tax: optionalMoney,
  taxes: listOf(taxAmountSchema),
});

export const feeLineSchema = z.looseObject({
  id: id,
  name: freeText,
  tax_class: text,
  tax_status: text,
  total: optionalMoney,
  total_tax: optionalMoney,
  taxes: listOf(taxAmountSchema),
});

export const couponLineSchema = z.looseObject({
  id: id,
  code: freeText,
  discount: optionalMoney,
  discount_tax: optionalMoney,
});

export const refundSummarySchema = z.looseObject({
  id: positiveId,
  reason: freeText,
  total: optionalMoney,
});

export const orderSchema = z.looseObject({
  id: positiveId,
  parent_id: id.nullish(),
  number: text,
  order_key: text,
  status: z.string().min(1, 'must not be empty'),
  currency: text,
  prices_include_tax: z
    .boolean()
    .nullish()
    .transform((v) => v ?? false),
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
  total: moneyText,
  total_tax: optionalMoney,
  customer_id: id.nullish().transform((v) => v ?? 0),
  customer_note: freeText,
  billing: addressSchema,
  shipping: addressSchema,
  payment_method: text,
  payment_method_title: text,
  transaction_id: text,
  meta_data: listOf(metaDataSchema),
  line_items: listOf(lineItemSchema),
  tax_lines: listOf(taxLineSchema),
  shipping_lines: listOf(shippingLineSchema),
  fee_lines: listOf(feeLineSchema),
  coupon_lines: listOf(couponLineSchema),
  refunds: listOf(refundSummarySchema),
});

/**
 * `GET orders/{id}/refunds`: a refund's own lines, as WooCommerce stores them: negative quantities
 * and amounts (an amount-only refund has no lines at all); `amount` is the positive total refunded.
 * Stores before WooCommerce 7.x send line_items only.
 */
export const refundSchema = z.looseObject({
  id: positiveId,
  date_created: text,
  date_created_gmt: text,
  amount: moneyText,
  reason: freeText,
  refunded_by: id.nullish(),
  refunded_payment: z
    .boolean()
    .nullish()
    .transform((v) => v ?? false),
  meta_data: listOf(metaDataSchema),
  line_items: listOf(lineItemSchema),
  shipping_lines: listOf(shippingLineSchema),
  fee_lines: listOf(feeLineSchema),
  tax_lines: listOf(taxLineSchema),
});

export const customerSchema = z.looseObject({
  id: positiveId,
  email: text,
  first_name: freeText,
  last_name: freeText,
  username: text,
  date_modified_gmt: text,
  billing: addressSchema,
  shipping: addressSchema,
  meta_data: listOf(metaDataSchema),
});

export type WooOrder = z.output<typeof orderSchema>;
export type WooLineItem = z.output<typeof lineItemSchema>;
export type WooAddress = z.output<typeof addressSchema>;
export type WooCustomer = z.output<typeof customerSchema>;
export type WooRefund = z.output<typeof refundSchema>;
export type WooMetaData = z.output<typeof metaDataSchema>;

export type ParseResult<T> = { ok: true; value: T } | { ok: false; reason: string };

/** "line_items.2.quantity: must be a number (got "two")": the field and the value, for a person. */
export function describeZodError(error: z.ZodError, input: unknown): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => {
      const field = issue.path.join('.') || '(document)';
      const got = valueAt(input, issue.path);
      const shown = got === undefined ? 'missing' : `got ${JSON.stringify(got)?.slice(0, 60)}`;
      return `${field}: ${issue.message} (${shown})`;
    })
    .join('; ');
}

function valueAt(input: unknown, path: PropertyKey[]): unknown {
  let current: unknown = input;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

export function parseOrder(input: unknown): ParseResult<WooOrder> {
  const plain = parsePlainOrder(input);
  if (plain !== NOT_PLAIN) return { ok: true, value: plain as WooOrder };
  const result = orderSchema.safeParse(input);
  return result.success ? { ok: true, value: result.data } : { ok: false, reason: describeZodError(result.error, input) };
}

export function parseRefund(input: unknown): ParseResult<WooRefund> {
  const result = refundSchema.safeParse(input);
  return result.success ? { ok: true, value: result.data } : { ok: false, reason: describeZodError(result.error, input) };
}

export function parseCustomer(input: unknown): ParseResult<WooCustomer> {
  const result = customerSchema.safeParse(input);
  return result.success ? { ok: true, value: result.data } : { ok: false, reason: describeZodError(result.error, input) };
}

/** The value of a meta key, as trimmed text; `undefined` when absent or empty. */
export function metaText(meta: readonly WooMetaData[], key: string): string | undefined {
  const entry = meta.find((m) => m.key === key);
  if (!entry || entry.value === null || entry.value === undefined) return undefined;
  const value = typeof entry.value === 'string' || typeof entry.value === 'number' ? String(entry.value).trim() : '';
  return value === '' ? undefined : value;
}

/** WooCommerce's `*_gmt` dates carry no zone designator; they are UTC. → "…T10:11:12.000Z". */
export function wooGmtToIso(value: string): string | undefined {
  if (!value) return undefined;
  const withZone = /([zZ]|[+-]\d\d:?\d\d)$/.test(value) ? value : `${value}Z`;
  const at = new Date(withZone);
  return Number.isNaN(at.getTime()) ? undefined : at.toISOString();
}

const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?$/;

/**
 * WooCommerce's dates without `_gmt` (`date_created`) are the shop's wall-clock time in its own
 * timezone: their day is the books day (00:23 on 2 September in London is 23:23 UTC on the 1st).
 * → "YYYY-MM-DDTHH:MM:SS" as written, or undefined when it is not a real local date and time
 * (a zone designator means it is not WooCommerce's local form).
 */
export function wooLocalDateTime(value: string): string | undefined {
  const match = LOCAL_DATE_TIME.exec(value.trim());
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const at = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  // Date.UTC rolls 30 February over into March: a date that does not come back unchanged is not one.
  if (at.getUTCFullYear() !== year || at.getUTCMonth() !== month - 1 || at.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59)
    return undefined;
  return value.trim().slice(0, 19);
}
