import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CONTACT_ORDER,
  inSchemaOrder as inOrder,
  ITEM_ORDER,
  readSalesOrders,
  SALES_ORDER_ORDER as SCHEMA_ORDER,
  wooMinor,
} from '../../test/helpers/sage-xml.ts';
import { buildOrder, cartArbitrary } from '../../test/helpers/woo-cart.ts';
import { DEFAULT_SETTINGS } from '../settings/schema.ts';
import { parseOrder, type WooOrder } from '../woo/schemas.ts';
import { wrapCompany } from './company-xml.ts';
import { buildSalesOrder, renderSalesOrder } from './sales-order-xml.ts';
import { childElement, childElements, childText, parseXmlTree } from './xml-tree.ts';

function realisticOrder(): WooOrder {
  const base = buildOrder({
    id: 7001,
    lines: [
      { price: '12.50', quantity: 2, rate: 20, sku: 'MUG-BLU', name: 'Mug &ndash; blue &amp; white' },
      { price: '4.99', quantity: 3, rate: 0, sku: 'BK-101', name: 'Children&#8217;s book' },
    ],
    pricesIncludeTax: true,
    roundAtSubtotal: false,
    coupon: { type: 'percent', amount: '10' },
    shipping: { cost: '3.95', rate: 20 },
  });
  const parsed = parseOrder({
    ...base,
    number: 'WC-7001',
    customer_note:
      'Please leave the parcel with the neighbour at number 12 if nobody is at home, thank you very much indeed! Ring twice.\u0007',
    billing: {
      first_name: 'Ann',
      last_name: 'Buyer',
      company: 'Buyer & Sons Ltd',
      address_1: '1 High St',
      address_2: 'Flat 2',
      city: 'York',
      state: 'North Yorkshire',
      postcode: 'YO1 1AA',
      country: 'gb',
      email: 'Ann@Example.com',
      phone: '01904 000000',
    },
    shipping: { first_name: 'Bob', last_name: 'Buyer', address_1: '9 Low Rd', city: 'Leeds', postcode: 'LS1 1AA', country: 'GB' },
  });
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.value;
}

