import { describe, expect, it } from 'vitest';
import { fixedClock } from '../domain/clock.ts';
import type { GeneratorConfig } from '../sandbox/generator-config.ts';
import { Rng } from '../sandbox/random.ts';
import { SandboxStore } from '../sandbox/store.ts';
import type { OrdersPage, OrdersPageQuery } from './client.ts';
import { WooUnsupportedStoreError } from './errors.ts';
import { pageOrdersByModified } from './order-pager.ts';

const START = Date.parse('2026-02-01T09:00:00Z') / 1000;

function shop(orders: number, secondsPerOrder: number) {
  const clock = fixedClock('2026-02-02T00:00:00Z');
  const config: GeneratorConfig = {
    seed: 5,
    orders,
    customers: 50,
    startSec: START,
    secondsPerOrder,
    firstOrderId: 1001,
    pricesIncludeTax: 'mixed',
    origin: 'http://x',
    profileMetaKey: 'sage_account_code',
  };
  return { store: new SandboxStore(config, clock), clock };
}

/** A store answering like the REST endpoint, with ties in random order and a hook before each answer. */
function source(store: SandboxStore, clock: ReturnType<typeof fixedClock>, before: (call: number, q: OrdersPageQuery) => void) {
  const calls: OrdersPageQuery[] = [];
  return {
    calls,
    async fetchOrdersPage(q: OrdersPageQuery): Promise<OrdersPage> {
      calls.push(q);
      before(calls.length, q);
      clock.advance(1000);
      const page = store.listOrders({
        window: { after: q.modifiedAfter.getTime() / 1000, before: q.modifiedBefore ? q.modifiedBefore.getTime() / 1000 : undefined },
        orderby: q.orderby,
        order: 'asc',
        offset: (q.page - 1) * q.perPage,
        limit: q.perPage,
        tieSalt: calls.length,
      });
      return { items: page.items, total: page.total, totalPages: Math.ceil(page.total / q.perPage), serverTime: clock.now() };
    },
  };
}

async function collect(src: Parameters<typeof pageOrdersByModified>[0], after = new Date((START - 10) * 1000)) {
  const seen = new Map<number, string[]>();
  for await (const batch of pageOrdersByModified(src, { after, sleep: async () => undefined })) {
    for (const raw of batch.items as Array<Record<string, unknown>>) {
      seen.set(Number(raw.id), [...(seen.get(Number(raw.id)) ?? []), JSON.stringify(raw)]);
    }
  }
  return seen;
}

/** Edits a few orders now and then, some already read, some not yet, some inside a tied second. */
function editor(store: SandboxStore, seed: number, untilCall: number) {
  const rng = new Rng(seed);
  return (call: number) => {
    if (call > untilCall) return;
    for (let k = 0; k < 3; k++) {
      const id = rng.pick(store.orderIds());
      store.modifyOrder(id, (o) => {
        o.customer_note = `edit ${call}.${k}`;
      });
    }
    if (call % 4 === 0) store.createOrder();
  };
}

