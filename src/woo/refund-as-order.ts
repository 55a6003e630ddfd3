import { formatMinorUnits, isDecimalText, parseDecimal, toMinorUnits } from '../domain/money.ts';
import type { WooLineItem, WooOrder, WooRefund } from './schemas.ts';

/** Why a refund cannot become a credit note by itself; names the refund, the field and the value. */
export interface RefundHold {
  code: 'NOT_ITEMISED' | 'BAD_REFUND_LINE';
  message: string;
  field: string;
  value: string;
}

export type RefundAsOrderResult = { ok: true; order: WooOrder; warnings: string[] } | { ok: false; hold: RefundHold };

type TaxLine = WooOrder['tax_lines'][number];
type MoneyLine = { total: string; total_tax: string; taxes: WooLineItem['taxes'] };

export function refundSubject(refund: Pick<WooRefund, 'id'>, order: Pick<WooOrder, 'id'>): string {
  return `refund #${refund.id} of order ${order.id}`;
}

/** "-9.00" → "9.00"; zero stays; a positive amount on a refund line is not a refund. */
function credit(value: string): string | null {
  const text = value.trim();
  if (text.startsWith('-')) return text.slice(1);
  return parseDecimal(text).units === 0n ? text : null;
}

/**
 * A refund read as an order of positive amounts (its lines with their quantities and money turned
 * round), so that the pricing that brings sales orders to the penny brings credit notes there too.
 * The refund's `amount` is the total to credit; its VAT is what its lines carry. A refund without
 * lines (money typed into the amount box) names no VAT, so it cannot be credited honestly and is
 * held for a person.
 */
export function refundAsOrder(refund: WooRefund, order: WooOrder): RefundAsOrderResult {
  const subject = refundSubject(refund, order);
  const warnings: string[] = [];
  let bad: RefundHold | null = null;
  const flip = (field: string, value: string): string => {
    const turned = credit(value);
    if (turned === null) {
      bad ??= {
        code: 'BAD_REFUND_LINE',
        message: `${subject}: ${field} is ${value}, not a refunded (negative) amount`,
        field,
        value,
      };
      return '0';
    }
    return turned;
  };
  const flipTaxes = (field: string, taxes: WooRefund['line_items'][number]['taxes']) =>
    taxes.map((t, k) => ({
      id: t.id,
      total: flip(`${field}.taxes[${k}].total`, t.total),
      subtotal: flip(`${field}.taxes[${k}].subtotal`, t.subtotal ?? t.total),
    }));
  const isZero = (value: string) => parseDecimal(value).units === 0n;

  const lineItems: WooLineItem[] = [];
  refund.line_items.forEach((line, i) => {
    const field = `refund line_items[${i}]`;
    const taxed = line.taxes.some((t) => !isZero(t.total));
    if (line.quantity === 0 && isZero(line.total) && isZero(line.total_tax) && !taxed) return;
    let quantity = Math.abs(line.quantity);
    if (quantity === 0) {
      quantity = 1;
      warnings.push(`${subject}: ${field} "${line.name}" refunds money without a quantity; credited as 1 × its amount`);
    }
    const total = flip(`${field}.total`, line.total);
    lineItems.push({
      ...line,
      quantity,
      subtotal: total,
      subtotal_tax: flip(`${field}.total_tax`, line.total_tax),
      total,
      total_tax: flip(`${field}.total_tax`, line.total_tax),
      taxes: flipTaxes(field, line.taxes),
    });
  });
  const moneyLines = <T extends { total: string; total_tax: string; taxes: WooRefund['line_items'][number]['taxes'] }>(
    lines: readonly T[],
    name: string,
  ) =>
    lines
      .map((line, i) => ({ line, field: `refund ${name}[${i}]` }))
      .filter(({ line }) => !(isZero(line.total) && isZero(line.total_tax)))
      .map(({ line, field }) => ({
        ...line,
        total: flip(`${field}.total`, line.total),
        total_tax: flip(`${field}.total_tax`, line.total_tax),
        taxes: flipTaxes(field, line.taxes),
      }));
  const shippingLines = moneyLines(refund.shipping_lines, 'shipping_lines');
  const feeLines = moneyLines(refund.fee_lines, 'fee_lines');
  if (bad) return { ok: false, hold: bad };

  if (lineItems.length + shippingLines.length + feeLines.length === 0) {
    return {
      ok: false,
      hold: {
        code: 'NOT_ITEMISED',
        message: `${subject} (${refund.amount}${refund.reason ? `, "${refund.reason}"` : ''}) names no lines in WooCommerce, only an amount, so the VAT to credit is not known; raise the credit note in Sage by hand`,
        field: 'line_items',
        value: '[]',
      },
    };
  }

  const minor = (v: string) => (isDecimalText(v) ? toMinorUnits(v) : 0);
  const totalTax = [...lineItems, ...shippingLines, ...feeLines].reduce((sum, l) => sum + minor(String(l.total_tax)), 0);
  const taxLines = refundTaxLines(refund, order, { lineItems, shippingLines, feeLines });
  // Built from parsed values, not parsed again: the order's free text is already decoded, and a
  // second decoding would turn a typed "&amp;" into "&".
  const shaped: WooOrder = {
    ...order,
    total: refund.amount,
    total_tax: formatMinorUnits(totalTax),
    discount_total: '0',
    discount_tax: '0',
    shipping_total: formatMinorUnits(shippingLines.reduce((s, l) => s + minor(l.total), 0)),
    shipping_tax: formatMinorUnits(shippingLines.reduce((s, l) => s + minor(l.total_tax), 0)),
    date_created: refund.date_created || order.date_created,
    date_created_gmt: refund.date_created_gmt || order.date_created_gmt,
    date_paid_gmt: '',
    line_items: lineItems,
    shipping_lines: shippingLines,
    fee_lines: feeLines,
    tax_lines: taxLines,
    coupon_lines: [],
    refunds: [],
  };
  return { ok: true, order: shaped, warnings };
}

