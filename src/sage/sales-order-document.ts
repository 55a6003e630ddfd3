import { priceOrder, type PricingSettings } from '../domain/pricing/price-order.ts';
import type { ComponentOptions } from '../domain/pricing/components.ts';
import type { DiscountMode, PricedLine, PricedTotals } from '../domain/pricing/types.ts';
import { removeXmlForbidden, splitIntoChunks } from '../domain/text.ts';
import { orderToPrice } from '../woo/domain-inputs.ts';
import { wooLocalDateTime, type WooOrder } from '../woo/schemas.ts';
import { contactRules, orderContacts, type SageContact } from './contact.ts';
import { FieldRules, SAGE_LIMITS, type DocumentHold } from './field-rules.ts';
import { ownValue } from '../domain/own-key.ts';

export interface PaymentSettings {
  record: boolean;
  type: 'SalesReceipt' | 'PaymentAlreadyReceived';
  bankAccount: string;
  byMethod: Record<string, string>;
}

/** The settings a sales order is built from (a subset of the settings document). */
export interface SalesOrderSettings extends PricingSettings {
  payments: PaymentSettings;
}

export interface BuildSalesOrderInput {
  order: WooOrder;
  /** The Sage account the order was allocated to. */
  accountCode: string;
  /** The Id of the Customer document when the account is new or not yet confirmed by Sage. */
  customerId?: string | null;
  settings: SalesOrderSettings;
  categoriesOf?: ComponentOptions['categoriesOf'];
}

/** One `Item` (or the `Carriage`) after the field rules: money in minor units. */
export interface SageItem {
  kind: PricedLine['kind'];
  sku: string;
  name: string;
  quantity: number;
  unitPrice: number;
  /** UnitDiscountAmount in minor units; 0 = none. */
  discount: number;
  taxCode: number;
  nominalCode: string;
  net: number;
  tax: number;
}

export interface SagePayment {
  ref: string;
  amount: number;
  bankAccount: string;
  type: PaymentSettings['type'];
}

/** Everything a Zynk SalesOrder element carries, ready to render. */
export interface SalesOrderDocument {
  /** The WooCommerce order id: the importer de-duplicates on it. */
  id: string;
  customerId: string | null;
  accountReference: string;
  customerOrderNumber: string;
  notes: string[];
  currency: string;
  /** The shop's local time the order was placed, "2026-09-02T00:23:00": its day is the books day. */
  salesOrderDate: string;
  invoiceAddress: SageContact;
  deliveryAddress: SageContact;
  items: SageItem[];
  carriage: SageItem | null;
  takenBy: string;
  payment: SagePayment | null;
  totals: PricedTotals;
  discountMode: DiscountMode;
}

/** A priced line as a Sage item, its codes and text held to Sage's field rules. */
export function sageItem(rules: FieldRules, line: PricedLine): SageItem {
  return {
    kind: line.kind,
    sku: rules.code(`${line.source}.sku`, line.sku, SAGE_LIMITS.sku, { required: true }),
    name: rules.text(`${line.source}.name`, line.name, SAGE_LIMITS.itemName),
    quantity: line.quantity,
    unitPrice: line.unitPrice,
    discount: line.discount,
    taxCode: line.taxCode,
    nominalCode: rules.code(`${line.source} nominal code`, line.nominalCode, SAGE_LIMITS.nominalCode, { required: true }),
    net: line.net,
    tax: line.tax,
  };
}

export type BuildSalesOrderResult = { ok: true; document: SalesOrderDocument; warnings: string[] } | { ok: false; hold: DocumentHold };

/**
 * Builds the SalesOrder for an allocated order: prices it to the penny, splits the addresses and
 * applies Sage's field rules. Free text that is too long is shortened with a warning; a code that
 * does not fit, an unmapped tax rate or totals that cannot be reproduced hold the order instead.
 */
export function buildSalesOrder(input: BuildSalesOrderInput): BuildSalesOrderResult {
  const { order, settings } = input;
  const subject = `order ${order.id}`;
  const priced = priceOrder(orderToPrice(order), settings, { categoriesOf: input.categoriesOf });
  if (!priced.ok) return priced;

  const rules = new FieldRules(subject);
  // date_created, not date_created_gmt: the books day is the shop's, not UTC's.
  const createdAt = wooLocalDateTime(order.date_created);
  if (!createdAt)
    rules.fail(
      'MISSING_FIELD',
      `${subject}: date_created ${JSON.stringify(order.date_created)} is not the shop's local date and time (YYYY-MM-DDTHH:MM:SS)`,
      'date_created',
      order.date_created,
    );
  const item = (line: PricedLine) => sageItem(rules, line);
  const { invoice, delivery } = orderContacts(order);
  const note = splitIntoChunks(removeXmlForbidden(order.customer_note), SAGE_LIMITS.notes, 3);
  if (note.truncated)
    rules.warnings.push(`${subject}: customer_note longer than Notes1-3 (${3 * SAGE_LIMITS.notes} characters); the rest was left out`);

  const document: SalesOrderDocument = {
    id: rules.code('id', String(order.id), SAGE_LIMITS.id, { required: true }),
    customerId: input.customerId ? rules.code('CustomerId', input.customerId, SAGE_LIMITS.id) : null,
    accountReference: rules.code('AccountReference', input.accountCode, SAGE_LIMITS.accountReference, { required: true }),
    customerOrderNumber: rules.code('number', order.number || String(order.id), SAGE_LIMITS.customerOrderNumber),
    notes: note.chunks,
    currency: priced.priced.currency,
    salesOrderDate: createdAt ?? '',
    invoiceAddress: contactRules(rules, 'billing', invoice),
    deliveryAddress: contactRules(rules, 'shipping', delivery),
    items: priced.priced.items.map(item),
    carriage: priced.priced.carriage ? item(priced.priced.carriage) : null,
    takenBy: 'WooCommerce',
    payment: payment(order, priced.priced.totals.gross, settings.payments, rules),
    totals: priced.priced.totals,
    discountMode: priced.priced.discountMode,
  };
  if (rules.hold) return { ok: false, hold: rules.hold };
  return { ok: true, document, warnings: [...priced.warnings.map((w) => `${subject}: ${w}`), ...rules.warnings] };
}

/** A paid order (WooCommerce set date_paid) carries its receipt, posted to the method's bank account. */
function payment(order: WooOrder, gross: number, settings: PaymentSettings, rules: FieldRules): SagePayment | null {
  if (!settings.record || !order.date_paid_gmt.trim() || gross <= 0) return null;
  const reference = order.transaction_id.trim() || order.payment_method_title.trim() || order.payment_method.trim();
  return {
    ref: rules.text('transaction_id', reference, SAGE_LIMITS.paymentRef),
    amount: gross,
    bankAccount: rules.code(
      `payments bank account for ${order.payment_method || 'this method'}`,
      ownValue(settings.byMethod, order.payment_method) ?? settings.bankAccount,
      SAGE_LIMITS.bankAccount,
      {
        required: true,
      },
    ),
    type: settings.type,
  };
}
