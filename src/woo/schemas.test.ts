import { describe, expect, it } from 'vitest';
import { metaText, parseOrder, wooGmtToIso } from './schemas.ts';

const minimal = { id: 42, status: 'processing', total: '10.00' };

describe('WooCommerce order payloads', () => {
  it('when a minimal order is read, then the blocks a real store may omit get empty defaults', () => {
    const result = parseOrder(minimal);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.customer_id).toBe(0);
    expect(result.value.billing.email).toBe('');
    expect(result.value.line_items).toEqual([]);
    expect(result.value.total_tax).toBe('0');
  });

  it('when money comes as numbers or with odd decimals, then it is kept as exact text', () => {
    const result = parseOrder({
      ...minimal,
      total: 10.5,
      total_tax: '1.6667',
      line_items: [{ id: 1, quantity: '2', total: '0.9', price: 0.45 }],
    });
    expect(result.ok && result.value.total).toBe('10.5');
    expect(result.ok && result.value.total_tax).toBe('1.6667');
    expect(result.ok && result.value.line_items[0]?.quantity).toBe(2);
  });

  it('when money comes as a number JSON writes with an exponent, then it is exact decimal text or refused naming the value', () => {
    const tiny = parseOrder({ ...minimal, total: 1e-7 });
    expect(tiny.ok && tiny.value.total).toBe('0.0000001');
    const absurd = parseOrder({ ...minimal, total: 1e21 });
    expect(absurd).toEqual({ ok: false, reason: 'total: is not a decimal amount (got 1e+21)' });
  });

  it('when an amount is beyond what integer pennies can hold exactly, then the order is refused naming the field and value', () => {
    expect(parseOrder({ ...minimal, total: '123456789012345678.99' })).toEqual({
      ok: false,
      reason: 'total: is too large an amount (got "123456789012345678.99")',
    });
    expect(parseOrder({ ...minimal, total: '90071992547409.91' }).ok).toBe(true);
  });

  it('when unknown fields are present, then they pass through', () => {
    const result = parseOrder({ ...minimal, _links: { self: [] }, is_editable: false });
    expect(result.ok && (result.value as Record<string, unknown>)._links).toEqual({ self: [] });
  });

  it('when the id is missing, then the reason names the field', () => {
    const result = parseOrder({ status: 'processing', total: '1' });
    expect(result).toEqual({ ok: false, reason: expect.stringContaining('id: ') });
    expect(!result.ok && result.reason).toContain('missing');
  });

  it('when money is not numeric, then the reason names the field and the value', () => {
    const result = parseOrder({ ...minimal, line_items: [{ id: 1, quantity: 1, total: 'ten' }] });
    expect(!result.ok && result.reason).toBe('line_items.0.total: is not a decimal amount (got "ten")');
  });

  it('when billing or shipping is null, then it reads as empty', () => {
    const result = parseOrder({ ...minimal, billing: null, shipping: null });
    expect(result.ok && result.value.shipping.postcode).toBe('');
  });
});

describe('helpers', () => {
  it('when a meta key is present, then its trimmed text is returned', () => {
    expect(metaText([{ key: 'sage_account_code', value: ' joe001 ' }], 'sage_account_code')).toBe('joe001');
    expect(metaText([{ key: 'sage_account_code', value: '' }], 'sage_account_code')).toBeUndefined();
    expect(metaText([], 'x')).toBeUndefined();
  });

  it('when a gmt date has no zone, then it is read as UTC', () => {
    expect(wooGmtToIso('2024-03-31T01:30:00')).toBe('2024-03-31T01:30:00.000Z');
    expect(wooGmtToIso('')).toBeUndefined();
    expect(wooGmtToIso('yesterday')).toBeUndefined();
  });
});
