import { expect, it } from 'vitest';
import { listAudit } from '../src/db/audit-log.ts';
import { customerJobKey, findJobByKey, salesOrderJobKey } from '../src/db/export-jobs.ts';
import { storeOrderPage } from '../src/db/inbox.ts';
import { listOrderChanges } from '../src/db/order-changes.ts';
import { listOrderEvents } from '../src/db/order-events.ts';
import { fixedClock } from '../src/domain/clock.ts';
import { ConflictError, NotFoundError } from '../src/domain/errors.ts';
import { acknowledgeChange } from '../src/pipeline/acknowledge-change.ts';
import { cancelOrder } from '../src/pipeline/cancel-order.ts';
import { DEFAULT_SETTINGS } from '../src/settings/schema.ts';
import { newAccountFor, queue, seedOrder, testClock } from './helpers/outbox.ts';
import { describeEachDialect } from './helpers/test-db.ts';

describeEachDialect('cancelOrder', (ctx) => {
  it('when a queued order is cancelled, then its sales order and the new customer only it needed leave the queue, and who and why are recorded', async () => {
    const { db } = ctx();
    const seeded = await seedOrder(db);
    await queue(db, seeded, 'CANC01', newAccountFor(seeded.order, 'CANC01'));
    const result = await cancelOrder(db, { orderId: seeded.orderId, actor: 'ann', reason: 'customer phoned', clock: testClock() });
    expect(result).toMatchObject({ orderId: seeded.orderId, status: 'cancelled', from: 'queued' });
    expect(result.cancelledJobs).toHaveLength(2);
    expect((await findJobByKey(db, salesOrderJobKey(seeded.orderId)))!.state).toBe('cancelled');
    expect((await findJobByKey(db, customerJobKey('CANC01')))!.state).toBe('cancelled');
    expect((await db('orders').where({ id: seeded.orderId }).first()).state).toBe('cancelled');
    expect((await listOrderEvents(db, seeded.orderId)).at(-1)).toMatchObject({
      from: 'queued',
      to: 'cancelled',
      actor: 'ann',
      reason: 'cancelled by ann: customer phoned',
    });
    expect((await listAudit(db, { action: 'order.cancel', subjectPrefix: `order.${seeded.orderId}` }))[0]).toMatchObject({
      actor: 'ann',
      before: 'queued',
      after: 'cancelled',
    });
    expect(await cancelOrder(db, { orderId: seeded.orderId, actor: 'ann', clock: testClock() })).toMatchObject({
      status: 'already-cancelled',
    });
  });

  it('when the sales order was delivered, then it is refused saying a person must cancel it in Sage, and nothing changes', async () => {
    const { db } = ctx();
    const seeded = await seedOrder(db);
    await queue(db, seeded, 'WEBSALES');
    await db('export_jobs')
      .where({ job_key: salesOrderJobKey(seeded.orderId) })
      .update({ state: 'delivered', delivered_at: '2026-11-23T10:05:00.000Z' });
    await db('orders').where({ id: seeded.orderId }).update({ state: 'delivered' });
    const attempt = cancelOrder(db, { orderId: seeded.orderId, actor: 'ann', clock: testClock() });
    await expect(attempt).rejects.toBeInstanceOf(ConflictError);
    await expect(attempt).rejects.toThrow(
      `order ${seeded.orderId} cannot be cancelled here: its sales order was delivered to Sage on 2026-11-23T10:05:00.000Z; a person must cancel it in Sage (or raise a credit note if it has been invoiced)`,
    );
    expect((await db('orders').where({ id: seeded.orderId }).first()).state).toBe('delivered');
  });

  it('when the sales order is being delivered, then it is refused and the new customer stays queued', async () => {
    const { db } = ctx();
    const seeded = await seedOrder(db);
    await queue(db, seeded, 'CANC02', newAccountFor(seeded.order, 'CANC02'));
    await db('export_jobs')
      .where({ job_key: salesOrderJobKey(seeded.orderId) })
      .update({ state: 'claimed' });
    await expect(cancelOrder(db, { orderId: seeded.orderId, actor: 'ann', clock: testClock() })).rejects.toThrow(/is being delivered/);
    expect((await findJobByKey(db, customerJobKey('CANC02')))!.state).toBe('queued');
    expect((await db('orders').where({ id: seeded.orderId }).first()).state).toBe('queued');
  });

  it('when a held order is cancelled, then it is cancelled; an unknown order is not found', async () => {
    const { db } = ctx();
    const seeded = await seedOrder(db);
    await db('orders').where({ id: seeded.orderId }).update({ state: 'held', last_error: 'no account' });
    expect(await cancelOrder(db, { orderId: seeded.orderId, actor: 'ann', clock: testClock() })).toMatchObject({
      status: 'cancelled',
      from: 'held',
      cancelledJobs: [],
    });
    expect(await db('orders').where({ id: seeded.orderId }).first()).toMatchObject({ state: 'cancelled', last_error: null });
    await expect(cancelOrder(db, { orderId: 987_654_321, actor: 'ann', clock: testClock() })).rejects.toBeInstanceOf(NotFoundError);
  });
});

