import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildOrder } from '../../test/helpers/woo-cart.ts';
import { wooOrderFacts } from '../woo/domain-inputs.ts';
import { buildRefund } from '../sandbox/generate-refunds.ts';
import { DEFAULT_SETTINGS } from '../settings/schema.ts';
import { parseOrder, parseRefund } from '../woo/schemas.ts';
import { wrapCompany } from './company-xml.ts';
import { buildCreditNote, renderCreditNote } from './credit-note-xml.ts';
import { renderCustomer } from './customer-xml.ts';
import { buildSalesOrder, renderSalesOrder } from './sales-order-xml.ts';
import { childElement, childElements, parseXmlTree, type XmlElement } from './xml-tree.ts';

/**
 * Zynk publishes no XSD; its sample files are the nearest thing to a schema. The documents
 * woo-sage writes must put the elements the samples show in the samples' order, and write nothing
 * the samples lack except what is listed here with why.
 */
const SAMPLES = path.join(import.meta.dirname, '../../test/fixtures/zynk');
const sample = (name: string) => parseXmlTree(readFileSync(path.join(SAMPLES, name), 'utf8'));
const ALL_SAMPLES = [
  'Credit note with Sales Payment.xml',
  'Customer with Invoice and Payment.xml',
  'Customer with Sales Order and Card Payment [DOWNLOAD].xml',
  'Invoice with NetValueDiscount Applied.xml',
  'Sales Order with Minimal Information.xml',
];

const NOT_IN_SAMPLES: Record<string, string[]> = {
  // Documented in Zynk's Sage 50 field tables; VatInclusive fixes that UnitPrice is net.
  SalesOrder: ['Currency', 'Notes2', 'Notes3', 'VatInclusive'],
  Invoice: ['Notes2', 'Notes3'],
  Item: ['IsNegativeLine'],
  Contact: [],
  Customer: [],
};

function records(root: XmlElement, section: string, element: string): XmlElement[] {
  return childElements(childElement(root, section), element);
}

/** Our element names, in order, must appear in the sample's order (elements either lacks are skipped). */
function expectSampleOrder(ours: XmlElement, theirs: XmlElement): void {
  const theirNames = theirs.children.map((c) => c.name);
  // Where a sample repeats an element (the credit note sample has AccountReference twice), any of
  // its positions will do: ours must be a subsequence of theirs.
  let at = 0;
  for (const name of ours.children.map((c) => c.name).filter((n) => theirNames.includes(n))) {
    const next = theirNames.indexOf(name, at);
    expect(next, `<${ours.name}>: <${name}> is out of Zynk's order (${theirNames.join(', ')})`).toBeGreaterThanOrEqual(0);
    at = next + 1;
  }
}

/** Every element we write appears in one of the samples, or is listed in NOT_IN_SAMPLES. */
function expectKnown(ours: XmlElement, samples: XmlElement[], kind: keyof typeof NOT_IN_SAMPLES): void {
  const known = new Set([...samples.flatMap((s) => s.children.map((c) => c.name)), ...NOT_IN_SAMPLES[kind]!]);
  expect(
    ours.children.map((c) => c.name).filter((n) => !known.has(n)),
    `<${ours.name}> writes elements no Zynk sample has`,
  ).toEqual([]);
}

function ourDocuments() {
  const base = buildOrder({
    id: 5001,
    lines: [{ price: '100.00', quantity: 1, rate: 20, sku: 'HV20', name: 'Canon HV20' }],
    pricesIncludeTax: false,
    roundAtSubtotal: false,
    coupon: { type: 'percent', amount: '10' },
    shipping: { cost: '5.00', rate: 20 },
  });
  const raw = {
    ...base,
    customer_id: 0,
    customer_note: 'Leave with the neighbour',
    date_paid_gmt: '2026-03-01T10:00:00',
    transaction_id: 'pi_123',
    billing: {
      first_name: 'Support',
      last_name: 'Person',
      company: 'Internetware',
      address_1: '6-8 Charlotte Square',
      address_2: 'i6 Building',
      city: 'Newcastle Upon Tyne',
      state: 'Tyne and Wear',
      postcode: 'NE1 4XF',
      country: 'GB',
      email: 'support@internetware.co.uk',
      phone: '0845 123 2920',
    },
    shipping: {
      first_name: 'Test',
      last_name: 'Person',
      company: 'Internetware',
      address_1: 'i6 Building',
      city: 'Newcastle Upon Tyne',
      postcode: 'NE1 4XF',
      country: 'GB',
    },
  };
  const parsed = parseOrder(raw);
  if (!parsed.ok) throw new Error(parsed.reason);
  const order = parsed.value;
  const facts = wooOrderFacts(order, undefined, DEFAULT_SETTINGS);
  const salesOrder = buildSalesOrder({
    order,
    accountCode: 'INTE001',
    customerId: 'guest-support@internetware.co.uk',
    settings: DEFAULT_SETTINGS,
  });
  if (!salesOrder.ok) throw new Error(salesOrder.hold.message);
  const refund = parseRefund(
    buildRefund(
      raw,
      { lines: [{ itemId: order.line_items[0]!.id, quantity: 1 }], shipping: true, reason: 'Broken' },
      9001,
      1_770_000_000,
      'http://shop',
    ),
  );
  if (!refund.ok) throw new Error(refund.reason);
  const credit = buildCreditNote({
    refund: refund.value,
    order,
    accountCode: 'INTE001',
    customerId: 'guest-x',
    settings: DEFAULT_SETTINGS,
  });
  if (!credit.ok) throw new Error(credit.hold.message);
  return parseXmlTree(
    wrapCompany({
      customers: [renderCustomer({ code: 'INTE001', ownerKey: facts.ownerKey!, details: facts.newAccount }, { currency: 'GBP' })],
      salesOrders: [renderSalesOrder(salesOrder.document)],
      invoices: [renderCreditNote(credit.document)],
    }),
  );
}

