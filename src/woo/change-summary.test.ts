import { describe, expect, it } from 'vitest';
import { describeOrderChange } from './change-summary.ts';

const before = {
  id: 7,
  status: 'processing',
  total: '12.00',
  total_tax: '2.00',
  shipping_total: '3.95',
  currency: 'GBP',
  customer_id: 0,
  billing: { email: 'jo@example.com', postcode: 'NE1 1AA' },
  line_items: [
    { id: 1, name: 'Earl Grey Tea &ndash; 250g', quantity: 2, total: '8.00', total_tax: '0' },
    { id: 2, name: 'Mug', quantity: 1, total: '4', total_tax: '0.80' },
  ],
  refunds: [],
  coupon_lines: [],
  fee_lines: [],
  meta_data: [{ key: 'sage_account_code', value: 'JOE01' }],
};

describe('what changed in an order', () => {
  it('when an exported order is cancelled and refunded, then the summary says so in words', () => {
    const after = { ...before, status: 'cancelled', total: '10.0', refunds: [{ id: 77, total: '-2.00', reason: 'Damaged' }] };
    expect(describeOrderChange(before, after)).toEqual([
      'status processing → cancelled',
      'total 12.00 → 10.00',
      'refund #77 added: -2.00 (Damaged)',
    ]);
  });

  it('when lines are edited, added and removed, then each is named, entities decoded', () => {
    const after = {
      ...before,
      line_items: [
        { id: 1, name: 'Earl Grey Tea &ndash; 250g', quantity: 1, total: '4.00', total_tax: '0' },
        { id: 3, name: 'Honey', quantity: 1, total: '7.49', total_tax: '0' },
      ],
    };
    expect(describeOrderChange(before, after)).toEqual([
      'line "Earl Grey Tea – 250g": quantity 2 → 1, total 8.00 → 4.00',
      'line added: "Honey" × 1 (7.49)',
      'line removed: "Mug"',
    ]);
  });

  it('when money is written differently but is the same amount, then it is not a change', () => {
    expect(describeOrderChange(before, { ...before, total: '12', shipping_total: 3.95 })).toEqual(['other details changed']);
  });

  it('when the email, address, coupon or profile code meta change, then they are listed', () => {
    const after = {
      ...before,
      billing: { email: 'JO@example.com ', postcode: 'NE2 2BB' },
      coupon_lines: [{ code: 'welcome10' }],
      meta_data: [{ key: 'sage_account_code', value: 'JOE02' }],
    };
    expect(describeOrderChange(before, after)).toEqual([
      'billing address changed',
      'coupon welcome10 added',
      'meta sage_account_code "JOE01" → "JOE02"',
    ]);
  });

  it('when the new payload is broken, then what can be compared still is', () => {
    expect(describeOrderChange(before, { id: 7, status: 'processing', total: 'lots' })).toContain('total 12.00 → "lots"');
    expect(describeOrderChange(null, 'garbage')).toEqual(['other details changed']);
  });
});
