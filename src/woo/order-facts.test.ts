import { describe, expect, it } from 'vitest';
import { billingNameOf, readOrder } from './order-facts.ts';

describe('reading an order for the inbox', () => {
  it('when the order is good, then its columns come from it (UTC times, pennies, trimmed email)', () => {
    const read = readOrder({
      id: 12,
      number: 'W-12',
      status: 'processing',
      total: '10.005',
      currency: 'GBP',
      customer_id: 3,
      billing: { email: ' Jo@Example.com ' },
      date_created_gmt: '2026-03-29T00:30:00',
      date_modified_gmt: '2026-03-29T01:30:00',
    });
    expect(read).toEqual({
      ok: true,
      id: 12,
      facts: {
        id: 12,
        number: 'W-12',
        status: 'processing',
        customerId: 3,
        billingEmail: 'Jo@Example.com',
        billingName: null,
        currency: 'GBP',
        totalMinor: 1001,
        dateCreated: '2026-03-29T00:30:00.000Z',
        dateModified: '2026-03-29T01:30:00.000Z',
      },
    });
  });

  it('when money is not numeric, then the order is held with the field and value named, and what can be read is kept', () => {
    const read = readOrder({
      id: 13,
      status: 'completed',
      total: 'twelve',
      billing: { email: 'a@b.c' },
      date_modified_gmt: '2026-01-01T00:00:00',
    });
    expect(read.ok).toBe(false);
    expect(read).toMatchObject({
      id: 13,
      reason: 'total: is not a decimal amount (got "twelve")',
      facts: { status: 'completed', billingEmail: 'a@b.c', totalMinor: null },
    });
  });

  it('when there is no usable id, then it cannot be stored and says why', () => {
    expect(readOrder({ id: 'abc', status: 'processing', total: '1' })).toMatchObject({
      ok: false,
      id: undefined,
      reason: expect.stringContaining('id:'),
    });
    expect(readOrder(null)).toMatchObject({ ok: false, id: undefined });
  });

  it('when a text column would overflow, then it is cut to fit rather than failing the page', () => {
    const read = readOrder({ id: 14, status: 'x'.repeat(80), total: '1', currency: 'GBPX', date_modified_gmt: '2026-01-01T00:00:00' });
    expect(read.ok && read.facts.status.length).toBe(32);
    expect(read.ok && read.facts.currency).toBe('GBP');
  });

  it('when date_modified_gmt is not a date, then the order is held naming it', () => {
    expect(readOrder({ id: 15, status: 'processing', total: '1', date_modified_gmt: 'soon' })).toMatchObject({
      ok: false,
      id: 15,
      reason: expect.stringContaining('date_modified_gmt'),
    });
  });
});

describe('the buyer name shown in order lists', () => {
  it.each([
    ['person and company', { first_name: 'Hal', last_name: 'Harris', company: 'Harris Plumbing Ltd' }, 'Hal Harris (Harris Plumbing Ltd)'],
    ['person only', { first_name: ' Jo ', last_name: 'Bloggs' }, 'Jo Bloggs'],
    ['company only', { company: 'Baker &amp; Sons' }, 'Baker & Sons'],
    ['control characters and new lines', { first_name: 'Jo\u0000\u0007', last_name: 'Blo\nggs' }, 'Jo Blo ggs'],
    ['nothing usable', { first_name: 42, last_name: null, company: '   ' }, null],
    ['no billing block', null, null],
    ['inherited keys only', Object.create({ first_name: 'Proto' }), null],
  ])('when the billing address has %s, then the name is %j', (_what, billing, expected) => {
    expect(billingNameOf(billing)).toBe(expected);
  });

  it('when the name is very long, then it is clipped to 120 characters without splitting a character', () => {
    const name = billingNameOf({ first_name: '😀'.repeat(200) });
    expect(Array.from(name!)).toHaveLength(120);
    expect(name).toBe('😀'.repeat(120));
  });
});
