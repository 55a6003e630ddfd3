import { describe, expect, it } from 'vitest';
import { generateOrder } from '../sandbox/generate-order.ts';
import type { GeneratorConfig } from '../sandbox/generator-config.ts';
import { sameForSage } from './sage-projection.ts';

type Json = Record<string, any>;
const config: GeneratorConfig = {
  seed: 5,
  orders: 50,
  customers: 20,
  startSec: Date.parse('2026-09-01T20:00:00Z') / 1000,
  secondsPerOrder: 60,
  firstOrderId: 1001,
  pricesIncludeTax: false,
  origin: 'http://127.0.0.1:1',
  profileMetaKey: 'sage_account_code',
};
/** An order with shipping, a fee-free basket of at least one line. */
const base = (): Json => {
  for (let i = 0; ; i++) {
    const o = generateOrder(config, i) as Json;
    if (o.shipping_lines.length > 0 && o.line_items.length > 1) return o;
  }
};
const edit = (mutate: (o: Json) => void): Json => {
  const o = structuredClone(base());
  mutate(o);
  return o;
};
const same = (after: Json) => sameForSage(base(), after, 'sage_account_code');

describe('the Sage-relevant projection of an order', () => {
  it('when a store-wide setting rewrites fields of an untouched order without changing the sale, then nothing Sage holds differs', () => {
    const rewrites: Array<[string, (o: Json) => void]> = [
      ['prices include tax switched', (o) => void (o.prices_include_tax = !o.prices_include_tax)],
      ['display price per line', (o) => o.line_items.forEach((l: Json) => (l.price = l.price * 1.2))],
      ['amounts written with more decimals', (o) => o.line_items.forEach((l: Json) => (l.total = `${l.total}0000`))],
      ['a number instead of text', (o) => void (o.total = Number(o.total))],
      ['item meta display values', (o) => o.shipping_lines.forEach((l: Json) => (l.meta_data = [{ key: 'Items', value: 'x' }]))],
      ['saved again', (o) => Object.assign(o, { date_modified: '2027-01-01T00:00:00', version: '8.0.0', cart_hash: 'x', _links: {} })],
      ['time of day of the books day', (o) => void (o.date_created = `${o.date_created.slice(0, 10)}T00:00:01`)],
      ['other plugins meta', (o) => o.meta_data.push({ id: 9, key: 'tracking_number', value: 'AB123' })],
    ];
    for (const [what, mutate] of rewrites) expect(same(edit(mutate)), what).toBe(true);
  });

  it('when anything a Sage document is made of changes, then it differs', () => {
    const changes: Array<[string, (o: Json) => void]> = [
      ['status', (o) => void (o.status = o.status === 'cancelled' ? 'processing' : 'cancelled')],
      ['total', (o) => void (o.total = '999.99')],
      ['VAT', (o) => void (o.total_tax = '0.01')],
      ['a quantity', (o) => void (o.line_items[0].quantity += 1)],
      ['a line total', (o) => void (o.line_items[0].total = '0.01')],
      ['a line added', (o) => o.line_items.push({ ...o.line_items[0], id: 999 })],
      ['a line removed', (o) => o.line_items.pop()],
      ['a SKU', (o) => void (o.line_items[0].sku = 'OTHER')],
      ['shipping', (o) => void (o.shipping_lines[0].total = '99.00')],
      ['a fee', (o) => o.fee_lines.push({ id: 5, name: 'Wrap', total: '1.00', total_tax: '0.20' })],
      ['a coupon', (o) => o.coupon_lines.push({ code: 'SAVE', discount: '1.00', discount_tax: '0' })],
      ['a refund', (o) => o.refunds.push({ id: 77, total: '-1.00', reason: '' })],
      ['the customer', (o) => void (o.customer_id = 4242)],
      ['the billing email', (o) => void (o.billing.email = 'someone.else@example.com')],
      ['the billing address', (o) => void (o.billing.address_1 = '2 New Street')],
      ['the delivery address', (o) => void (o.shipping.postcode = 'ZZ1 1ZZ')],
      ['the note', (o) => void (o.customer_note = 'Leave at the back')],
      ['the profile code', (o) => o.meta_data.push({ id: 8, key: 'sage_account_code', value: 'NEW01' })],
      ['the payment', (o) => void (o.transaction_id = 'pi_other')],
      ['the books day', (o) => void (o.date_created = '2020-01-01T12:00:00')],
      ['the currency', (o) => void (o.currency = 'EUR')],
      ['a tax rate', (o) => void (o.line_items[0].taxes = [{ id: 99, total: '0', subtotal: '0' }])],
    ];
    for (const [what, mutate] of changes) expect(same(edit(mutate)), what).toBe(false);
  });

  it('when a payload is hostile (not an object, lists that are not lists, odd amounts), then it is compared without throwing', () => {
    for (const bad of [null, 'x', [], { line_items: 'x', total: { a: 1 }, billing: null, __proto__: { total: 1 } }])
      expect(() => sameForSage(bad, base(), 'sage_account_code')).not.toThrow();
    expect(sameForSage({ total: 'abc' }, { total: 'abd' }, 'k')).toBe(false);
  });
});
