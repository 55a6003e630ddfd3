import { describe, expect, it } from 'vitest';
import { buildOrder } from '../../test/helpers/woo-cart.ts';
import { buildRefund } from '../sandbox/generate-refunds.ts';
import { settingsSchema, DEFAULT_SETTINGS } from '../settings/schema.ts';
import { parseRefund, type WooOrder, type WooRefund } from '../woo/schemas.ts';
import { wrapCompany } from './company-xml.ts';
import { buildCreditNote, renderCreditNote } from './credit-note-xml.ts';
import { childElement, childElements, childText, parseXmlTree } from './xml-tree.ts';

const order: WooOrder = buildOrder({
  id: 4321,
  lines: [
    { price: '10.00', quantity: 2, rate: 20, sku: 'MUG-1', name: 'Blue mug' },
    { price: '4.00', quantity: 1, rate: 0, sku: 'BOOK-1', name: 'Book' },
  ],
  pricesIncludeTax: false,
  roundAtSubtotal: false,
  shipping: { cost: '3.50', rate: 20 },
});

function refundOf(spec: Parameters<typeof buildRefund>[1], id = 77001): WooRefund {
  const raw = buildRefund(order as unknown as Record<string, unknown>, spec, id, Date.parse('2026-03-05T09:30:00Z') / 1000, 'http://shop');
  const parsed = parseRefund(raw);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.value;
}

