import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildOrder } from '../../test/helpers/woo-cart.ts';
import { wooOrderFacts } from '../woo/domain-inputs.ts';
import { singleLine } from '../domain/text.ts';
import { buildRefund } from '../sandbox/generate-refunds.ts';
import { wooEscaped, wooEscapedAddress } from '../sandbox/wc-text.ts';
import { DEFAULT_SETTINGS } from '../settings/schema.ts';
import { orderSchema, parseOrder, parseRefund } from '../woo/schemas.ts';
import { wrapCompany } from './company-xml.ts';
import { buildCreditNote } from './credit-note-document.ts';
import { renderCreditNote } from './credit-note-xml.ts';
import { renderCustomer } from './customer-xml.ts';
import { buildSalesOrder, renderSalesOrder } from './sales-order-xml.ts';
import { childElement, childElements, childText, parseXmlTree, type XmlElement } from './xml-tree.ts';

const RUNS = Number(process.env.PROPERTY_RUNS ?? 150);

/**
 * What a person types at checkout or in the shop's admin: the characters XML and HTML give
 * meaning to, text that already looks like a reference, accents and symbols. Short enough that no
 * Sage field shortens it, so what reads back must be exactly what was typed (on one line).
 */
const PIECES = [
  'a',
  'Z',
  ' ',
  '&',
  '<',
  '>',
  '"',
  "'",
  ';',
  '#',
  '&amp;',
  '&lt;b&gt;',
  '&#38;',
  '&#1;',
  '&nbsp;',
  '&ndash;',
  'é',
  '€',
  ']]>',
  'R&D',
];
const typedText = (maxParts: number) =>
  fc.array(fc.constantFrom(...PIECES), { minLength: 1, maxLength: maxParts }).map((parts) => `W${parts.join('')}`);
const typed = typedText(6);
// Sage's contact name (forename and surname) is 30 characters: names stay short enough to fit.
const name = typedText(1);

interface AddressText {
  first_name: string;
  last_name: string;
  company: string;
  address_1: string;
  address_2: string;
  city: string;
  state: string;
}
const address: fc.Arbitrary<AddressText> = fc.record({
  first_name: name,
  last_name: name,
  company: typed,
  address_1: typed,
  address_2: typed,
  city: typed,
  state: typed,
});
// The refund's reason follows "Refund of order N: " in Notes1, which is 60 characters.
const input = fc.record({
  billing: address,
  shipping: address,
  note: typed,
  item: typed,
  fee: typed,
  method: typed,
  coupon: typed,
  reason: typedText(3),
});
type Typed = typeof input extends fc.Arbitrary<infer T> ? T : never;

/** A sandbox-shaped order carrying the typed text the way WooCommerce sends it: escaped once. */
function rawOrder(text: Typed): Record<string, unknown> {
  const base = buildOrder({
    lines: [{ price: '10.00', quantity: 2, rate: 20, sku: 'MUG-1' }],
    pricesIncludeTax: false,
    roundAtSubtotal: false,
    coupon: { type: 'percent', amount: '10' },
    shipping: { cost: '4.00', rate: 20 },
    fees: [{ amount: '1.50', rate: 20 }],
  });
  const contact = (a: AddressText) => ({ ...a, postcode: 'YO1 1AA', country: 'GB', email: 'ann@example.com', phone: '01904 000000' });
  return {
    ...base,
    customer_id: 0,
    billing: wooEscapedAddress(contact(text.billing)),
    shipping: wooEscapedAddress(contact(text.shipping)),
    customer_note: wooEscaped(text.note),
    line_items: base.line_items.map((l) => ({ ...l, name: wooEscaped(text.item) })),
    fee_lines: base.fee_lines.map((f) => ({ ...f, name: wooEscaped(text.fee) })),
    shipping_lines: base.shipping_lines.map((s) => ({ ...s, method_title: wooEscaped(text.method) })),
    coupon_lines: base.coupon_lines.map((c) => ({ ...c, code: wooEscaped(text.coupon) })),
  };
}

