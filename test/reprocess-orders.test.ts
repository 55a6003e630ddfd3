import { expect, it } from 'vitest';
import { listAudit } from '../src/db/audit-log.ts';
import { customerJobKey, findJobByKey, salesOrderJobKey } from '../src/db/export-jobs.ts';
import { listOrderEvents } from '../src/db/order-events.ts';
import { reprocessOrders } from '../src/pipeline/reprocess-orders.ts';
import type { Settings } from '../src/settings/schema.ts';
import type { seedOrder } from './helpers/outbox.ts';
import { DEFAULT_WITH_ACCOUNTS, processedOrder, reprocessOptions, STRICT, WITH_DEFAULT } from './helpers/reprocess.ts';
import { describeEachDialect } from './helpers/test-db.ts';

const strict = STRICT;
const withDefault = WITH_DEFAULT;

describeEachDialect('reprocessOrders', (ctx) => {
  const options = reprocessOptions;

  const processed = (settings: Settings, seedOptions: Parameters<typeof seedOrder>[1] = {}) =>
    processedOrder(ctx().db, settings, seedOptions);

  it('when a held order is reprocessed after its cause is fixed, then it goes through waiting and is queued now, with who and why in its history', async () => {
    const { db } = ctx();
    const held = await processed(strict);
    expect(held.result.outcome).toBe('held');
    const report = await reprocessOrders(db, { ids: [held.orderId] }, options(withDefault, { reason: 'default account set' }));
    expect(report.results).toEqual([
      expect.objectContaining({
        orderId: held.orderId,
        outcome: 'queued',
        from: 'held',
        to: 'queued',
        rule: 'DEFAULT',
        accountCode: 'WEBSALES',
      }),
    ]);
    const events = await listOrderEvents(db, held.orderId);
    // Allocating and queueing happen in one transaction and are recorded as one event naming both.
    expect(events.map((e) => e.to)).toEqual(['held', 'waiting', 'queued']);
    expect(events[2]!.reason).toMatch(/^sales order queued for account WEBSALES; .*WEBSALES/);
    expect(events[1]).toMatchObject({ from: 'held', actor: 'ann' });
    expect(events[1]!.reason).toMatch(/^reprocess requested by ann \(default account set\); status "processing", settled/);
    expect(await db('orders').where({ id: held.orderId }).first()).toMatchObject({ state: 'queued', last_error: null, rule: 'DEFAULT' });
    expect(await db('export_jobs').where({ order_id: held.orderId })).toHaveLength(1);
    expect((await listAudit(db, { action: 'orders.reprocess', subjectPrefix: `order.${held.orderId}` }))[0]).toMatchObject({
      actor: 'ann',
    });
  });

  it('when the cause is not fixed, then the order is held again with the reason and its history says it was tried', async () => {
    const { db } = ctx();
    const held = await processed(strict);
    const report = await reprocessOrders(db, { ids: [held.orderId] }, options(strict));
    expect(report.results[0]).toMatchObject({ outcome: 'held', from: 'held', to: 'held', rule: 'NONE' });
    expect(report.results[0]!.reason).toBe((await db('orders').where({ id: held.orderId }).first()).last_error);
    expect((await listOrderEvents(db, held.orderId)).map((e) => e.to)).toEqual(['held', 'waiting', 'held']);
  });

  it('when a failed sales order is reprocessed, then the same job is queued again under its key with fresh attempts: one document per order', async () => {
    const { db } = ctx();
    const order = await processed(withDefault);
    const job = await findJobByKey(db, salesOrderJobKey(order.orderId));
    await db('export_jobs')
      .where({ id: job!.id })
      .update({ state: 'failed', attempts: 10, last_error: 'Sage import failed: no such product' });
    await db('orders').where({ id: order.orderId }).update({ state: 'failed', last_error: 'Sage import failed: no such product' });
    const report = await reprocessOrders(db, { allFailed: true }, options(withDefault));
    expect(report.results.map((r) => [r.orderId, r.outcome])).toEqual([[order.orderId, 'queued']]);
    const jobs = await db('export_jobs').where({ order_id: order.orderId });
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({
      id: job!.id,
      state: 'queued',
      attempts: 0,
      last_error: null,
      job_key: salesOrderJobKey(order.orderId),
    });
  });

  it('when an order was delivered, then it is not exported again and nothing about it changes', async () => {
    const { db } = ctx();
    const order = await processed(withDefault);
    await db('export_jobs')
      .where({ job_key: salesOrderJobKey(order.orderId) })
      .update({ state: 'delivered', delivered_at: '2026-11-23T10:00:00.000Z' });
    await db('orders').where({ id: order.orderId }).update({ state: 'delivered' });
    const before = await listOrderEvents(db, order.orderId);
    const report = await reprocessOrders(db, { ids: [order.orderId] }, options(withDefault));
    expect(report.results[0]).toMatchObject({ outcome: 'already-sent', from: 'delivered', to: 'delivered' });
    expect(report.results[0]!.reason).toBe(
      'not exported again: its sales order was delivered on 2026-11-23T10:00:00.000Z; a change now needs a person in Sage',
    );
    expect(await listOrderEvents(db, order.orderId)).toEqual(before);
    expect((await findJobByKey(db, salesOrderJobKey(order.orderId)))!.state).toBe('delivered');
  });

  for (const [jobState, orderState] of [
    ['delivered', 'delivered'],
    ['imported', 'imported'],
    ['claimed', 'queued'],
  ] as const) {
    it(`when its sales order is ${jobState}, then a reprocess sends nothing and rewrites nothing: the order row, its history and its documents stay exactly as they were`, async () => {
      const { db } = ctx();
      const order = await processed(DEFAULT_WITH_ACCOUNTS);
      expect(order.result).toMatchObject({ outcome: 'queued', rule: 'NEW' });
      await db('export_jobs')
        .where({ order_id: order.orderId })
        .update({ state: jobState, delivered_at: jobState === 'claimed' ? null : '2026-11-23T10:00:00.000Z' });
      await db('orders').where({ id: order.orderId }).update({ state: orderState });
      const snapshot = async () => ({
        order: await db('orders').where({ id: order.orderId }).first(),
        events: await db('order_events').where({ order_id: order.orderId }).orderBy('id'),
        jobs: await db('export_jobs').where({ order_id: order.orderId }).orderBy('id'),
        accounts: await db('sage_accounts').orderBy('code'),
      });
      const before = await snapshot();
      const report = await reprocessOrders(db, { ids: [order.orderId] }, options(DEFAULT_WITH_ACCOUNTS));
      expect(report.results[0]).toMatchObject({ outcome: 'already-sent', from: orderState, to: orderState });
      expect(await snapshot()).toEqual(before);
    });
  }

  it('when a new buyer is linked to an existing account before delivery, then reprocessing uses the link and drops the unneeded new customer', async () => {
    const { db } = ctx();
    await db('woo_customers').insert({ id: 4242, email: 'linked@example.com', payload: '{}', fetched_at: '2026-11-23T10:00:00.000Z' });
    const created = await processed(DEFAULT_WITH_ACCOUNTS, { customerId: 4242, email: 'linked@example.com' });
    expect(created.result).toMatchObject({ outcome: 'queued', rule: 'NEW' });
    const code = created.result.accountCode!;
    await db('woo_customers').where({ id: 4242 }).update({ profile_code: 'LINKED01' });
    const report = await reprocessOrders(db, { ids: [created.orderId] }, options(DEFAULT_WITH_ACCOUNTS));
    expect(report.results[0]).toMatchObject({ outcome: 'queued', rule: 'PROFILE', accountCode: 'LINKED01' });
    expect((await findJobByKey(db, customerJobKey(code)))!.state).toBe('cancelled');
    const salesOrder = await findJobByKey(db, salesOrderJobKey(created.orderId));
    expect(salesOrder).toMatchObject({ state: 'queued', dependsOnJobId: null, accountCode: 'LINKED01' });
  });

  it('when held orders are reprocessed as a dry run, then each says what would happen and nothing changes', async () => {
    const { db } = ctx();
    await db('orders').where({ state: 'held' }).update({ state: 'imported' });
    const a = await processed(strict);
    const b = await processed(strict);
    const snapshot = async () => ({
      orders: await db('orders').whereIn('id', [a.orderId, b.orderId]).orderBy('id'),
      events: await db('order_events').whereIn('order_id', [a.orderId, b.orderId]).orderBy('id'),
      jobs: await db('export_jobs').whereIn('order_id', [a.orderId, b.orderId]),
    });
    const before = await snapshot();
    const report = await reprocessOrders(db, { held: true }, options(withDefault, { dryRun: true }));
    expect(report).toMatchObject({ dryRun: true, more: false });
    expect(report.results.map((r) => [r.orderId, r.outcome, r.accountCode])).toEqual([
      [a.orderId, 'queued', 'WEBSALES'],
      [b.orderId, 'queued', 'WEBSALES'],
    ]);
    expect(await snapshot()).toEqual(before);
    const limited = await reprocessOrders(db, { held: true }, options(withDefault, { dryRun: true, limit: 1 }));
    expect(limited).toMatchObject({ more: true, results: [expect.objectContaining({ orderId: a.orderId })] });
  });

  it('when an order is unknown, not exported or still settling, then it says so and the others are still done', async () => {
    const { db } = ctx();
    const onHold = await processed(strict);
    await db('orders').where({ id: onHold.orderId }).update({ status: 'on-hold' });
    const settling = await processed(strict);
    await db('orders').where({ id: settling.orderId }).update({ date_modified: '2026-11-23T10:00:00.000Z' });
    const fine = await processed(strict);
    const report = await reprocessOrders(db, { ids: [999_999_999, onHold.orderId, settling.orderId, fine.orderId] }, options(withDefault));
    expect(report.results.map((r) => [r.outcome, r.reason])).toEqual([
      ['not-found', 'order 999999999 is not in the inbox (has it been synced yet?)'],
      ['waiting', 'waiting: status "on-hold" is not exported (import statuses: processing, completed)'],
      ['waiting', 'waiting: settling until 2026-11-23T11:00:00.000Z'],
      ['queued', expect.any(String)],
    ]);
    expect((await db('orders').where({ id: onHold.orderId }).first()).state).toBe('waiting');
  });
});
