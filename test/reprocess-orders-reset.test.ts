import { expect, it, vi } from 'vitest';
import { customerJobKey, findJobByKey, salesOrderJobKey } from '../src/db/export-jobs.ts';
import { listOrderEvents } from '../src/db/order-events.ts';
import { processSettledOrder } from '../src/pipeline/process-orders.ts';
import { reprocessOrders } from '../src/pipeline/reprocess-orders.ts';
import type { Settings } from '../src/settings/schema.ts';
import { newAccountFor, queue, seedOrder } from './helpers/outbox.ts';
import { DEFAULT_WITH_ACCOUNTS, processedOrder, reprocessOptions, STRICT, WITH_DEFAULT } from './helpers/reprocess.ts';
import { describeEachDialect } from './helpers/test-db.ts';

/** Runs before the reprocess hands an order to the process stage: a concurrent writer's slot. */
const meanwhile = vi.hoisted(() => ({ run: null as null | ((orderId: number) => Promise<void>) }));
vi.mock('../src/pipeline/process-orders.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../src/pipeline/process-orders.ts')>();
  return {
    ...real,
    processSettledOrder: async (...args: Parameters<typeof real.processSettledOrder>) => {
      if (meanwhile.run) await meanwhile.run(args[1].id);
      return real.processSettledOrder(...args);
    },
  };
});

const strict = STRICT;
const withDefault = WITH_DEFAULT;

