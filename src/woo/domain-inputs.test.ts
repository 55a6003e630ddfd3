import { describe, expect, it } from 'vitest';
import { buyerProfile, orderToAllocate, orderToPrice } from './domain-inputs.ts';
import { parseCustomer, parseOrder, type WooOrder } from './schemas.ts';

function order(input: Record<string, unknown>): WooOrder {
  const parsed = parseOrder({ id: 7, status: 'processing', total: '0', ...input });
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.value;
}

const tax = (id: number, total: string, subtotal: string) => ({ id, total, subtotal });

describe('a WooCommerce order as the domain reads it', () => {
  it('when it is mapped for pricing, then every amount and line lands under its own name, as the shop sent it', () => {
    const priced = orderToPrice(
      order({
        currency: 'gbp',
        total: '31.20',
        total_tax: '5.20',
        line_items: [
          {
            id: 1,
            name: 'Mug',
            sku: 'MUG-1',
            product_id: 10,
            quantity: 2,
            tax_class: 'reduced-rate',
            subtotal: '20.00',
            subtotal_tax: '4.00',
            total: '18.00',
            total_tax: '3.60',
            taxes: [tax(2, '3.6', '4')],
          },
        ],
        fee_lines: [{ id: 2, name: 'Gift wrap', tax_class: 'zero-rate', tax_status: 'none', total: '1.00', total_tax: '0.20', taxes: [] }],
        shipping_lines: [{ id: 3, method_title: 'Courier', total: '7.00', total_tax: '1.40', taxes: [tax(1, '1.4', '')] }],
        tax_lines: [{ id: 4, rate_id: 2, label: 'VAT', rate_percent: 20, tax_total: '3.80', shipping_tax_total: '1.40' }],
      }),
    );
    expect(priced).toEqual({
      id: 7,
      currency: 'gbp',
      total: '31.20',
      totalTax: '5.20',
      products: [
        {
          name: 'Mug',
          sku: 'MUG-1',
          productId: 10,
          quantity: 2,
          taxClass: 'reduced-rate',
          subtotal: '20.00',
          total: '18.00',
          totalTax: '3.60',
          taxes: [{ rateId: 2, total: '3.6', subtotal: '4' }],
        },
      ],
      fees: [{ name: 'Gift wrap', taxClass: 'zero-rate', untaxed: true, total: '1.00', totalTax: '0.20', taxes: [] }],
      shipping: [{ name: 'Courier', total: '7.00', totalTax: '1.40', taxes: [{ rateId: 1, total: '1.4', subtotal: '0' }] }],
      taxRates: [{ rateId: 2, label: 'VAT', ratePercent: 20, itemsTax: '3.80', shippingTax: '1.40' }],
    });
  });

  it('when a fee is taxable or a rate states no percentage, then the fee is not untaxed and the percentage is undefined', () => {
    const priced = orderToPrice(
      order({
        fee_lines: [{ id: 2, name: 'Fee', tax_status: 'taxable', total: '1.00' }],
        tax_lines: [{ id: 4, rate_id: 3, label: 'VAT', rate_percent: null }],
      }),
    );
    expect(priced.fees[0]!.untaxed).toBe(false);
    expect(priced.taxRates[0]!.ratePercent).toBeUndefined();
  });

  it('when it is mapped for allocation, then the addresses keep their untrimmed text and the code comes from the order meta key', () => {
    const billing = {
      first_name: ' Jo ',
      last_name: 'Bloggs',
      company: 'Bloggs Ltd',
      address_1: '1 High St',
      address_2: 'Flat 2',
      city: 'Leeds',
      state: 'West Yorkshire',
      postcode: 'LS1 1AA',
      country: 'GB',
      email: 'jo@example.com',
      phone: '0113',
    };
    const allocated = orderToAllocate(
      order({
        customer_id: 5,
        billing,
        shipping: { first_name: 'Sam', city: 'York' },
        meta_data: [
          { key: 'other_key', value: 'NOPE01' },
          { key: 'sage_code', value: ' BLOGG01 ' },
        ],
      }),
      'sage_code',
    );
    expect(allocated).toEqual({
      id: 7,
      customerId: 5,
      billing: {
        forename: ' Jo ',
        surname: 'Bloggs',
        company: 'Bloggs Ltd',
        address1: '1 High St',
        address2: 'Flat 2',
        town: 'Leeds',
        county: 'West Yorkshire',
        postcode: 'LS1 1AA',
        country: 'GB',
        email: 'jo@example.com',
        telephone: '0113',
      },
      shipping: expect.objectContaining({ forename: 'Sam', surname: '', town: 'York', email: '' }),
      profileCode: 'BLOGG01',
    });
    expect(orderToAllocate(order({}), 'sage_code').profileCode).toBeUndefined();
  });

  it("when a buyer's profile is a REST customer, then its names fall back to billing and its code is the meta key's", () => {
    const parsed = parseCustomer({
      id: 5,
      first_name: '',
      last_name: 'Smith',
      billing: { first_name: 'Ann', last_name: 'Jones', company: 'Acme' },
      meta_data: [{ key: 'sage_code', value: 'ACME01' }],
    });
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(buyerProfile(parsed.value, 'sage_code')).toEqual({
      id: 5,
      profileCode: 'ACME01',
      company: 'Acme',
      surname: 'Smith',
      forename: 'Ann',
    });
  });

  it('when it is a stored row, then a blank code is none and missing names are empty; null and undefined pass through', () => {
    expect(buyerProfile({ id: 5, profile_code: ' ACME01 ', first_name: 'Ann', last_name: null }, 'sage_code')).toEqual({
      id: 5,
      profileCode: 'ACME01',
      company: '',
      surname: '',
      forename: 'Ann',
    });
    expect(buyerProfile({ id: 5, profile_code: '  ' }, 'sage_code')?.profileCode).toBeUndefined();
    expect(buyerProfile(null, 'sage_code')).toBeNull();
    expect(buyerProfile(undefined, 'sage_code')).toBeUndefined();
  });
});
