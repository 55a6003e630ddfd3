import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../settings/schema.ts';
import { documentAmounts, sageRateTable } from './document-amounts.ts';

const rates = sageRateTable(DEFAULT_SETTINGS.sageTaxRates);
const item = (qty: string, price: string, code: string, discount?: string) =>
  `<Item><Sku>S</Sku><QtyOrdered>${qty}</QtyOrdered><UnitPrice>${price}</UnitPrice>${discount ? `<UnitDiscountAmount>${discount}</UnitDiscountAmount>` : ''}<TaxCode>${code}</TaxCode></Item>`;

describe('documentAmounts: what Sage computes from a stored document', () => {
  it('when a sales order has items, a discount and carriage, then VAT is per line from the T-code rate and grouped by code', () => {
    const xml = `<SalesOrder><Id>1</Id><SalesOrderItems>${item('3', '3.33', '1')}${item('2', '10.00', '5', '1.50')}${item('1', '7.00', '0')}</SalesOrderItems><Carriage><QtyOrdered>1</QtyOrdered><UnitPrice>4.95</UnitPrice><TaxCode>1</TaxCode></Carriage></SalesOrder>`;
    const a = documentAmounts(xml, rates, 'lineDiscount');
    // T1: 9.99 → VAT 2.00 and 4.95 → 0.99 (per line, not 2.988 on the sum); T5: 18.50 → 0.93 (0.925 rounds up); T0: 7.00.
    expect(Object.fromEntries(a.byTaxCode)).toEqual({ 1: { net: 1494, vat: 299 }, 5: { net: 1850, vat: 93 }, 0: { net: 700, vat: 0 } });
    expect(a).toMatchObject({ net: 4044, vat: 392, gross: 4436 });
    expect(documentAmounts(xml, rates, 'unitDiscount').byTaxCode.get(5)).toEqual({ net: 1700, vat: 85 });
  });

  it('when a credit note (Invoice) is read, then its InvoiceItems count', () => {
    expect(documentAmounts(`<Invoice><InvoiceItems>${item('1', '5.00', '1')}</InvoiceItems></Invoice>`, rates, 'lineDiscount').gross).toBe(
      600,
    );
  });

  it.each([
    [
      `<SalesOrder><SalesOrderItems>${item('1', '1.005', '1')}</SalesOrderItems></SalesOrder>`,
      'Item[1].UnitPrice "1.005" is not an amount in whole pennies',
    ],
    [
      `<SalesOrder><SalesOrderItems>${item('-1', '1.00', '1')}</SalesOrderItems></SalesOrder>`,
      'Item[1].QtyOrdered "-1" is not a whole quantity',
    ],
    [
      `<SalesOrder><SalesOrderItems>${item('1', '1.00', '7')}</SalesOrderItems></SalesOrder>`,
      'Item[1].TaxCode "7" has no rate in sageTaxRates',
    ],
    ['<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><SalesOrder>&e;</SalesOrder>', 'not well-formed XML'],
    ['<Customer><Id>1</Id></Customer>', 'is a <Customer>, not a SalesOrder or Invoice'],
  ])('when the document is %s, then it cannot be read and the error says why', (xml, message) => {
    expect(() => documentAmounts(xml, rates, 'lineDiscount')).toThrow(message);
  });
});