describe("woo-sage's documents against Zynk's sample files", () => {
  const ours = ourDocuments();
  const customer = records(ours, 'Customers', 'Customer')[0]!;
  const salesOrder = records(ours, 'SalesOrders', 'SalesOrder')[0]!;
  const creditNote = records(ours, 'Invoices', 'Invoice')[0]!;

  it('when every Zynk sample is parsed, then each is a well-formed Company document', () => {
    for (const name of ALL_SAMPLES) expect(sample(name).name).toBe('Company');
  });

  it("when a new customer is written, then its elements follow Zynk's Customer samples, TermsAgreed included", () => {
    const samples = [
      'Credit note with Sales Payment.xml',
      'Customer with Invoice and Payment.xml',
      'Customer with Sales Order and Card Payment [DOWNLOAD].xml',
    ].map((name) => records(sample(name), 'Customers', 'Customer')[0]!);
    for (const theirs of samples) {
      expectSampleOrder(customer, theirs);
      expectSampleOrder(childElement(customer, 'CustomerInvoiceAddress')!, childElement(theirs, 'CustomerInvoiceAddress')!);
    }
    expectKnown(customer, samples, 'Customer');
    expectKnown(
      childElement(customer, 'CustomerInvoiceAddress')!,
      samples.map((c) => childElement(c, 'CustomerInvoiceAddress')!),
      'Contact',
    );
    expect(customer.children.map((c) => c.name)).toContain('TermsAgreed');
  });

  it("when a sales order is written, then its elements, items, carriage and addresses follow Zynk's SalesOrder samples", () => {
    const samples = ['Customer with Sales Order and Card Payment [DOWNLOAD].xml', 'Sales Order with Minimal Information.xml'].map(
      (name) => records(sample(name), 'SalesOrders', 'SalesOrder')[0]!,
    );
    for (const theirs of samples) {
      expectSampleOrder(salesOrder, theirs);
      expectSampleOrder(childElement(salesOrder, 'SalesOrderAddress')!, childElement(theirs, 'SalesOrderAddress')!);
    }
    expectKnown(salesOrder, samples, 'SalesOrder');
    const full = records(sample('Customer with Sales Order and Card Payment [DOWNLOAD].xml'), 'SalesOrders', 'SalesOrder')[0]!;
    // Zynk's invoice items show every item field (UnitDiscountAmount, NominalCode) in order.
    const invoiceItem = childElements(
      childElement(records(sample('Customer with Invoice and Payment.xml'), 'Invoices', 'Invoice')[0]!, 'InvoiceItems'),
      'Item',
    )[0]!;
    for (const item of childElements(childElement(salesOrder, 'SalesOrderItems'), 'Item')) {
      expectSampleOrder(item, invoiceItem);
      expectKnown(item, [invoiceItem], 'Item');
    }
    expectSampleOrder(childElement(salesOrder, 'Carriage')!, childElement(full, 'Carriage')!);
    expectKnown(childElement(salesOrder, 'Carriage')!, [childElement(full, 'Carriage')!, invoiceItem], 'Item');
  });

  it("when a credit note is written, then its elements follow Zynk's Invoice samples (AccountReference after Currency)", () => {
    const samples = [
      'Credit note with Sales Payment.xml',
      'Customer with Invoice and Payment.xml',
      'Invoice with NetValueDiscount Applied.xml',
    ].map((name) => records(sample(name), 'Invoices', 'Invoice')[0]!);
    for (const theirs of samples) {
      expectSampleOrder(creditNote, theirs);
      expectSampleOrder(childElement(creditNote, 'InvoiceAddress')!, childElement(theirs, 'InvoiceAddress')!);
      const theirItem = childElements(childElement(theirs, 'InvoiceItems'), 'Item')[0]!;
      for (const item of childElements(childElement(creditNote, 'InvoiceItems'), 'Item')) {
        expectSampleOrder(item, theirItem);
        expectKnown(item, [theirItem], 'Item');
      }
    }
    expectKnown(creditNote, samples, 'Invoice');
    const names = creditNote.children.map((c) => c.name);
    expect(names.indexOf('AccountReference')).toBeGreaterThan(names.indexOf('Currency'));
  });
});
