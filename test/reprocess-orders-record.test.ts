import { expect, it } from 'vitest';
import { listAudit } from '../src/db/audit-log.ts';
import { creditNoteJobKey, salesOrderJobKey } from '../src/db/export-jobs.ts';
import { listOrderEvents } from '../src/db/order-events.ts';
import { reprocessOrders } from '../src/pipeline/reprocess-orders.ts';
import { settingsSchema, type Settings } from '../src/settings/schema.ts';
import { insertExportJob } from './helpers/factories.ts';
import { seedOrder, testClock } from './helpers/outbox.ts';
import { processedOrder, reprocessOptions, STRICT, WITH_DEFAULT } from './helpers/reprocess.ts';
import { describeEachDialect } from './helpers/test-db.ts';

const strict = STRICT;
const withDefault = WITH_DEFAULT;

/** What a reprocess records (audit, history) and which orders it picks. */
describeEachDialect('reprocessOrders, what it picks and records', (ctx) => {
  const options = reprocessOptions;

  const processed = (settings: Settings, seedOptions: Parameters<typeof seedOrder>[1] = {}) =>
    processedOrder(ctx().db, settings, seedOptions);

  it('when several orders are reprocessed, then one audit entry records the selection, the reason, how many and the outcomes; a single order is its subject', async () => {
    const { db } = ctx();
    await db('orders').whereIn('state', ['held', 'failed']).update({ state: 'imported' });
    const held = await processed(strict);
    const failed = await processed(withDefault);
    await db('orders').where({ id: failed.orderId }).update({ state: 'failed', last_error: 'Sage import failed' });
    await db('export_jobs').where({ order_id: failed.orderId }).update({ state: 'failed' });
    const ids = [held.orderId, 999_999_999];
    await reprocessOrders(db, { ids, allFailed: true, held: true }, options(withDefault, { reason: 'after the fix' }));
    const [entry] = await listAudit(db, { action: 'orders.reprocess' });
    expect(entry).toMatchObject({
      actor: 'ann',
      subject: 'orders',
      at: testClock().now().toISOString(),
      details: {
        selection: { ids, allFailed: true, held: true },
        reason: 'after the fix',
        orders: 3,
        outcomes: { queued: 2, 'not-found': 1 },
      },
    });
    await reprocessOrders(db, { ids: [held.orderId, held.orderId] }, options(withDefault));
    const [single] = await listAudit(db, { action: 'orders.reprocess' });
    expect(single).toMatchObject({
      subject: `order.${held.orderId}`,
      details: {
        selection: { ids: [held.orderId, held.orderId], allFailed: false, held: false },
        reason: null,
        orders: 1,
        outcomes: { queued: 1 },
      },
    });
    // A selection without ids is recorded with none.
    await processed(strict);
    await reprocessOrders(db, { held: true }, options(withDefault));
    expect((await listAudit(db, { action: 'orders.reprocess' }))[0]!.details).toMatchObject({
      selection: { ids: [], allFailed: false, held: true },
    });
    // The audit keeps the first 50 ids of a long list.
    const many = Array.from({ length: 51 }, (_, i) => 900_000_000 + i);
    await reprocessOrders(db, { ids: many }, options(withDefault));
    expect((await listAudit(db, { action: 'orders.reprocess' }))[0]!.details).toMatchObject({
      selection: { ids: many.slice(0, 50) },
      orders: 51,
    });
    // Without a reason the history names who asked, and nothing in brackets.
    expect((await listOrderEvents(db, held.orderId)).at(-2)!.reason).toMatch(/^reprocess requested by ann; status "processing", settled/);
  });

  it('when nothing matches, or it is a dry run, then no audit entry is written', async () => {
    const { db } = ctx();
    await db('orders').whereIn('state', ['held', 'failed']).update({ state: 'imported' });
    const before = await listAudit(db, { action: 'orders.reprocess' });
    expect(await reprocessOrders(db, { allFailed: true, held: true }, options(withDefault))).toEqual({
      dryRun: false,
      results: [],
      more: false,
    });
    const held = await processed(strict);
    await reprocessOrders(db, { ids: [held.orderId] }, options(withDefault, { dryRun: true }));
    expect(await listAudit(db, { action: 'orders.reprocess' })).toEqual(before);
  });

  it('when named orders and every held one are asked for, then the named come first, each order once, held ones in id order, and the limit counts them all', async () => {
    const { db } = ctx();
    await db('orders').whereIn('state', ['held', 'failed']).update({ state: 'imported' });
    const a = await processed(strict);
    const b = await processed(strict);
    const c = await processed(strict);
    const d = await processed(withDefault);
    await db('orders').where({ id: d.orderId }).update({ state: 'failed' });
    // Failed and held together: in id order, not grouped by state.
    const both = await reprocessOrders(db, { allFailed: true, held: true }, options(strict, { dryRun: true }));
    expect(both.results.map((r) => r.orderId)).toEqual([a.orderId, b.orderId, c.orderId, d.orderId]);
    await db('orders').where({ id: d.orderId }).update({ state: 'imported' });
    const all = await reprocessOrders(db, { ids: [c.orderId, c.orderId], held: true }, options(strict, { dryRun: true }));
    expect(all.results.map((r) => r.orderId)).toEqual([c.orderId, a.orderId, b.orderId]);
    expect(all.more).toBe(false);
    const two = await reprocessOrders(db, { ids: [c.orderId], held: true }, options(strict, { dryRun: true, limit: 2 }));
    expect(two).toMatchObject({ more: true, results: [{ orderId: c.orderId }, { orderId: a.orderId }] });
    // The named order is among the held ones: it still counts once, and the limit still finds more.
    const named = await reprocessOrders(db, { ids: [a.orderId], held: true }, options(strict, { dryRun: true, limit: 1 }));
    expect(named).toMatchObject({ more: true, results: [{ orderId: a.orderId }] });
    const exact = await reprocessOrders(db, { held: true }, options(strict, { dryRun: true, limit: 3 }));
    expect(exact.more).toBe(false);
    expect(exact.results).toHaveLength(3);
  });

  it('when a waiting order without an error is reprocessed, then its history still records who asked, once', async () => {
    const { db } = ctx();
    const seeded = await seedOrder(db);
    await db('orders').where({ id: seeded.orderId }).update({ state: 'waiting', status: 'on-hold' });
    const report = await reprocessOrders(db, { ids: [seeded.orderId] }, options(withDefault, { reason: 'checking' }));
    expect(report.results[0]).toMatchObject({ outcome: 'waiting', from: 'waiting', to: 'waiting' });
    const events = await listOrderEvents(db, seeded.orderId);
    expect(events).toEqual([
      expect.objectContaining({
        from: 'waiting',
        to: 'waiting',
        actor: 'ann',
        reason: expect.stringMatching(/^reprocess requested by ann \(checking\); /),
      }),
    ]);
  });

  it("when an order's customer profile is still to be fetched, then the reprocess leaves it waiting and says why", async () => {
    const { db } = ctx();
    const seeded = await seedOrder(db, { customerId: 515 });
    await db('orders').where({ id: seeded.orderId }).update({ state: 'held', customer_pending: true });
    const report = await reprocessOrders(db, { ids: [seeded.orderId] }, options(withDefault));
    expect(report.results[0]).toMatchObject({
      outcome: 'waiting',
      to: 'waiting',
      reason: 'waiting: the profile of customer 515 is fetched by the next sync first',
    });
  });

  it('when an order cannot be read, then it is reported as an error and the next order is still reprocessed', async () => {
    const { db } = ctx();
    const broken = await processed(strict);
    const fine = await processed(strict);
    await db('orders').where({ id: broken.orderId }).update({ payload: '{not json' });
    const report = await reprocessOrders(db, { ids: [broken.orderId, fine.orderId] }, options(withDefault));
    expect(report.results.map((r) => [r.orderId, r.outcome])).toEqual([
      [broken.orderId, 'error'],
      [fine.orderId, 'queued'],
    ]);
    expect(report.results[0]).toMatchObject({ from: null, to: null, reason: expect.stringMatching(/JSON/) });
  });

  it('when a sent order has held or failed credit notes, then a reprocess flags its refunds for the next sync (only when refunds are exported) and says so, and sends nothing', async () => {
    const { db } = ctx();
    const order = await processed(withDefault);
    const other = await processed(withDefault);
    await insertExportJob(db, {
      job_key: creditNoteJobKey(other.orderId * 10),
      kind: 'credit_note',
      order_id: other.orderId,
      state: 'failed',
    });
    await db('export_jobs').where({ order_id: order.orderId }).update({ state: 'imported' });
    await db('orders').where({ id: order.orderId }).update({ state: 'imported' });
    await insertExportJob(db, {
      job_key: creditNoteJobKey(order.orderId * 10 + 1),
      kind: 'credit_note',
      order_id: order.orderId,
      state: 'held',
    });
    await insertExportJob(db, {
      job_key: creditNoteJobKey(order.orderId * 10 + 2),
      kind: 'credit_note',
      order_id: order.orderId,
      state: 'failed',
    });
    await insertExportJob(db, {
      job_key: creditNoteJobKey(order.orderId * 10 + 3),
      kind: 'credit_note',
      order_id: order.orderId,
      state: 'queued',
    });
    const events = await listOrderEvents(db, order.orderId);
    const quiet = await reprocessOrders(db, { ids: [order.orderId] }, options(withDefault));
    expect(quiet.results[0]!.reason).toBe('not exported again: its sales order was imported; a change now needs a person in Sage');
    expect(Boolean(Number((await db('orders').where({ id: order.orderId }).first()).refunds_pending))).toBe(false);
    const exporting = settingsSchema.parse({ ...withDefault, exportRefunds: true });
    const report = await reprocessOrders(db, { ids: [order.orderId] }, options(exporting));
    expect(report.results[0]).toMatchObject({ outcome: 'already-sent', from: 'imported', to: 'imported', accountCode: 'WEBSALES' });
    expect(report.results[0]!.reason).toBe(
      'not exported again: its sales order was imported; a change now needs a person in Sage; its 2 held or failed credit note(s) are tried again at the next sync',
    );
    expect(await db('orders').where({ id: order.orderId }).first()).toMatchObject({ state: 'imported' });
    expect(Boolean(Number((await db('orders').where({ id: order.orderId }).first()).refunds_pending))).toBe(true);
    expect(await listOrderEvents(db, order.orderId)).toEqual(events);
    expect(Boolean(Number((await db('orders').where({ id: other.orderId }).first()).refunds_pending))).toBe(false);
    // Sent with no stuck credit note: nothing to flag, even when refunds are exported.
    const plain = await processed(withDefault);
    await db('export_jobs').where({ order_id: plain.orderId }).update({ state: 'imported' });
    await db('orders').where({ id: plain.orderId }).update({ state: 'imported' });
    const none = await reprocessOrders(db, { ids: [plain.orderId] }, options(exporting));
    expect(none.results[0]!.reason).toBe('not exported again: its sales order was imported; a change now needs a person in Sage');
    expect(Boolean(Number((await db('orders').where({ id: plain.orderId }).first()).refunds_pending))).toBe(false);
    expect(
      (
        await db('export_jobs')
          .where({ job_key: salesOrderJobKey(order.orderId) })
          .first()
      ).state,
    ).toBe('imported');
  });
});