describe('credit notes for refunds', () => {
  it('when one mug and the shipping are refunded, then the credit note is an Invoice of type ProductCredit for exactly the refund, Id = the refund id', () => {
    const refund = refundOf({ lines: [{ itemId: 100, quantity: 1 }], shipping: true, reason: 'Damaged in transit' });
    expect(refund.amount).toBe('16.20');
    const built = buildCreditNote({ refund, order, accountCode: 'JOE001', settings: DEFAULT_SETTINGS });
    if (!built.ok) throw new Error(built.hold.message);
    expect(built.document.totals).toEqual({ net: 1350, tax: 270, gross: 1620 });
    const xml = parseXmlTree(renderCreditNote(built.document));
    expect(xml.name).toBe('Invoice');
    expect(childText(xml, 'Id')).toBe('77001');
    expect(childText(xml, 'InvoiceType')).toBe('ProductCredit');
    expect(childText(xml, 'AccountReference')).toBe('JOE001');
    expect(childText(xml, 'CustomerOrderNumber')).toBe('4321');
    expect(childText(xml, 'InvoiceDate')).toBe('2026-03-05T09:30:00');
    expect(childText(xml, 'Notes1')).toBe('Refund of order 4321: Damaged in transit');
    const items = childElements(childElement(xml, 'InvoiceItems'), 'Item');
    expect(items.map((i) => [childText(i, 'Sku'), childText(i, 'QtyOrdered'), childText(i, 'UnitPrice'), childText(i, 'TaxCode')])).toEqual(
      [['MUG-1', '1', '10.00', '1']],
    );
    expect(childText(childElement(xml, 'Carriage'), 'UnitPrice')).toBe('3.50');
    expect(childElement(xml, 'PaymentAmount')).toBeUndefined();
    const file = parseXmlTree(wrapCompany({ invoices: [renderCreditNote(built.document)] }));
    expect(childElements(childElement(file, 'Invoices'), 'Invoice')).toHaveLength(1);
  });

  it("when a refund is made just after midnight in British Summer Time, then InvoiceDate is the shop's local day (date_created), not UTC's", () => {
    // 00:23 on 2 September in London is 23:23 UTC on 1 September.
    const raw = buildRefund(
      order as unknown as Record<string, unknown>,
      { lines: [{ itemId: 100, quantity: 1 }] },
      77005,
      Date.parse('2026-09-01T23:23:00Z') / 1000,
      'http://shop',
    );
    expect([raw.date_created, raw.date_created_gmt]).toEqual(['2026-09-02T00:23:00', '2026-09-01T23:23:00']);
    const parsed = parseRefund(raw);
    if (!parsed.ok) throw new Error(parsed.reason);
    const built = buildCreditNote({ refund: parsed.value, order, accountCode: 'JOE001', settings: DEFAULT_SETTINGS });
    if (!built.ok) throw new Error(built.hold.message);
    expect(childText(parseXmlTree(renderCreditNote(built.document)), 'InvoiceDate')).toBe('2026-09-02T00:23:00');
  });

  it('when a credit note has a negative line, then its UnitPrice is written positive with IsNegativeLine true, as Zynk asks', () => {
    const built = buildCreditNote({
      refund: refundOf({ lines: [{ itemId: 100, quantity: 1 }] }),
      order,
      accountCode: 'JOE001',
      settings: DEFAULT_SETTINGS,
    });
    if (!built.ok) throw new Error(built.hold.message);
    const discount = { ...built.document.items[0]!, sku: 'S1', name: 'Goodwill discount', unitPrice: -250, net: -250, tax: -50 };
    const xml = parseXmlTree(renderCreditNote({ ...built.document, items: [...built.document.items, discount] }));
    const items = childElements(childElement(xml, 'InvoiceItems'), 'Item');
    expect(items.map((i) => [childText(i, 'UnitPrice'), childText(i, 'IsNegativeLine')])).toEqual([
      ['10.00', ''],
      ['2.50', 'true'],
    ]);
    expect(items[1]!.children.map((c) => c.name).at(-1)).toBe('IsNegativeLine');
  });

  it('when the account was created by the connector, then the credit note names its Customer document too', () => {
    const built = buildCreditNote({
      refund: refundOf({ lines: [{ itemId: 101, quantity: 1 }] }),
      order,
      accountCode: 'NEW01',
      customerId: 'guest-ann@example.com',
      settings: DEFAULT_SETTINGS,
    });
    if (!built.ok) throw new Error(built.hold.message);
    expect(childText(parseXmlTree(renderCreditNote(built.document)), 'CustomerId')).toBe('guest-ann@example.com');
    expect(built.document.items[0]).toMatchObject({ taxCode: 0, unitPrice: 400, quantity: 1 });
  });

  it('when a refund names no lines, only money, then it is held: its VAT is not known', () => {
    const built = buildCreditNote({
      refund: refundOf({ amount: '5.00', reason: 'Goodwill' }),
      order,
      accountCode: 'JOE001',
      settings: DEFAULT_SETTINGS,
    });
    expect(built).toEqual({
      ok: false,
      hold: expect.objectContaining({
        code: 'NOT_ITEMISED',
        message:
          'refund #77001 of order 4321 (5.00, "Goodwill") names no lines in WooCommerce, only an amount, so the VAT to credit is not known; raise the credit note in Sage by hand',
      }),
    });
  });

  it("when a refunded line's tax rate has no Sage code, or the amount does not match its lines, then it is held naming the refund", () => {
    const unmapped = settingsSchema.parse({ taxCodes: { byPercent: { '0': 0 } } });
    const built = buildCreditNote({
      refund: refundOf({ lines: [{ itemId: 100, quantity: 2 }] }),
      order,
      accountCode: 'JOE001',
      settings: unmapped,
    });
    expect(built.ok).toBe(false);
    if (!built.ok)
      expect(built.hold).toMatchObject({
        code: 'UNMAPPED_TAX_RATE',
        message: expect.stringMatching(/^refund #77001 of order 4321: line_items\[0\] "Blue mug": WooCommerce tax rate id 1 /),
      });
    const mismatch = { ...refundOf({ lines: [{ itemId: 100, quantity: 1 }] }), amount: '15.00' };
    const wrong = buildCreditNote({ refund: mismatch, order, accountCode: 'JOE001', settings: DEFAULT_SETTINGS });
    expect(wrong.ok).toBe(false);
    if (!wrong.ok) expect(wrong.hold).toMatchObject({ code: 'TOTALS_MISMATCH', field: 'total', value: '15.00' });
  });

  it('when a line is refunded as money without a quantity, then it is credited as one unit of that money, with a warning', () => {
    const refund = refundOf({ lines: [{ itemId: 100, quantity: 1 }] });
    const priceOnly = { ...refund, line_items: refund.line_items.map((l) => ({ ...l, quantity: 0 })) };
    const built = buildCreditNote({ refund: priceOnly, order, accountCode: 'JOE001', settings: DEFAULT_SETTINGS });
    if (!built.ok) throw new Error(built.hold.message);
    expect(built.document.items[0]).toMatchObject({ quantity: 1, unitPrice: 1000 });
    expect(built.warnings[0]).toMatch(/refunds money without a quantity; credited as 1 × its amount/);
  });
});
