import { describe, expect, it } from 'vitest';
import { buildOrder } from '../../test/helpers/woo-cart.ts';
import { ValidationError } from '../domain/errors.ts';
import { parseCustomer, parseOrder } from '../woo/schemas.ts';
import { wrapCompany } from './company-xml.ts';
import { buildCustomer, newAccountDetailsFromOrder, renderCustomer } from './customer-xml.ts';
import { childElement, childElements, childText, parseXmlTree } from './xml-tree.ts';

function order(overrides: Record<string, unknown>) {
  const base = buildOrder({ lines: [{ price: '10', quantity: 1, rate: 20 }], pricesIncludeTax: false, roundAtSubtotal: false });
  const parsed = parseOrder({ ...base, ...overrides });
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.value;
}

describe('renderCustomer', () => {
  it('when a guest creates an account, then the Customer has Id guest-<email>, the account code, name and both addresses', () => {
    const o = order({
      customer_id: 0,
      billing: {
        first_name: 'Ann',
        last_name: 'Buyer',
        company: '',
        address_1: '1 High St',
        city: 'York',
        postcode: 'YO1 1AA',
        country: 'GB',
        email: ' Ann@Example.com ',
        phone: '01904 000000',
      },
      shipping: { first_name: 'Ann', last_name: 'Buyer', address_1: '2 Work Park', city: 'Leeds', postcode: 'LS1 1AA', country: 'GB' },
    });
    const details = newAccountDetailsFromOrder(o);
    expect(details.ownerKey).toBe('guest:ann@example.com');
    const xml = wrapCompany({ customers: [renderCustomer({ code: 'BUYER01', ownerKey: details.ownerKey, details })] });
    const customer = childElements(childElement(parseXmlTree(xml), 'Customers'), 'Customer')[0]!;
    expect(customer.children.map((c) => c.name)).toEqual([
      'Id',
      'AccountReference',
      'CompanyName',
      'CustomerInvoiceAddress',
      'CustomerDeliveryAddress',
      'Currency',
    ]);
    expect(childText(customer, 'Id')).toBe('guest-ann@example.com');
    expect(childText(customer, 'AccountReference')).toBe('BUYER01');
    expect(childText(customer, 'CompanyName')).toBe('Ann Buyer');
    const invoice = childElement(customer, 'CustomerInvoiceAddress');
    expect([childText(invoice, 'Email'), childText(invoice, 'Telephone'), childText(invoice, 'Town')]).toEqual([
      'Ann@Example.com',
      '01904 000000',
      'York',
    ]);
    expect(childText(childElement(customer, 'CustomerDeliveryAddress'), 'Town')).toBe('Leeds');
    expect(childText(customer, 'Currency')).toBe('GBP');
  });

  it('when a logged-in customer with a company creates an account, then Id is customer-<id>, the company names the account and both emails are kept', () => {
    const o = order({
      customer_id: 42,
      billing: {
        first_name: 'Bo',
        last_name: 'Lee',
        company: 'Lee & Co',
        address_1: 'x',
        city: 'y',
        email: 'orders@lee.example',
        country: 'GB',
      },
    });
    const profile = parseCustomer({ id: 42, email: 'bo@lee.example' });
    if (!profile.ok) throw new Error(profile.reason);
    const details = newAccountDetailsFromOrder(o, profile.value);
    expect(details).toMatchObject({
      ownerKey: 'customer:42',
      name: 'Lee & Co',
      emails: ['bo@lee.example', 'orders@lee.example'],
      deliveryAddress: null,
    });
    const customer = parseXmlTree(renderCustomer({ code: 'LEECO01', ownerKey: details.ownerKey, details }));
    expect(childText(customer, 'Id')).toBe('customer-42');
    expect(childText(customer, 'CompanyName')).toBe('Lee & Co');
    const invoice = childElement(customer, 'CustomerInvoiceAddress');
    expect([childText(invoice, 'Email'), childText(invoice, 'Email2')]).toEqual(['bo@lee.example', 'orders@lee.example']);
    expect(childElement(customer, 'CustomerDeliveryAddress')).toBeUndefined();
  });

  it('when the account code is longer than 8 characters, then rendering refuses and names it', () => {
    const details = newAccountDetailsFromOrder(order({}));
    expect(buildCustomer({ code: 'MUCHTOOLONG', ownerKey: details.ownerKey, details })).toMatchObject({
      ok: false,
      hold: { code: 'CODE_TOO_LONG', field: 'AccountReference' },
    });
    expect(() => renderCustomer({ code: 'MUCHTOOLONG', ownerKey: details.ownerKey, details })).toThrow(ValidationError);
  });

  it('when a name is longer than Sage allows, then it is shortened with a warning', () => {
    const details = newAccountDetailsFromOrder(
      order({ billing: { first_name: 'A', last_name: 'B', company: 'C'.repeat(80), email: 'c@example.com' } }),
    );
    const built = buildCustomer({ code: 'CCC01', ownerKey: details.ownerKey, details });
    expect(built.ok && built.document.companyName).toBe('C'.repeat(60));
    expect(built.ok && built.warnings[0]).toContain('name shortened to 60 characters');
  });
});

describe('wrapCompany', () => {
  it('when customers and sales orders are wrapped together, then Customers come first in one well-formed Company document', () => {
    const xml = wrapCompany({
      customers: ['<Customer>\n  <Id>a</Id>\n</Customer>'],
      salesOrders: ['<SalesOrder>\n  <Id>1</Id>\n</SalesOrder>'],
    });
    const root = parseXmlTree(xml);
    expect(xml.startsWith('<?xml version="1.0" encoding="utf-8"?>\n<Company ')).toBe(true);
    expect(root.children.map((c) => c.name)).toEqual(['Customers', 'SalesOrders']);
    expect(wrapCompany({})).toContain('<Company');
  });
});