/** What a reprocess resets, what it reports for an order it does not send, and what a concurrent change does. */
describeEachDialect('reprocessOrders, reset and report', (ctx) => {
  const options = reprocessOptions;

  const processed = (settings: Settings, seedOptions: Parameters<typeof seedOrder>[1] = {}) =>
    processedOrder(ctx().db, settings, seedOptions);

  it('when a sales order is being delivered, or an order was delivered without a job on record, then the reason says so and names no date', async () => {
    const { db } = ctx();
    const claimed = await processed(withDefault);
    await db('export_jobs').where({ order_id: claimed.orderId }).update({ state: 'claimed' });
    const bare = await seedOrder(db);
    await db('orders').where({ id: bare.orderId }).update({ state: 'delivered' });
    const report = await reprocessOrders(db, { ids: [claimed.orderId, bare.orderId] }, options(withDefault));
    expect(report.results).toEqual([
      {
        orderId: claimed.orderId,
        outcome: 'already-sent',
        from: 'queued',
        to: 'queued',
        rule: null,
        accountCode: 'WEBSALES',
        reason: 'not exported again: its sales order is being delivered right now; a change now needs a person in Sage',
        warnings: [],
      },
      expect.objectContaining({
        orderId: bare.orderId,
        outcome: 'already-sent',
        accountCode: null,
        reason: 'not exported again: its sales order was delivered; a change now needs a person in Sage',
      }),
    ]);
  });

  it('when an order that was held is reprocessed and must wait, then its decision, rule, account, error and awaiting flag are cleared and it settles again', async () => {
    const { db } = ctx();
    const held = await processed(strict);
    await db('orders')
      .where({ id: held.orderId })
      .update({ status: 'on-hold', decision: '{"rule":"NONE"}', rule: 'NONE', account_code: 'OLD01', awaiting_accounts: true });
    const report = await reprocessOrders(db, { ids: [held.orderId] }, options(withDefault));
    expect(report.results[0]).toMatchObject({ outcome: 'waiting', from: 'held', to: 'waiting', warnings: [] });
    const row = await db('orders').where({ id: held.orderId }).first();
    expect(row).toMatchObject({ state: 'waiting', decision: null, rule: null, account_code: null, last_error: null });
    expect(Boolean(Number(row.awaiting_accounts))).toBe(false);
  });

  it('when a waiting order with an error is reprocessed, then its history gets one event (the error cleared), not two', async () => {
    const { db } = ctx();
    const seeded = await seedOrder(db);
    await db('orders').where({ id: seeded.orderId }).update({ state: 'waiting', status: 'on-hold', last_error: 'Sage accounts unknown' });
    await reprocessOrders(db, { ids: [seeded.orderId] }, options(withDefault));
    expect((await listOrderEvents(db, seeded.orderId)).map((e) => [e.from, e.to, e.actor])).toEqual([['waiting', 'waiting', 'ann']]);
    expect((await db('orders').where({ id: seeded.orderId }).first()).last_error).toBeNull();
  });

  it('when a queued order is reprocessed, then its history gets exactly one event back to waiting and one queueing it', async () => {
    const { db } = ctx();
    const order = await processed(withDefault);
    const before = await listOrderEvents(db, order.orderId);
    await reprocessOrders(db, { ids: [order.orderId] }, options(withDefault));
    const added = (await listOrderEvents(db, order.orderId)).slice(before.length);
    expect(added.map((e) => [e.from, e.to, e.actor])).toEqual([
      ['queued', 'waiting', 'ann'],
      ['waiting', 'queued', 'ann'],
    ]);
  });

  it('when a new customer is still needed by a live order of the same buyer, then reprocessing its order onto a linked account keeps it; once that order is cancelled, it is cancelled with why', async () => {
    const { db } = ctx();
    await db('woo_customers').insert({ id: 4343, email: 'shared@example.com', payload: '{}', fetched_at: '2026-11-23T10:00:00.000Z' });
    const first = await processed(DEFAULT_WITH_ACCOUNTS, { customerId: 4343, email: 'shared@example.com' });
    const code = first.result.accountCode!;
    const second = await seedOrder(db, { customerId: 4343, email: 'shared@example.com' });
    await queue(db, second, code, newAccountFor(second.order, code));
    const customer = await findJobByKey(db, customerJobKey(code));
    expect((await findJobByKey(db, salesOrderJobKey(second.orderId)))!.dependsOnJobId).toBe(customer!.id);
    await db('woo_customers').where({ id: 4343 }).update({ profile_code: 'LINKED02' });

    await reprocessOrders(db, { ids: [first.orderId] }, options(DEFAULT_WITH_ACCOUNTS));
    expect((await findJobByKey(db, customerJobKey(code)))!.state).toBe('queued');

    await db('export_jobs')
      .where({ job_key: salesOrderJobKey(second.orderId) })
      .update({ state: 'cancelled' });
    await reprocessOrders(db, { ids: [first.orderId] }, options(DEFAULT_WITH_ACCOUNTS));
    expect(await findJobByKey(db, customerJobKey(code))).toMatchObject({
      state: 'cancelled',
      resultMessage: `no longer needed: order ${first.orderId} was reprocessed`,
    });
  });

  it('when a dry run meets an order that cannot be read, or one that is unknown, then it reports each as such and still changes nothing', async () => {
    const { db } = ctx();
    const broken = await processed(strict);
    await db('orders').where({ id: broken.orderId }).update({ payload: '{not json' });
    const before = await db('orders').where({ id: broken.orderId }).first();
    const report = await reprocessOrders(db, { ids: [broken.orderId, 999_999_999] }, options(withDefault, { dryRun: true }));
    expect(report.results).toEqual([
      expect.objectContaining({ orderId: broken.orderId, outcome: 'error', reason: expect.stringMatching(/JSON/) }),
      expect.objectContaining({ orderId: 999_999_999, outcome: 'not-found' }),
    ]);
    expect(await db('orders').where({ id: broken.orderId }).first()).toEqual(before);
  });

  it('when the order changes in WooCommerce while it is reprocessed, then it is reported waiting for the next sync', async () => {
    const { db } = ctx();
    const held = await processed(strict);
    meanwhile.run = async (id) => {
      await db('orders').where({ id }).update({ content_hash: 'changed-meanwhile' });
    };
    try {
      const report = await reprocessOrders(db, { ids: [held.orderId] }, options(withDefault));
      expect(report.results[0]).toMatchObject({
        outcome: 'waiting',
        from: 'held',
        to: 'waiting',
        reason: 'waiting: it changed in WooCommerce meanwhile; the next sync takes it from here',
      });
    } finally {
      meanwhile.run = null;
    }
  });

  it('when its sales order is claimed for delivery while it is reprocessed, then it is reported already sent and not queued again', async () => {
    const { db } = ctx();
    const order = await processed(withDefault);
    meanwhile.run = async (id) => {
      await db('export_jobs')
        .where({ job_key: salesOrderJobKey(id) })
        .update({ state: 'claimed' });
    };
    try {
      const report = await reprocessOrders(db, { ids: [order.orderId] }, options(withDefault));
      expect(report.results[0]).toMatchObject({
        outcome: 'already-sent',
        from: 'queued',
        // Unlike a reprocess that finds the sales order sent before it starts (which changes nothing),
        // this one has already moved the order back to waiting, and the process stage records it allocated.
        to: 'allocated',
        reason: 'not exported again: sales order already claimed',
      });
      expect((await findJobByKey(db, salesOrderJobKey(order.orderId)))!.state).toBe('claimed');
    } finally {
      meanwhile.run = null;
    }
  });
});
