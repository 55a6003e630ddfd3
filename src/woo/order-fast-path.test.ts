import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateOrder } from '../sandbox/generate-order.ts';
import type { GeneratorConfig } from '../sandbox/generator-config.ts';
import { NOT_PLAIN, parsePlainOrder } from './order-fast-path.ts';
import { orderSchema } from './schemas.ts';

const config: GeneratorConfig = {
  seed: 5,
  orders: 5000,
  customers: 1500,
  startSec: 1_790_000_000,
  secondsPerOrder: 30,
  firstOrderId: 1001,
  pricesIncludeTax: 'mixed',
  origin: 'http://127.0.0.1:1',
  profileMetaKey: 'sage_account_code',
  maxLines: 10,
};
const orderAt = (index: number) => JSON.parse(JSON.stringify(generateOrder(config, index))) as Record<string, unknown>;

/** Every path to a value inside a JSON document. */
function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (typeof value !== 'object' || value === null) return [prefix];
  const keys = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value);
  return [prefix, ...keys.flatMap((k) => paths((value as Record<string | number, unknown>)[k], [...prefix, k]))];
}

function mutate(doc: Record<string, unknown>, path: (string | number)[], change: (current: unknown) => unknown | typeof DELETE): void {
  if (path.length === 0) return;
  let parent: Record<string | number, unknown> = doc;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  const last = path.at(-1)!;
  const next = change(parent[last]);
  if (next === DELETE) {
    if (Array.isArray(parent)) parent.splice(Number(last), 1);
    else delete parent[last];
  } else parent[last] = next;
}
const DELETE = Symbol('delete');

// What a store, a plugin or a broken proxy might put anywhere in a payload.
const replacement = fc.oneof(
  fc.constant(DELETE),
  fc.constantFrom(
    null,
    '',
    ' ',
    '0',
    '12',
    ' 12 ',
    '1.5',
    '-3',
    'abc',
    '1e3',
    0,
    -1,
    1.5,
    12,
    1e-7,
    1e15,
    123456789012345,
    '99999999999999999',
    '0000000000000012.5',
    true,
    false,
    [],
    {},
    [1],
    { a: 1 },
  ),
  fc.string(),
  fc.double(),
  // Free text as WordPress sends it, escaped once (or, from a plugin, not at all).
  fc.constantFrom(
    'Smith &amp; Sons',
    'typed &amp;amp; literally',
    '&lt;b&gt;Ann&lt;/b&gt;',
    'O&#039;Brien',
    'Tea &ndash; 250g',
    'R&D',
    '&para;graph &bogus;',
  ),
);

/** zod's verdict and output, as text (key order included). */
const viaZod = (input: unknown) => {
  const r = orderSchema.safeParse(input);
  return r.success ? JSON.stringify(r.data) : 'rejected';
};

describe('order fast path', () => {
  it('when a generated store order is parsed, then the fast path takes it and gives exactly what zod gives', () => {
    for (let i = 0; i < 300; i++) {
      const raw = orderAt(i);
      const fast = parsePlainOrder(raw);
      expect(fast).not.toBe(NOT_PLAIN);
      expect(JSON.stringify(fast)).toBe(viaZod(raw));
    }
  });

  it('when any value anywhere in an order is changed, removed or mistyped, then the fast path gives zod’s output or steps aside (never accepts what zod rejects)', () => {
    fc.assert(
      fc.property(fc.nat(4999), fc.array(fc.tuple(fc.nat(), replacement), { minLength: 1, maxLength: 3 }), (index, changes) => {
        const raw = orderAt(index);
        for (const [pick, value] of changes) {
          const all = paths(raw).filter((p) => p.length > 0);
          mutate(raw, all[pick % all.length]!, () => value);
        }
        const fast = parsePlainOrder(raw);
        if (fast !== NOT_PLAIN) expect(JSON.stringify(fast)).toBe(viaZod(raw));
      }),
      { numRuns: 3000 },
    );
  });

  it('when the payload is not an object, or has odd keys, then the fast path steps aside', () => {
    for (const raw of [null, 'x', 5, [], JSON.parse('{"__proto__":{"id":1},"id":1,"status":"processing","total":"1.00"}')]) {
      expect(parsePlainOrder(raw)).toBe(NOT_PLAIN);
    }
  });
});