const contactText = (contact: XmlElement | undefined) => ({
  first_name: childText(contact, 'Forename'),
  last_name: childText(contact, 'Surname'),
  company: childText(contact, 'Company'),
  address_1: childText(contact, 'Address1'),
  address_2: childText(contact, 'Address2'),
  city: childText(contact, 'Town'),
  state: childText(contact, 'County'),
});
/** What Sage should hold: the typed text, on one line (Sage's text fields are one line). */
const expected = (a: AddressText) => Object.fromEntries(Object.entries(a).map(([k, v]) => [k, singleLine(v)]));
const itemNames = (parent: XmlElement | undefined, items: string) =>
  childElements(childElement(parent, items), 'Item').map((i) => childText(i, 'Name'));

describe('free text from WooCommerce (property)', () => {
  it('when typed text arrives HTML-escaped, then it is decoded once on entry, escaped once in the XML, and an XML parser reads back exactly what was typed', () => {
    fc.assert(
      fc.property(input, (text) => {
        const raw = rawOrder(text);
        const parsed = parseOrder(raw);
        if (!parsed.ok) throw new Error(parsed.reason);
        const order = parsed.value;
        // The fast path and zod decode alike.
        expect(JSON.stringify(order)).toBe(JSON.stringify(orderSchema.parse(raw)));
        expect(order.coupon_lines[0]!.code).toBe(text.coupon);

        const built = buildSalesOrder({ order, accountCode: 'ANN001', customerId: 'guest-ann@example.com', settings: DEFAULT_SETTINGS });
        if (!built.ok) throw new Error(built.hold.message);
        const facts = wooOrderFacts(order, undefined, DEFAULT_SETTINGS);
        const customerXml = renderCustomer({ code: 'ANN001', ownerKey: facts.ownerKey!, details: facts.newAccount });

        const refund = parseRefund(
          buildRefund(
            raw,
            { lines: [{ itemId: order.line_items[0]!.id, quantity: 1 }], fees: true, reason: wooEscaped(text.reason) },
            9001,
            1_770_000_000,
            'http://shop',
          ),
        );
        if (!refund.ok) throw new Error(refund.reason);
        const credit = buildCreditNote({ refund: refund.value, order, accountCode: 'ANN001', settings: DEFAULT_SETTINGS });
        if (!credit.ok) throw new Error(credit.hold.message);

        const root = parseXmlTree(
          wrapCompany({
            customers: [customerXml],
            salesOrders: [renderSalesOrder(built.document)],
            invoices: [renderCreditNote(credit.document)],
          }),
        );
        const salesOrder = childElement(childElement(root, 'SalesOrders'), 'SalesOrder');
        expect(contactText(childElement(salesOrder, 'SalesOrderAddress'))).toEqual(expected(text.billing));
        expect(contactText(childElement(salesOrder, 'SalesOrderDeliveryAddress'))).toEqual(expected(text.shipping));
        expect(childText(salesOrder, 'Notes1')).toBe(singleLine(text.note));
        expect(itemNames(salesOrder, 'SalesOrderItems')).toEqual([singleLine(text.item), singleLine(text.fee)]);
        expect(childText(childElement(salesOrder, 'Carriage'), 'Name')).toBe(singleLine(text.method));

        const customer = childElement(childElement(root, 'Customers'), 'Customer');
        expect(childText(customer, 'CompanyName')).toBe(singleLine(text.billing.company));
        expect(contactText(childElement(customer, 'CustomerInvoiceAddress'))).toEqual(expected(text.billing));

        const invoice = childElement(childElement(root, 'Invoices'), 'Invoice');
        expect(itemNames(invoice, 'InvoiceItems')).toEqual([singleLine(text.item), singleLine(text.fee)]);
        expect(childText(invoice, 'Notes1')).toBe(singleLine(`Refund of order ${order.number}: ${text.reason}`));
      }),
      { numRuns: RUNS },
    );
  });
});