describe('renderSalesOrder', () => {
  it("when a realistic order is rendered, then the document is well-formed, in schema order, and its totals equal WooCommerce's", () => {
    const order = realisticOrder();
    const built = buildSalesOrder({ order, accountCode: 'BUYER01', customerId: 'customer-42', settings: DEFAULT_SETTINGS });
    if (!built.ok) throw new Error(built.hold.message);
    const xml = wrapCompany({ salesOrders: [renderSalesOrder(built.document)] });
    const [imported] = readSalesOrders(xml);
    expect(imported!.tax).toBe(wooMinor(order.total_tax));
    expect(imported!.gross).toBe(wooMinor(order.total));
    expect(imported!.ties).toBe(0);

    const so = imported!.element;
    expect(
      inOrder(
        so.children.map((c) => c.name),
        SCHEMA_ORDER,
      ),
    ).toBe(true);
    expect(childText(so, 'Id')).toBe('7001');
    expect(childText(so, 'CustomerId')).toBe('customer-42');
    expect(childText(so, 'AccountReference')).toBe('BUYER01');
    expect(childText(so, 'CustomerOrderNumber')).toBe('WC-7001');
    expect(childText(so, 'SalesOrderDate')).toBe('2026-03-01T10:15:00');
    expect(childText(so, 'Currency')).toBe('GBP');
    expect(childText(so, 'Notes1')).toBe('Please leave the parcel with the neighbour at number 12 if');
    expect(childText(so, 'Notes2')).toBe('nobody is at home, thank you very much indeed! Ring twice.');
    const items = childElements(childElement(so, 'SalesOrderItems'), 'Item');
    for (const item of items)
      expect(
        inOrder(
          item.children.map((c) => c.name),
          ITEM_ORDER,
        ),
      ).toBe(true);
    expect(childText(items[0], 'Name')).toBe('Mug – blue & white');
    expect(childText(items[0], 'Sku')).toBe('MUG-BLU');
    expect(childText(items[1], 'Name')).toBe('Children’s book');
    expect(childText(items[1], 'TaxCode')).toBe('0');
    expect(childText(childElement(so, 'Carriage'), 'NominalCode')).toBe('4905');
    const invoice = childElement(so, 'SalesOrderAddress')!;
    expect(
      inOrder(
        invoice.children.map((c) => c.name),
        CONTACT_ORDER,
      ),
    ).toBe(true);
    expect([
      childText(invoice, 'Forename'),
      childText(invoice, 'Surname'),
      childText(invoice, 'Company'),
      childText(invoice, 'Country'),
    ]).toEqual(['Ann', 'Buyer', 'Buyer & Sons Ltd', 'GB']);
    expect(childText(childElement(so, 'SalesOrderDeliveryAddress'), 'Town')).toBe('Leeds');
    expect([
      childText(so, 'PaymentRef'),
      childText(so, 'PaymentAmount'),
      childText(so, 'BankAccount'),
      childText(so, 'PaymentType'),
    ]).toEqual(['pi_123', order.total, '1200', 'SalesReceipt']);
  });

  it("when any cart is rendered, then the XML parses and the importer's arithmetic gives WooCommerce's totals", () => {
    fc.assert(
      fc.property(cartArbitrary, fc.constantFrom('unambiguous', 'lineDiscount', 'unitDiscount', 'netPrice' as const), (cart, mode) => {
        const order = buildOrder(cart);
        const built = buildSalesOrder({ order, accountCode: 'WEBSALES', settings: { ...DEFAULT_SETTINGS, couponDiscountAs: mode } });
        if (!built.ok) {
          expect(built.hold.message).toMatch(/T5 \(5%\) have net 0\.10: /);
          return;
        }
        const [imported] = readSalesOrders(wrapCompany({ salesOrders: [renderSalesOrder(built.document)] }), { mode });
        expect(imported!.ties).toBe(0);
        expect(imported!.tax).toBe(wooMinor(order.total_tax));
        expect(imported!.gross).toBe(wooMinor(order.total));
      }),
      { numRuns: 200 },
    );
  });

  it('when free text is too long or has characters XML forbids, then it is cleaned and shortened with a warning', () => {
    const order = realisticOrder();
    order.billing.address_1 = `Unit 4${'\u0001'}, ${'Very Long Industrial Estate Name '.repeat(3)}`;
    order.line_items[0]!.name = 'A'.repeat(70);
    const built = buildSalesOrder({ order, accountCode: 'BUYER01', settings: DEFAULT_SETTINGS });
    if (!built.ok) throw new Error(built.hold.message);
    expect(built.document.invoiceAddress.address1).toHaveLength(60);
    expect(built.document.invoiceAddress.address1.startsWith('Unit 4, Very Long')).toBe(true);
    expect(built.document.items[0]!.name).toBe('A'.repeat(60));
    expect(built.warnings).toEqual(
      expect.arrayContaining([
        expect.stringContaining('billing.address1 shortened to 60 characters'),
        expect.stringContaining('line_items[0].name shortened to 60 characters'),
      ]),
    );
    expect(() => parseXmlTree(wrapCompany({ salesOrders: [renderSalesOrder(built.document)] }))).not.toThrow();
  });

  it("when a telephone number is longer than Sage 50's 30 characters, then it is shortened to 30 with a warning; VatInclusive is written false", () => {
    const order = realisticOrder();
    order.billing.phone = '+44 (0)1904 000000 ext. 1234 (reception, ask for Ann)';
    const built = buildSalesOrder({ order, accountCode: 'BUYER01', settings: DEFAULT_SETTINGS });
    if (!built.ok) throw new Error(built.hold.message);
    expect(built.document.invoiceAddress.telephone).toBe('+44 (0)1904 000000 ext. 1234 (');
    expect(built.warnings).toEqual(expect.arrayContaining([expect.stringContaining('billing.telephone shortened to 30 characters')]));
    const xml = parseXmlTree(renderSalesOrder(built.document));
    expect(childText(childElement(xml, 'SalesOrderAddress'), 'Telephone')).toBe('+44 (0)1904 000000 ext. 1234 (');
    expect(childText(xml, 'VatInclusive')).toBe('false');
  });

  it("when a long contact name would overflow Sage's 30-character contact, then the surname is shortened with a warning", () => {
    const order = realisticOrder();
    order.billing.first_name = 'Maximilian Alexander';
    order.billing.last_name = 'Featherstonehaugh-Cholmondeley';
    const built = buildSalesOrder({ order, accountCode: 'BUYER01', settings: DEFAULT_SETTINGS });
    if (!built.ok) throw new Error(built.hold.message);
    const { forename, surname } = built.document.invoiceAddress;
    expect(`${forename} ${surname}`).toHaveLength(30);
    expect(built.warnings.join('\n')).toContain('contact name "Maximilian Alexander Featherstonehaugh-Cholmondeley" shortened');
  });

  it('when a SKU or the account code is longer than Sage allows, then the order is held: codes are never shortened', () => {
    const order = realisticOrder();
    order.line_items[0]!.sku = 'SKU-THAT-IS-MUCH-TOO-LONG-FOR-SAGE-50';
    expect(buildSalesOrder({ order, accountCode: 'BUYER01', settings: DEFAULT_SETTINGS })).toMatchObject({
      ok: false,
      hold: { code: 'CODE_TOO_LONG', field: 'line_items[0].sku', value: 'SKU-THAT-IS-MUCH-TOO-LONG-FOR-SAGE-50' },
    });
    expect(buildSalesOrder({ order: realisticOrder(), accountCode: 'TOOLONG123', settings: DEFAULT_SETTINGS })).toMatchObject({
      ok: false,
      hold: { code: 'CODE_TOO_LONG', field: 'AccountReference' },
    });
  });

  it('when the order has no shipping address or is unpaid, then the billing address is used for delivery and no payment is written', () => {
    const order = realisticOrder();
    order.shipping = { ...order.shipping, address_1: '', city: '', postcode: '' };
    order.date_paid_gmt = '';
    const built = buildSalesOrder({ order, accountCode: 'BUYER01', settings: DEFAULT_SETTINGS });
    if (!built.ok) throw new Error(built.hold.message);
    expect(built.document.deliveryAddress.address1).toBe('1 High St');
    expect(built.document.payment).toBeNull();
    expect(renderSalesOrder(built.document)).not.toContain('PaymentAmount');
  });

  it("when an order is placed just after or before midnight in British Summer Time, then SalesOrderDate is the shop's local day, not UTC's", () => {
    const placed = (local: string, gmt: string) => {
      const order = realisticOrder();
      order.date_created = local;
      order.date_created_gmt = gmt;
      const built = buildSalesOrder({ order, accountCode: 'BUYER01', settings: DEFAULT_SETTINGS });
      if (!built.ok) throw new Error(built.hold.message);
      return childText(parseXmlTree(renderSalesOrder(built.document)), 'SalesOrderDate');
    };
    // 00:23 on 2 September in London is 23:23 UTC on 1 September: the books say the 2nd.
    expect(placed('2026-09-02T00:23:00', '2026-09-01T23:23:00')).toBe('2026-09-02T00:23:00');
    // 23:59 on 1 September in London is 22:59 UTC, the same day.
    expect(placed('2026-09-01T23:59:59', '2026-09-01T22:59:59')).toBe('2026-09-01T23:59:59');
    // In winter London is on UTC.
    expect(placed('2026-12-31T23:59:00', '2026-12-31T23:59:00')).toBe('2026-12-31T23:59:00');
  });

  it("when an order's local date_created is missing or not a date, then it is held naming the field and value, never dated by UTC", () => {
    for (const bad of ['', '2026-02-30T10:00:00', '2026-09-02 00:23', '2026-09-01T23:23:00Z']) {
      const order = realisticOrder();
      order.date_created = bad;
      expect(buildSalesOrder({ order, accountCode: 'BUYER01', settings: DEFAULT_SETTINGS }), bad).toMatchObject({
        ok: false,
        hold: { code: 'MISSING_FIELD', field: 'date_created', value: bad, message: expect.stringContaining('order 7001: date_created') },
      });
    }
  });

  it('when a payment method has its own bank account, then the receipt goes to it', () => {
    const order = realisticOrder();
    const settings = {
      ...DEFAULT_SETTINGS,
      payments: { ...DEFAULT_SETTINGS.payments, byMethod: { stripe: '1210' }, type: 'PaymentAlreadyReceived' as const },
    };
    const built = buildSalesOrder({ order, accountCode: 'BUYER01', settings });
    expect(built.ok && built.document.payment).toMatchObject({ bankAccount: '1210', type: 'PaymentAlreadyReceived', ref: 'pi_123' });
  });
});