/**
 * The refund's VAT per rate: WooCommerce's own tax lines for the refund when it sent them (7.x
 * and later), otherwise the lines' taxes added up per rate. The rate's label and percentage come
 * from the refund or, failing that, from the order (the same rates).
 */
function refundTaxLines(
  refund: WooRefund,
  order: WooOrder,
  lines: { lineItems: MoneyLine[]; shippingLines: MoneyLine[]; feeLines: MoneyLine[] },
): TaxLine[] {
  const meta = (rateId: number) => refund.tax_lines.find((t) => t.rate_id === rateId) ?? order.tax_lines.find((t) => t.rate_id === rateId);
  if (refund.tax_lines.length > 0) {
    return refund.tax_lines.map((t) => ({
      ...meta(t.rate_id),
      ...t,
      rate_percent: t.rate_percent ?? meta(t.rate_id)?.rate_percent ?? null,
      tax_total: credit(t.tax_total) ?? '0',
      shipping_tax_total: credit(t.shipping_tax_total) ?? '0',
    }));
  }
  const byRate = new Map<number, { items: number; shipping: number }>();
  const add = (group: MoneyLine[], kind: 'items' | 'shipping') => {
    for (const line of group) {
      for (const tax of line.taxes) {
        const entry = byRate.get(tax.id) ?? { items: 0, shipping: 0 };
        entry[kind] += isDecimalText(tax.total) ? toMinorUnits(tax.total) : 0;
        byRate.set(tax.id, entry);
      }
    }
  };
  add(lines.lineItems, 'items');
  add(lines.feeLines, 'items');
  add(lines.shippingLines, 'shipping');
  return [...byRate].map(([rateId, tax], k) => {
    const known = meta(rateId);
    return {
      id: known?.id ?? k + 1,
      rate_code: known?.rate_code ?? '',
      rate_id: rateId,
      label: known?.label ?? '',
      compound: false,
      rate_percent: known?.rate_percent ?? null,
      tax_total: formatMinorUnits(tax.items),
      shipping_tax_total: formatMinorUnits(tax.shipping),
    };
  });
}
