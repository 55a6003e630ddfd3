import { describe, expect, it } from 'vitest';
import { buildOrder } from '../../test/helpers/woo-cart.ts';
import { wooOrderFacts } from '../woo/domain-inputs.ts';
import { ValidationError } from '../domain/errors.ts';
import { DEFAULT_SETTINGS } from '../settings/schema.ts';
import { wooEscaped } from '../sandbox/wc-text.ts';
import { parseOrder } from '../woo/schemas.ts';
import { wrapCompany } from './company-xml.ts';
import { buildCustomer, customerDocumentId, renderCustomer, type NewAccountInput } from './customer-xml.ts';
import { childElement, childElements, childText, parseXmlTree } from './xml-tree.ts';

function account(code: string, overrides: Record<string, unknown>): NewAccountInput {
  const base = buildOrder({ lines: [{ price: '10', quantity: 1, rate: 20 }], pricesIncludeTax: false, roundAtSubtotal: false });
  const parsed = parseOrder({ ...base, ...overrides });
  if (!parsed.ok) throw new Error(parsed.reason);
  const facts = wooOrderFacts(parsed.value, undefined, DEFAULT_SETTINGS);
  return { code, ownerKey: facts.ownerKey!, details: facts.newAccount };
}

describe('renderCustomer', () => {
  it('when a guest creates an account, then the Customer has Id guest-<email>, the account code, name and both addresses', () => {
    const guest = account('BUYER01', {
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
    const xml = wrapCompany({ customers: [renderCustomer(guest, { currency: 'gbp' })] });
    const customer = childElements(childElement(parseXmlTree(xml), 'Customers'), 'Customer')[0]!;
    expect(customer.children.map((c) => c.name)).toEqual([
      'Id',
      'CompanyName',
      'AccountReference',
      'CustomerInvoiceAddress',
      'CustomerDeliveryAddress',
      'Currency',
      'TermsAgreed',
    ]);
    expect(childText(customer, 'TermsAgreed')).toBe('1');
    expect(childText(customer, 'Id')).toBe('guest-ann@example.com');
    expect(childText(customer, 'AccountReference')).toBe('BUYER01');
    expect(childText(customer, 'CompanyName')).toBe('Ann Buyer');
    const invoice = childElement(customer, 'CustomerInvoiceAddress');
    expect([childText(invoice, 'Email'), childText(invoice, 'Telephone'), childText(invoice, 'Town')]).toEqual([
      'ann@example.com',
      '01904 000000',
      'York',
    ]);
    expect(childText(childElement(customer, 'CustomerDeliveryAddress'), 'Town')).toBe('Leeds');
    expect(childText(customer, 'Currency')).toBe('GBP');
  });

  it('when a logged-in customer with a company creates an account, then Id is customer-<id> and the company names the account', () => {
    const customer = parseXmlTree(
      renderCustomer(
        account('LEECO01', {
          customer_id: 42,
          billing: {
            first_name: 'Bo',
            last_name: 'Lee',
            company: 'Lee & Co',
            address_1: 'x',
            city: 'y',
            email: 'orders@lee.example',
            country: 'gb',
          },
        }),
      ),
    );
    expect(childText(customer, 'Id')).toBe('customer-42');
    expect(childText(customer, 'CompanyName')).toBe('Lee & Co');
    expect(childText(childElement(customer, 'CustomerInvoiceAddress'), 'Country')).toBe('GB');
    expect(childElement(customer, 'Currency')).toBeUndefined();
  });

  it('when the account code is longer than 8 characters, then rendering refuses and names it', () => {
    const long = account('MUCHTOOLONG', {});
    expect(buildCustomer(long)).toMatchObject({ ok: false, hold: { code: 'CODE_TOO_LONG', field: 'AccountReference' } });
    expect(() => renderCustomer(long)).toThrow(ValidationError);
  });

  it('when a name is longer than Sage allows, then it is shortened with a warning', () => {
    const built = buildCustomer(
      account('CCC01', { billing: { first_name: 'A', last_name: 'B', company: 'C'.repeat(80), email: 'c@example.com' } }),
    );
    expect(built.ok && built.document.companyName).toBe('C'.repeat(60));
    expect(built.ok && built.warnings[0]).toContain('companyName shortened to 60 characters');
  });

  it('when names hold text that looks like XML references, then the document reads back exactly as typed and stays well-formed', () => {
    const typed = {
      company: 'Tom &amp; Jerry &lt;Ltd&gt;',
      first_name: 'Ann &#1;',
      last_name: 'Smith&nbsp;Jones',
      address_1: '1 &bogus; Road &#xD800;',
    };
    // WooCommerce sends what was typed HTML-escaped once.
    const sent = Object.fromEntries(Object.entries(typed).map(([k, v]) => [k, wooEscaped(v)]));
    const xml = wrapCompany({ customers: [renderCustomer(account('TOMAMP01', { billing: { ...sent, email: 'tom@example.com' } }))] });
    const customer = childElements(childElement(parseXmlTree(xml), 'Customers'), 'Customer')[0];
    expect(childText(customer, 'CompanyName')).toBe(typed.company);
    const address = childElement(customer, 'CustomerInvoiceAddress');
    expect([childText(address, 'Forename'), childText(address, 'Surname'), childText(address, 'Address1')]).toEqual([
      typed.first_name,
      typed.last_name,
      typed.address_1,
    ]);
  });

  it('when an owner key is turned into a document Id, then the first colon becomes a dash', () => {
    expect(customerDocumentId('customer:42')).toBe('customer-42');
    expect(customerDocumentId('guest:a:b@example.com')).toBe('guest-a:b@example.com');
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
