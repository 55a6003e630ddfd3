import { beforeEach, expect, it } from 'vitest';
import { BIN_CURSOR, readOrdersCursor } from '../src/db/cursor.ts';
import { acquireLease } from '../src/db/leases.ts';
import { fixedClock } from '../src/domain/clock.ts';
import { DEFAULT_SETTINGS } from '../src/settings/schema.ts';
import { selectSettledOrders } from '../src/pipeline/settle.ts';
import { SYNC_LEASE } from '../src/pipeline/run-sync.ts';
import { Rng } from '../src/sandbox/random.ts';
import { startSandbox, type Sandbox } from '../src/sandbox/sandbox.ts';
import { orderContentHash } from '../src/woo/content-hash.ts';
import { resetInbox, syncOnce } from './helpers/sync.ts';
import { describeEachDialect } from './helpers/test-db.ts';

const SINCE = new Date('2026-01-01T00:00:00Z');

async function withSandbox<T>(options: Parameters<typeof startSandbox>[0], fn: (sandbox: Sandbox) => Promise<T>): Promise<T> {
  const sandbox = await startSandbox({ startAt: '2026-01-05T08:00:00Z', ...options });
  try {
    return await fn(sandbox);
  } finally {
    await sandbox.close();
  }
}

describeEachDialect('sync: poll → inbox against the sandbox over HTTP', (ctx) => {
  beforeEach(async () => {
    await resetInbox(ctx().db);
  });

  async function storedPayloads() {
    const rows = await ctx().db('orders').select('id', 'payload');
    return new Map<number, unknown>(rows.map((r: { id: number; payload: string }) => [Number(r.id), JSON.parse(r.payload)]));
  }

  async function arrivalEvents() {
    return ctx().db('order_events').whereNull('from_state').select('order_id');
  }

  it('when orders tie across many pages and change while the sync runs, then each is stored exactly once and the next run brings the latest of each', async () => {
    const { db } = ctx();
    // 250 orders a second: whole pages share one modification second.
    await withSandbox({ seed: 31, orders: 420, secondsPerOrder: 0.004 }, async (sandbox) => {
      const rng = new Rng(99);
      const editedDuringRun = new Set<number>();
      let ordersRequests = 0;
      sandbox.onRequest((info) => {
        if (!info.path.startsWith('/orders') || ++ordersRequests > 8) return;
        for (let k = 0; k < 4; k++) {
          const id = rng.pick(sandbox.store.orderIds());
          sandbox.store.modifyOrder(id, (o) => void (o.status = o.status === 'processing' ? 'completed' : 'processing'));
          editedDuringRun.add(id);
        }
        if (ordersRequests % 3 === 0) editedDuringRun.add(sandbox.store.createOrder());
      });
      const first = await syncOnce({ db, sandbox, since: SINCE });
      expect(first.error).toBeUndefined();
      const stored = await storedPayloads();
      for (const id of sandbox.store.orderIds()) {
        expect(stored.has(id), `order ${id} missing after the first run`).toBe(true);
        if (!editedDuringRun.has(id)) expect(stored.get(id)).toEqual(sandbox.store.getOrder(id));
      }
      expect(first.summary.orders.seen).toBe(stored.size);
      expect(first.summary.orders.new).toBe(stored.size);

      const second = await syncOnce({ db, sandbox });
      expect(second.error).toBeUndefined();
      const latest = await storedPayloads();
      expect(latest.size).toBe(sandbox.store.orderCount());
      for (const id of sandbox.store.orderIds()) expect(latest.get(id), `order ${id}`).toEqual(sandbox.store.getOrder(id));
      expect(await arrivalEvents()).toHaveLength(sandbox.store.orderCount());
    });
  });

  it('when a run fails mid-way, then the cursor stays at the last page stored and a re-run completes without loss or duplicates', async () => {
    const { db } = ctx();
    await withSandbox({ seed: 32, orders: 500, secondsPerOrder: 30 }, async (sandbox) => {
      const fault = sandbox.faults.inject({
        fault: { kind: 'status', status: 500 },
        match: { resource: 'orders' },
        skip: 3,
        times: Infinity,
      });
      const failed = await syncOnce({ db, sandbox, since: SINCE, attempts: 2 });
      expect(failed.error?.code).toBe('WOO_UNAVAILABLE');
      expect(failed.error?.message).toMatch(/the store did not answer GET orders \(HTTP 500.*after 2 attempts/);
      expect(failed.summary.pages).toBe(3);
      const cursor = await readOrdersCursor(db);
      expect(cursor?.modifiedAfter).toBe(failed.summary.cursor.to);
      const storedAfterFailure = await storedPayloads();
      expect(storedAfterFailure.size).toBeGreaterThanOrEqual(290);
      expect(storedAfterFailure.size).toBeLessThan(500);
      // Everything up to the cursor is stored: resuming from it loses nothing.
      const maxStored = (await db('orders').max({ m: 'date_modified' }).first())?.m as string;
      expect(cursor!.modifiedAfter <= maxStored).toBe(true);

      fault.remove();
      const rerun = await syncOnce({ db, sandbox });
      expect(rerun.error).toBeUndefined();
      expect(rerun.summary.orders.new).toBe(500 - storedAfterFailure.size);
      const stored = await storedPayloads();
      expect([...stored.keys()].sort((a, b) => a - b)).toEqual(sandbox.store.orderIds());
      expect(await arrivalEvents()).toHaveLength(500);
    });
  });

  it('when orders are moved to the bin, then each run reads the bin after the listing with its own cursor, and a failed bin read is taken up by the next run', async () => {
    const { db } = ctx();
    await withSandbox({ seed: 35, orders: 50, secondsPerOrder: 30 }, async (sandbox) => {
      const first = await syncOnce({ db, sandbox, since: SINCE });
      expect(first.error).toBeUndefined();
      // An empty bin still moves its cursor up to the listing's.
      expect(await readOrdersCursor(db, BIN_CURSOR)).toEqual(await readOrdersCursor(db));

      const binned = 1001 + 2 * 10;
      sandbox.store.modifyOrder(binned, (o) => void (o.status = 'trash'));
      // The listing's page goes through; every read of the bin fails.
      const fault = sandbox.faults.inject({
        fault: { kind: 'status', status: 500 },
        match: { resource: 'orders' },
        skip: 1,
        times: Infinity,
      });
      const binCursor = await readOrdersCursor(db, BIN_CURSOR);
      const failed = await syncOnce({ db, sandbox, attempts: 2 });
      expect(failed.error?.code).toBe('WOO_UNAVAILABLE');
      expect(await readOrdersCursor(db, BIN_CURSOR)).toEqual(binCursor);
      expect((await db('orders').where({ id: binned }).first()).status).not.toBe('trash');

      fault.remove();
      const rerun = await syncOnce({ db, sandbox });
      expect(rerun.error).toBeUndefined();
      expect(await db('orders').where({ id: binned }).first()).toMatchObject({ status: 'trash', state: 'waiting' });
      expect(rerun.summary.orders).toMatchObject({ new: 0, changed: 1 }); // and the overlap re-read unchanged
      // The bin's cursor is its own: past the binned order (modified now), ahead of the listing's.
      const [bin, listing] = [await readOrdersCursor(db, BIN_CURSOR), await readOrdersCursor(db)];
      expect(bin!.modifiedAfter >= listing!.modifiedAfter).toBe(true);
      expect(Date.parse(bin!.modifiedAfter)).toBe(
        Date.parse(String((sandbox.store.getOrder(binned) as { date_modified_gmt: string }).date_modified_gmt) + 'Z') - 1000,
      );
    });
  });

  it('when one order is malformed, then it is held naming the field and value, its neighbours go on, and one without an id is reported as skipped', async () => {
    const { db } = ctx();
    await withSandbox({ seed: 33, orders: 120, secondsPerOrder: 30 }, async (sandbox) => {
      const bad = 1001 + 2 * 60;
      sandbox.store.setOrderRaw(bad, { ...(sandbox.store.getOrder(bad) as object), total: 'ten pounds' });
      const noId = 1001 + 2 * 70;
      sandbox.store.setOrderRaw(noId, { ...(sandbox.store.getOrder(noId) as object), id: 'abc' });
      const { summary, error } = await syncOnce({ db, sandbox, since: SINCE });
      expect(error).toBeUndefined();
      const held = await db('orders').where({ id: bad }).first();
      expect(held).toMatchObject({ state: 'held', status: String((sandbox.store.getOrder(bad) as { status: string }).status) });
      expect(held.last_error).toBe(`order ${bad} cannot be used: total: is not a decimal amount (got "ten pounds")`);
      for (const neighbour of [bad - 2, bad + 2]) expect((await db('orders').where({ id: neighbour }).first())?.state).toBe('waiting');
      expect(await db('orders').where({ id: noId }).first()).toBeUndefined();
      expect(summary.orders).toMatchObject({ seen: 119, new: 119, held: 1, waiting: 118, skipped: 1 });
      expect(summary.problems.map((p) => p.reason)).toEqual(
        expect.arrayContaining([
          expect.stringContaining('has no usable id, skipped: id: must be a positive whole number (got "abc")'),
          held.last_error,
        ]),
      );
    });
  });

  it('when the keys are wrong, then the run stops with a message that says so, stores nothing and leaves the cursor', async () => {
    const { db } = ctx();
    await withSandbox({ seed: 34, orders: 50 }, async (sandbox) => {
      await syncOnce({ db, sandbox, since: SINCE });
      const cursor = await readOrdersCursor(db);
      sandbox.store.createOrder();
      const { error, summary } = await syncOnce({ db, sandbox, consumerSecret: 'cs_not_the_secret' });
      expect(error?.code).toBe('WOO_AUTH_REFUSED');
      expect(error?.message).toMatch(
        /^the store refused our API keys for GET orders \(HTTP 401 .*check WOO_CONSUMER_KEY and WOO_CONSUMER_SECRET/,
      );
      expect(JSON.stringify(summary)).not.toContain(sandbox.consumerSecret);
      expect(JSON.stringify(summary)).not.toContain('cs_not_the_secret');
      expect(await readOrdersCursor(db)).toEqual(cursor);
      expect(await db('orders').count({ n: '*' }).first()).toMatchObject({ n: 50 });
    });
  });

  it('when 500 orders are read, then it takes at most 25 store requests per 1,000 orders', async () => {
    const { db } = ctx();
    await withSandbox({ seed: 35, orders: 500 }, async (sandbox) => {
      const { summary, error } = await syncOnce({ db, sandbox, since: SINCE });
      expect(error).toBeUndefined();
      const perThousand = (summary.storeRequests / summary.orders.seen) * 1000;
      expect(summary.storeRequests).toBe(sandbox.requests.total);
      expect(perThousand, `${summary.storeRequests} requests for ${summary.orders.seen} orders`).toBeLessThanOrEqual(25);
    });
  });

  it('when orders change, then before export they are re-evaluated, after export flagged with what changed, and a time-only change is nothing', async () => {
    const { db } = ctx();
    await withSandbox({ seed: 36, orders: 30, secondsPerOrder: 60 }, async (sandbox) => {
      await syncOnce({ db, sandbox, since: SINCE });
      const [a, b, c] = [1001, 1003, 1005];
      await db('orders').where({ id: a }).update({ state: 'held', last_error: 'no account', decision: '{"rule":"NONE"}', rule: 'NONE' });
      const exportedHash = (await db('orders').where({ id: b }).first('content_hash')).content_hash;
      await db('orders')
        .where({ id: b })
        .update({ state: 'delivered', exported_hash: exportedHash, rule: 'EXISTING', account_code: 'JONES01' });
      const cBefore = await db('orders').where({ id: c }).first();
      const eventsBefore = (await db('order_events').where({ order_id: c })).length;

      const statusOfB = String((sandbox.store.getOrder(b) as { status: string }).status);
      sandbox.store.modifyOrder(a, (o) => void (o.billing = { ...(o.billing as object), email: 'new@example.com' }));
      sandbox.store.modifyOrder(b, (o) => {
        o.status = 'cancelled';
        o.refunds = [{ id: 777, reason: 'Damaged', total: `-${String(o.total)}` }];
      });
      sandbox.store.modifyOrder(c, () => undefined);
      const { summary } = await syncOnce({ db, sandbox });

      expect(await db('orders').where({ id: a }).first()).toMatchObject({ state: 'waiting', last_error: null, decision: null, rule: null });
      const flagged = await db('orders').where({ id: b }).first();
      expect(flagged).toMatchObject({ state: 'delivered', account_code: 'JONES01', exported_hash: exportedHash });
      expect(Boolean(Number(flagged.changed_after_export))).toBe(true);
      expect(flagged.change_summary).toContain(`status ${statusOfB} → cancelled`);
      expect(flagged.change_summary).toMatch(/refund #777 added: -\d+\.\d\d \(Damaged\)/);
      expect(flagged.content_hash).toBe(orderContentHash(sandbox.store.getOrder(b)));
      const cAfter = await db('orders').where({ id: c }).first();
      expect(cAfter).toEqual(cBefore);
      expect((await db('order_events').where({ order_id: c })).length).toBe(eventsBefore);
      const history = await db('order_events').where({ order_id: a }).orderBy('id');
      expect(history.at(-1)).toMatchObject({ from_state: 'held', to_state: 'waiting', reason: expect.stringContaining('billing email') });
      expect(summary.orders).toMatchObject({ changed: 2, changedAfterExport: 1 });
    });
  });

  it('when logged-in buyers order, then their profiles are stored with the trimmed code, and only settled orders in import statuses are selected', async () => {
    const { db } = ctx();
    await withSandbox({ seed: 37, orders: 200, customers: 150, secondsPerOrder: 60 }, async (sandbox) => {
      const { summary } = await syncOnce({ db, sandbox, since: SINCE });
      const customerIds = (await db('orders').where('customer_id', '>', 0).distinct('customer_id')).map((r: { customer_id: number }) =>
        Number(r.customer_id),
      );
      expect(summary.customers.fetched).toBe(customerIds.length);
      const stored = await db('woo_customers').select('id', 'profile_code', 'email');
      expect(stored).toHaveLength(customerIds.length);
      for (const row of stored) {
        const facts = sandbox.store.customerFacts(Number(row.id));
        expect(row.profile_code).toBe(facts.profileCode?.trim() ?? null);
        expect(row.email).toBe(facts.identity.email.toLowerCase());
      }
      expect(stored.some((r: { profile_code: string | null }) => r.profile_code && r.profile_code !== r.profile_code.toUpperCase())).toBe(
        true,
      );
      expect(await db('orders').where({ customer_pending: true }).count({ n: '*' }).first()).toMatchObject({ n: 0 });

      const lastModified = Date.parse('2026-01-05T08:00:00Z') + 199 * 60_000;
      const settings = { ...DEFAULT_SETTINGS, settleMinutes: 60 };
      const all = await selectSettledOrders(db, settings, fixedClock(new Date(lastModified + 61 * 60_000)), 1000);
      const expected = sandbox.store
        .orderIds()
        .filter((id) => ['processing', 'completed'].includes(String((sandbox.store.getOrder(id) as { status: string }).status)));
      expect(all.map((o) => o.id).sort((x, y) => x - y)).toEqual(expected);
      const early = await selectSettledOrders(db, settings, fixedClock(new Date(lastModified - 60 * 60_000)), 1000);
      expect(early.length).toBeLessThan(all.length);
      expect(early.every((o) => o.dateModified <= new Date(lastModified - 120 * 60_000).toISOString())).toBe(true);
      const waitingForProfile = all.find((o) => o.customerId > 0)!;
      await db('orders').where({ id: waitingForProfile.id }).update({ customer_pending: true });
      const withoutIt = await selectSettledOrders(db, settings, fixedClock(new Date(lastModified + 61 * 60_000)), 1000);
      expect(withoutIt.map((o) => o.id)).not.toContain(waitingForProfile.id);
      expect(all[0]).toMatchObject({ state: 'waiting', payload: expect.objectContaining({ id: all[0]!.id }) });
    });
  });

  it('when a run fails before the buyers’ profiles are fetched, then those orders wait for them, and the next run fetches them', async () => {
    const { db } = ctx();
    await withSandbox({ seed: 38, orders: 60, customers: 30, secondsPerOrder: 60 }, async (sandbox) => {
      const fault = sandbox.faults.inject({ fault: { kind: 'reset' }, match: { resource: 'customers' }, times: Infinity });
      const failed = await syncOnce({ db, sandbox, since: SINCE, attempts: 2 });
      expect(failed.error?.code).toBe('WOO_UNAVAILABLE');
      const pending = await db('orders').where({ customer_pending: true }).count({ n: '*' }).first();
      expect(Number(pending?.n)).toBeGreaterThan(0);
      const settled = await selectSettledOrders(db, DEFAULT_SETTINGS, fixedClock('2027-01-01T00:00:00Z'), 1000);
      expect(settled.every((o) => o.customerId === 0)).toBe(true);
      fault.remove();
      const rerun = await syncOnce({ db, sandbox });
      expect(rerun.summary.orders.new).toBe(0);
      expect(rerun.summary.customers.fetched).toBeGreaterThan(0);
      expect(await db('orders').where({ customer_pending: true }).count({ n: '*' }).first()).toMatchObject({ n: 0 });
    });
  });

  it('when the database holds another store’s orders, or a first sync has no start date, then it refuses and says why', async () => {
    const { db } = ctx();
    await withSandbox({ seed: 39, orders: 10 }, async (sandbox) => {
      const first = await syncOnce({ db, sandbox });
      expect(first.error?.code).toBe('FIRST_SYNC_NEEDS_SINCE');
      expect(first.error?.message).toContain('--since');
      await syncOnce({ db, sandbox, since: SINCE });
      const other = await syncOnce({ db, sandbox, extra: { storeId: 'https://another-shop.example' } });
      expect(other.error?.code).toBe('STORE_MISMATCH');
      expect(other.error?.message).toContain(sandbox.url);
    });
  });

  it('when another sync holds the lease, then this one does nothing and says so', async () => {
    const { db } = ctx();
    await withSandbox({ seed: 40, orders: 10 }, async (sandbox) => {
      expect(await acquireLease(db, { name: SYNC_LEASE, owner: 'other-host:1', ttlMs: 60_000, now: new Date() })).toBe(true);
      const { error } = await syncOnce({ db, sandbox, since: SINCE });
      expect(error?.code).toBe('SYNC_RUNNING');
      expect(error?.message).toContain('other-host:1');
      expect(sandbox.requests.total).toBe(0);
    });
  });
});
