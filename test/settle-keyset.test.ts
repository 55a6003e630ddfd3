import { expect, it } from 'vitest';
import { fixedClock } from '../src/domain/clock.ts';
import { selectSettledOrders } from '../src/pipeline/settle.ts';
import { DEFAULT_SETTINGS } from '../src/settings/schema.ts';
import { insertOrderRow } from './helpers/factories.ts';
import { describeEachDialect } from './helpers/test-db.ts';

describeEachDialect('settled orders, page by page', (ctx) => {
  it('when settled orders are read in pages after the last one read, then each comes once, oldest first, ties by id, whatever their state meanwhile', async () => {
    const { db } = ctx();
    const times = [
      '2026-01-01T10:00:00.000Z',
      '2026-01-01T10:00:00.000Z',
      '2026-01-01T09:00:00.000Z',
      '2026-01-01T10:00:00.000Z',
      '2026-01-01T11:00:00.000Z',
    ];
    const ids = [5005, 5001, 5009, 5003, 5002];
    for (const [i, id] of ids.entries()) await insertOrderRow(db, { id, state: 'waiting', date_modified: times[i] });
    await insertOrderRow(db, { id: 5004, state: 'waiting', date_modified: times[0], customer_pending: true });
    const clock = fixedClock('2026-01-02T00:00:00.000Z');
    const read: number[] = [];
    let after: { id: number; dateModified: string } | undefined;
    for (;;) {
      const page = await selectSettledOrders(db, DEFAULT_SETTINGS, clock, 2, after);
      if (page.length === 0) break;
      read.push(...page.map((o) => o.id));
      // What a page did to its orders does not move the next page.
      await db('orders')
        .whereIn(
          'id',
          page.map((o) => o.id),
        )
        .update({ state: 'queued' });
      after = page.at(-1);
    }
    expect(read).toEqual([5009, 5001, 5003, 5005, 5002]);
  });

  it('when orders stay waiting between pages and share a modification time, then the id tie-break alone moves paging on: each comes once', async () => {
    const { db } = ctx();
    await db('orders').delete();
    const tie = '2026-01-01T10:00:00.000Z';
    const ids = [6007, 6003, 6005, 6001, 6009];
    for (const id of ids) await insertOrderRow(db, { id, state: 'waiting', date_modified: tie });
    await insertOrderRow(db, { id: 6002, state: 'waiting', date_modified: '2026-01-01T10:00:00.001Z' });
    const clock = fixedClock('2026-01-02T00:00:00.000Z');
    const read: number[] = [];
    let after: { id: number; dateModified: string } | undefined;
    for (let pages = 0; pages < 10; pages += 1) {
      // Nothing moves the orders on: every page is read from the same, unchanged rows.
      const page = await selectSettledOrders(db, DEFAULT_SETTINGS, clock, 2, after);
      if (page.length === 0) break;
      read.push(...page.map((o) => o.id));
      after = page.at(-1);
    }
    expect(read).toEqual([6001, 6003, 6005, 6007, 6009, 6002]);
  });

  it('when an order changed exactly settleMinutes ago, then it is settled; one millisecond later it is not', async () => {
    const { db } = ctx();
    await db('orders').delete();
    const now = '2026-01-01T12:00:00.000Z';
    await insertOrderRow(db, { id: 7001, state: 'waiting', date_modified: '2026-01-01T11:00:00.000Z' });
    await insertOrderRow(db, { id: 7002, state: 'waiting', date_modified: '2026-01-01T11:00:00.001Z' });
    const settled = await selectSettledOrders(db, { ...DEFAULT_SETTINGS, settleMinutes: 60 }, fixedClock(now), 10);
    expect(settled.map((o) => o.id)).toEqual([7001]);
  });

  it('when orders are received or waiting, in any order of arrival, then both settle, oldest modification first, each as the inbox holds it', async () => {
    const { db } = ctx();
    await db('orders').delete();
    // Ids run against modification times, and the states alternate: only the query's order holds.
    await insertOrderRow(db, { id: 8004, state: 'received', date_modified: '2026-01-01T08:00:00.000Z', billing_email: 'ann@example.com' });
    await insertOrderRow(db, { id: 8003, state: 'waiting', date_modified: '2026-01-01T08:30:00.000Z', billing_email: null });
    await insertOrderRow(db, { id: 8002, state: 'received', date_modified: '2026-01-01T09:00:00.000Z' });
    await insertOrderRow(db, { id: 8001, state: 'waiting', date_modified: '2026-01-01T09:30:00.000Z', customer_id: 77 });
    await insertOrderRow(db, { id: 8000, state: 'held', date_modified: '2026-01-01T07:00:00.000Z' });
    const settled = await selectSettledOrders(db, DEFAULT_SETTINGS, fixedClock('2026-01-02T00:00:00.000Z'), 10);
    expect(settled.map((o) => [o.id, o.state])).toEqual([
      [8004, 'received'],
      [8003, 'waiting'],
      [8002, 'received'],
      [8001, 'waiting'],
    ]);
    expect(settled[0]).toMatchObject({
      status: 'processing',
      billingEmail: 'ann@example.com',
      dateModified: '2026-01-01T08:00:00.000Z',
      contentHash: 'hash-8004',
      payload: { id: 8004, status: 'processing', total: '12.00' },
    });
    expect(settled[1]!.billingEmail).toBeNull();
    expect(settled[3]!.customerId).toBe(77);
  });
});