describe('paging orders by modification time', () => {
  it('when orders tie across many pages and are edited and created while being read, then every order’s latest version is read', async () => {
    for (const seed of [1, 2, 3, 4]) {
      // 0.004 s per order: 250 orders share each second, so whole pages tie.
      const { store, clock } = shop(700, seed % 2 ? 0.004 : 0.3);
      const src = source(store, clock, editor(store, seed, 12));
      const seen = await collect(src);
      for (const id of store.orderIds()) {
        const versions = seen.get(id);
        expect(versions, `order ${id} was never read (seed ${seed})`).toBeDefined();
        expect(versions).toContain(JSON.stringify(store.getOrder(id)));
      }
      expect(seen.size).toBe(store.orderCount());
    }
  });

  it('when tied orders leave their second while it is read page by page, then the second is read again and nothing is skipped', async () => {
    const { store, clock } = shop(450, 0.001);
    const src = source(store, clock, (_call, q) => {
      // During the tied-second pass, edit orders with low ids: the ones after them shift down a page.
      if (q.orderby === 'id' && q.page === 2 && !store.isEdited(1001)) {
        for (const id of [1001, 1003, 1005]) store.modifyOrder(id, (o) => void (o.customer_note = 'moved'));
      }
    });
    const seen = await collect(src);
    expect(seen.size).toBe(450);
    const tiePasses = src.calls.filter((c) => c.orderby === 'id' && c.page === 1).length;
    expect(tiePasses).toBeGreaterThan(1);
  });

  it('when pages are read by page number instead, then the same edits make orders go missing (why the pager does not)', async () => {
    const { store, clock } = shop(450, 0.3);
    const src = source(store, clock, editor(store, 9, 3));
    const seen = new Set<number>();
    for (let page = 1; ; page++) {
      const { items } = await src.fetchOrdersPage({
        modifiedAfter: new Date((START - 10) * 1000),
        orderby: 'modified',
        page,
        perPage: 100,
      });
      for (const raw of items as Array<{ id: number }>) seen.add(raw.id);
      if (items.length < 100) break;
    }
    expect(store.orderIds().filter((id) => !seen.has(id)).length).toBeGreaterThan(0);
  });

  it('when the store ignores modified_after or the ordering, then paging stops with a clear error', async () => {
    const { store, clock } = shop(300, 1);
    const ignoring = {
      async fetchOrdersPage(q: OrdersPageQuery): Promise<OrdersPage> {
        const page = store.listOrders({
          window: {},
          orderby: 'modified',
          order: 'asc',
          offset: (q.page - 1) * q.perPage,
          limit: q.perPage,
          tieSalt: 0,
        });
        return { items: page.items, total: page.total, totalPages: 3, serverTime: clock.now() };
      },
    };
    await expect(collect(ignoring, new Date((START + 150) * 1000))).rejects.toThrow(/ignores modified_after/);
    const unordered = {
      async fetchOrdersPage(q: OrdersPageQuery): Promise<OrdersPage> {
        const page = store.listOrders({ window: {}, orderby: 'modified', order: 'desc', offset: 0, limit: q.perPage, tieSalt: 0 });
        return { items: page.items, total: page.total, totalPages: 3, serverTime: clock.now() };
      },
    };
    await expect(collect(unordered)).rejects.toBeInstanceOf(WooUnsupportedStoreError);
  });

  it('when a full page ties on the store’s current second, then it waits for that second to pass before reading it by id', async () => {
    const { store, clock } = shop(150, 0.001);
    clock.set(new Date(START * 1000 + 300));
    const slept: number[] = [];
    const src = {
      async fetchOrdersPage(q: OrdersPageQuery): Promise<OrdersPage> {
        const page = store.listOrders({
          window: { after: q.modifiedAfter.getTime() / 1000, before: q.modifiedBefore ? q.modifiedBefore.getTime() / 1000 : undefined },
          orderby: q.orderby,
          order: 'asc',
          offset: (q.page - 1) * q.perPage,
          limit: q.perPage,
          tieSalt: 1,
        });
        return { items: page.items, total: page.total, totalPages: 2, serverTime: clock.now() };
      },
    };
    const seen = new Set<number>();
    const sleep = async (ms: number) => {
      slept.push(ms);
      clock.advance(ms);
    };
    for await (const batch of pageOrdersByModified(src, { after: new Date((START - 10) * 1000), sleep })) {
      for (const raw of batch.items as Array<{ id: number }>) seen.add(raw.id);
    }
    expect(slept).toHaveLength(1);
    expect(slept[0]).toBeGreaterThan(1000);
    expect(slept[0]).toBeLessThanOrEqual(5000);
    expect(seen.size).toBe(150);
  });

  it('when a batch is stored, then its resume point never passes an order not yet read', async () => {
    const { store, clock } = shop(500, 0.5);
    const src = source(store, clock, () => undefined);
    const read = new Set<number>();
    for await (const batch of pageOrdersByModified(src, { after: new Date((START - 10) * 1000) })) {
      for (const raw of batch.items as Array<{ id: number }>) read.add(raw.id);
      const resume = batch.resumeAfter.getTime() / 1000;
      const unreadBefore = store.orderIds().filter((id) => !read.has(id) && store.timeline.secondOf(id)! <= resume);
      expect(unreadBefore).toEqual([]);
    }
  });
});
