import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, orderContentHash, rememberedKeyCount } from './content-hash.ts';

const order = {
  id: 5,
  status: 'processing',
  total: '12.00',
  line_items: [{ id: 1, quantity: 2 }],
  date_modified_gmt: '2026-01-01T10:00:00',
};

describe('order content hash', () => {
  it('when only the modification time, the WooCommerce version or the links change, then the hash is the same', () => {
    const touched = { ...order, date_modified: 'x', date_modified_gmt: '2026-01-02T10:00:00', version: '8.0.0', _links: { self: [] } };
    expect(orderContentHash(touched)).toBe(orderContentHash(order));
  });

  it('when keys come in another order, then the hash is the same', () => {
    expect(orderContentHash({ total: '12.00', line_items: [{ quantity: 2, id: 1 }], status: 'processing', id: 5 })).toBe(
      orderContentHash(order),
    );
  });

  it('when anything else changes, then the hash changes', () => {
    expect(orderContentHash({ ...order, status: 'cancelled' })).not.toBe(orderContentHash(order));
    expect(orderContentHash({ ...order, line_items: [{ id: 1, quantity: 1 }] })).not.toBe(orderContentHash(order));
    expect(orderContentHash({ ...order, refunds: [{ id: 9, total: '-1.00' }] })).not.toBe(orderContentHash(order));
  });

  it('when a payload is not an object, then it still hashes (a broken order is stored too)', () => {
    expect(orderContentHash('nope')).toMatch(/^[0-9a-f]{64}$/);
    // Only an object's own volatile fields are left out: anything else hashes as its JSON text.
    const sha = (text: string) => createHash('sha256').update(text).digest('hex');
    expect(orderContentHash('nope')).toBe(sha('"nope"'));
    expect(orderContentHash(null)).toBe(sha('null'));
    expect(orderContentHash(42)).toBe(sha('42'));
    expect(orderContentHash([{ version: '8' }])).toBe(sha('[{"version":"8"}]'));
    expect(canonicalJson([undefined, () => 1])).toBe('[null,null]');
    expect(canonicalJson(undefined)).toBe('null');
    expect(canonicalJson({ b: [1, { d: null, c: undefined }], a: 'x' })).toBe('{"a":"x","b":[1,{"d":null}]}');
  });

  it('when any JSON value is hashed, then the text is exactly the sorted-keys JSON that stored hashes were made with', () => {
    // The first implementation, kept as the reference: a stored hash must never change meaning.
    const reference = (value: unknown): string => {
      if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
      if (Array.isArray(value)) return `[${value.map(reference).join(',')}]`;
      const entries = Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${reference(v)}`).join(',')}}`;
    };
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), fc.dictionary(fc.string(), fc.oneof(fc.jsonValue(), fc.constant(undefined)))), (value) => {
        expect(canonicalJson(value)).toBe(reference(value));
      }),
      { numRuns: 300 },
    );
    // Numbers of every kind print as JSON.stringify prints them (-0 as 0, 1e21 as 1e+21, NaN as null).
    fc.assert(
      fc.property(fc.array(fc.double()), (numbers) => {
        expect(canonicalJson(numbers)).toBe(reference(numbers));
      }),
      { numRuns: 300 },
    );
    // A long key prints right and is not remembered (a 64-character one is).
    const before = rememberedKeyCount();
    expect(canonicalJson({ ['x'.repeat(65)]: 1 })).toBe(`{"${'x'.repeat(65)}":1}`);
    expect(rememberedKeyCount()).toBe(before);
    expect(canonicalJson({ ['y'.repeat(64)]: 1 })).toBe(`{"${'y'.repeat(64)}":1}`);
    expect(rememberedKeyCount()).toBe(before + 1);
    // Keys are remembered only up to a bound: thousands of keys never seen before (a plugin's meta data) still print right.
    const many = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`k"${i}\\\u2028`, i]));
    expect(canonicalJson(many)).toBe(reference(many));
    expect(canonicalJson(many)).toBe(reference(many));
    // Remembered up to exactly the bound: a shop cannot grow it without limit.
    expect(rememberedKeyCount()).toBe(2048);
  });
});