describeEachDialect('acknowledgeChange', (ctx) => {
  const settings = { ...DEFAULT_SETTINGS, settleMinutes: 0 };

  /** An order stored by the inbox, then marked delivered with its account, as after a real export. */
  async function deliveredOrder() {
    const { db } = ctx();
    const seeded = await seedOrder(db);
    await db('orders').where({ id: seeded.orderId }).delete();
    const raw = { ...seeded.order, date_modified_gmt: '2026-11-20T10:00:00' };
    await db.transaction((trx) => storeOrderPage(trx, [raw], { settings, at: new Date('2026-11-20T10:00:00Z'), actor: 'sync' }));
    const hash = (await db('orders').where({ id: seeded.orderId }).first()).content_hash;
    await db('orders').where({ id: seeded.orderId }).update({ state: 'delivered', exported_hash: hash, account_code: 'JOE001' });
    return { ...seeded, raw };
  }

  async function change(raw: Record<string, unknown>, at: string) {
    await ctx().db.transaction((trx) =>
      storeOrderPage(trx, [{ ...raw, date_modified_gmt: at.slice(0, 19) }], { settings, at: new Date(at), actor: 'sync' }),
    );
  }

  it('when a delivered order is cancelled in WooCommerce and a person acknowledges it, then who, when and the note are kept and the flag is cleared', async () => {
    const { db } = ctx();
    const order = await deliveredOrder();
    await change({ ...order.raw, status: 'cancelled' }, '2026-11-23T09:00:00.000Z');
    const flagged = await db('orders').where({ id: order.orderId }).first();
    expect(Boolean(Number(flagged.changed_after_export))).toBe(true);
    expect(flagged.change_summary).toBe(
      `2026-11-23T09:00:00.000Z: status processing → cancelled → cancel sales order ${order.orderId} (account JOE001) in Sage; if it has been invoiced, raise a credit note for 28.20`,
    );
    expect(await listOrderChanges(db, order.orderId)).toEqual([
      expect.objectContaining({
        summary: 'status processing → cancelled',
        acknowledgedAt: null,
        action: expect.stringMatching(/^cancel sales order/),
      }),
    ]);

    const clock = fixedClock('2026-11-23T11:00:00.000Z');
    const result = await acknowledgeChange(db, { orderId: order.orderId, actor: 'ann', note: 'SO cancelled in Sage', clock });
    expect(result.acknowledged).toEqual([
      expect.objectContaining({
        summary: 'status processing → cancelled',
        acknowledgedBy: 'ann',
        acknowledgedAt: '2026-11-23T11:00:00.000Z',
        note: 'SO cancelled in Sage',
      }),
    ]);
    expect(await db('orders').where({ id: order.orderId }).first()).toMatchObject({ state: 'delivered', change_summary: null });
    expect(Boolean(Number((await db('orders').where({ id: order.orderId }).first()).changed_after_export))).toBe(false);
    expect((await listOrderChanges(db, order.orderId))[0]).toMatchObject({ acknowledgedBy: 'ann', note: 'SO cancelled in Sage' });
    expect((await listOrderEvents(db, order.orderId)).at(-1)).toMatchObject({
      from: 'delivered',
      to: 'delivered',
      actor: 'ann',
      reason: 'change after export acknowledged by ann (SO cancelled in Sage): status processing → cancelled',
    });
    expect((await listAudit(db, { action: 'order.acknowledge-change', subjectPrefix: `order.${order.orderId}` }))[0]).toMatchObject({
      actor: 'ann',
    });
    await expect(acknowledgeChange(db, { orderId: order.orderId, actor: 'ann', clock })).rejects.toThrow(
      `order ${order.orderId} has no change after export waiting to be acknowledged`,
    );
  });

  it('when another change arrives after an acknowledgement, then only it is open and the history keeps both', async () => {
    const { db } = ctx();
    const order = await deliveredOrder();
    await change({ ...order.raw, refunds: [{ id: 7001, reason: 'Damaged', total: '-2.00' }] }, '2026-11-23T09:00:00.000Z');
    await acknowledgeChange(db, { orderId: order.orderId, actor: 'ann', clock: testClock() });
    await change(
      {
        ...order.raw,
        status: 'refunded',
        refunds: [
          { id: 7001, reason: 'Damaged', total: '-2.00' },
          { id: 7002, reason: '', total: '-25.60' },
        ],
      },
      '2026-11-23T12:00:00.000Z',
    );
    const changes = await listOrderChanges(db, order.orderId);
    expect(changes.map((c) => [c.summary, c.acknowledgedBy])).toEqual([
      ['refund #7001 added: -2.00 (Damaged)', 'ann'],
      ['status processing → refunded; refund #7002 added: -25.60', null],
    ]);
    expect(changes[1]!.action).toBe(
      'raise a credit note for 25.60 (refund #7002) (account JOE001) in Sage, or cancel the sales order if it has not been invoiced',
    );
    const again = await acknowledgeChange(db, { orderId: order.orderId, actor: 'bob', clock: testClock() });
    expect(again.acknowledged.map((c) => c.id)).toEqual([changes[1]!.id]);
  });

  it('when an order was flagged before changes were kept one by one, then its summary is what gets acknowledged; an unknown order is not found', async () => {
    const { db } = ctx();
    const order = await deliveredOrder();
    await db('orders').where({ id: order.orderId }).update({ changed_after_export: true, change_summary: '2026-01-01: total 1.00 → 2.00' });
    const result = await acknowledgeChange(db, { orderId: order.orderId, actor: 'ann', clock: testClock() });
    expect(result.acknowledged).toEqual([expect.objectContaining({ summary: '2026-01-01: total 1.00 → 2.00', acknowledgedBy: 'ann' })]);
    await expect(acknowledgeChange(db, { orderId: 987_654_321, actor: 'ann', clock: testClock() })).rejects.toBeInstanceOf(NotFoundError);
  });
});
