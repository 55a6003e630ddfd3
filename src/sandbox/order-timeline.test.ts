import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { GeneratorConfig } from './generator-config.ts';
import { baseModifiedSec, orderIdOf } from './generator-config.ts';
import { OrderTimeline, tieKey } from './order-timeline.ts';

const base = (orders: number, secondsPerOrder: number): GeneratorConfig => ({
  seed: 1,
  orders,
  customers: 10,
  startSec: 1_000_000,
  secondsPerOrder,
  firstOrderId: 1001,
  pricesIncludeTax: false,
  origin: 'http://x',
  profileMetaKey: 'k',
});

/** The same listing computed the slow, obvious way. */
function bruteForce(
  config: GeneratorConfig,
  overrides: Map<number, number | undefined>,
  after: number | undefined,
  offset: number,
  limit: number,
  salt: number,
) {
  const rows: Array<{ id: number; sec: number }> = [];
  for (let i = 0; i < config.orders; i++) {
    const id = orderIdOf(config, i);
    if (!overrides.has(id)) rows.push({ id, sec: baseModifiedSec(config, i) });
  }
  for (const [id, sec] of overrides) if (sec !== undefined) rows.push({ id, sec });
  return rows
    .filter((r) => after === undefined || r.sec > after)
    .sort((a, b) => a.sec - b.sec || tieKey(a.id, salt) - tieKey(b.id, salt) || a.id - b.id)
    .slice(offset, offset + limit)
    .map((r) => r.id);
}

describe('order timeline', () => {
  it('when orders are listed by modification with edits, deletions, ties and offsets, then it matches a full sort', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 300 }),
        fc.constantFrom(0.01, 0.3, 1, 7),
        fc.array(fc.tuple(fc.nat(400), fc.option(fc.integer({ min: 999_990, max: 1_000_500 }), { nil: undefined })), { maxLength: 30 }),
        fc.option(fc.integer({ min: 999_995, max: 1_000_400 }), { nil: undefined }),
        fc.nat(320),
        fc.integer({ min: 1, max: 100 }),
        fc.nat(3),
        (orders, spo, edits, after, offset, limit, salt) => {
          const config = base(orders, spo);
          const timeline = new OrderTimeline(config);
          const overrides = new Map<number, number | undefined>();
          for (const [n, sec] of edits) {
            const id = 1001 + 2 * n;
            timeline.setOverride(id, sec);
            overrides.set(id, sec);
          }
          const window = { after };
          expect(timeline.pageByModified(window, offset, limit, salt)).toEqual(bruteForce(config, overrides, after, offset, limit, salt));
          expect(timeline.count(window)).toBe(bruteForce(config, overrides, after, 0, 1e9, salt).length);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('when a salt changes, then tied orders come back in another order, like MySQL ties', () => {
    const timeline = new OrderTimeline(base(50, 0.01));
    expect(timeline.pageByModified({}, 0, 50, 1)).not.toEqual(timeline.pageByModified({}, 0, 50, 2));
    expect([...timeline.pageByModified({}, 0, 50, 1)].sort()).toEqual([...timeline.pageByModified({}, 0, 50, 2)].sort());
  });

  it('when 100,000 orders are paged from deep inside, then the page and the count come from arithmetic, not a scan', () => {
    const timeline = new OrderTimeline(base(100_000, 0.5));
    const page = timeline.pageByModified({ after: 1_040_000 }, 0, 100, 0);
    expect(page[0]).toBe(orderIdOf(base(100_000, 0.5), 80_002));
    expect(page).toHaveLength(100);
    expect(timeline.count({ after: 1_040_000 })).toBe(20_000 - 2);
  });
});
