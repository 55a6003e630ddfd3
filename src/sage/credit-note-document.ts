import { priceOrder } from '../domain/pricing/price-order.ts';
import type { ComponentOptions } from '../domain/pricing/components.ts';
import type { DiscountMode, PricedLine, PricedTotals } from '../domain/pricing/types.ts';
import { removeXmlForbidden, splitIntoChunks } from '../domain/text.ts';
import { orderToPrice } from '../woo/domain-inputs.ts';
import { refundAsOrder, refundSubject } from '../woo/refund-as-order.ts';
import { wooLocalDateTime, type WooOrder, type WooRefund } from '../woo/schemas.ts';
import { contactRules, orderContacts, type SageContact } from './contact.ts';
import { FieldRules, SAGE_LIMITS, type DocumentHold } from './field-rules.ts';
import { sageItem, type SageItem, type SalesOrderSettings } from './sales-order-document.ts';

export interface BuildCreditNoteInput {
  refund: WooRefund;
  /** The refunded order, as WooCommerce sends it now. */
  order: WooOrder;
  /** The Sage account its sales order went to. */
  accountCode: string;
  /** The Id of the Customer document when the account was created by the connector and Sage has not confirmed it. */
  customerId?: string | null;
  settings: SalesOrderSettings;
  categoriesOf?: ComponentOptions['categoriesOf'];
}

/** A Zynk `Invoice` of type ProductCredit: one per WooCommerce refund. */
export interface CreditNoteDocument {
  /** The WooCommerce refund id: the importer de-duplicates on it. */
  id: string;
  customerId: string | null;
  accountReference: string;
  /** The refunded order's number, so Sage shows which sale is credited. */
  customerOrderNumber: string;
  notes: string[];
  currency: string;
  /** The shop's local time the refund was made, "2026-09-02T00:23:00": its day is the books day. */
  invoiceDate: string;
  invoiceAddress: SageContact;
  deliveryAddress: SageContact;
  items: SageItem[];
  carriage: SageItem | null;
  takenBy: string;
  totals: PricedTotals;
  discountMode: DiscountMode;
}

export type BuildCreditNoteResult = { ok: true; document: CreditNoteDocument; warnings: string[] } | { ok: false; hold: DocumentHold };

/**
 * Builds the credit note for a refund: its lines priced to the penny exactly as a sales order's
 * are (Sage's net, VAT and gross equal the refund's), with the order's addresses and account. A
 * refund that cannot be credited honestly (no lines, an unmapped rate, totals that do not add up)
 * is a hold naming the refund, the field and the value.
 */
export function buildCreditNote(input: BuildCreditNoteInput): BuildCreditNoteResult {
  const { refund, order, settings } = input;
  const subject = refundSubject(refund, order);
  const shaped = refundAsOrder(refund, order);
  if (!shaped.ok) return shaped;
  const priced = priceOrder(orderToPrice(shaped.order), settings, { categoriesOf: input.categoriesOf, subject });
  if (!priced.ok) return priced;

  const rules = new FieldRules(subject);
  // The shop's local time (date_created), as on sales orders; a refund without one is dated by
  // the order's last modification, which recorded it.
  const refundedAt = wooLocalDateTime(refund.date_created) ?? wooLocalDateTime(order.date_modified);
  if (!refundedAt)
    rules.fail(
      'MISSING_FIELD',
      `${subject}: date_created ${JSON.stringify(refund.date_created)} is not the shop's local date and time (YYYY-MM-DDTHH:MM:SS)`,
      'date_created',
      refund.date_created,
    );
  const item = (line: PricedLine) => sageItem(rules, line);
  const { invoice, delivery } = orderContacts(order);
  const number = order.number || String(order.id);
  const reason = removeXmlForbidden(refund.reason).trim();
  const note = splitIntoChunks(`Refund of order ${number}${reason ? `: ${reason}` : ''}`, SAGE_LIMITS.notes, 3);
  if (note.truncated) rules.warnings.push(`${subject}: the refund reason is longer than Notes1-3; the rest was left out`);

  const document: CreditNoteDocument = {
    id: rules.code('id', String(refund.id), SAGE_LIMITS.id, { required: true }),
    customerId: input.customerId ? rules.code('CustomerId', input.customerId, SAGE_LIMITS.id) : null,
    accountReference: rules.code('AccountReference', input.accountCode, SAGE_LIMITS.accountReference, { required: true }),
    customerOrderNumber: rules.code('number', number, SAGE_LIMITS.customerOrderNumber),
    notes: note.chunks,
    currency: priced.priced.currency,
    invoiceDate: refundedAt ?? '',
    invoiceAddress: contactRules(rules, 'billing', invoice),
    deliveryAddress: contactRules(rules, 'shipping', delivery),
    items: priced.priced.items.map(item),
    carriage: priced.priced.carriage ? item(priced.priced.carriage) : null,
    takenBy: 'WooCommerce',
    totals: priced.priced.totals,
    discountMode: priced.priced.discountMode,
  };
  if (rules.hold) return { ok: false, hold: rules.hold };
  return {
    ok: true,
    document,
    warnings: [...shaped.warnings, ...priced.warnings.map((w) => `${subject}: ${w}`), ...rules.warnings],
  };
}
