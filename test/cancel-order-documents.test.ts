import { expect, it } from 'vitest';
import { creditNoteJobKey, customerJobKey, findJobByKey, salesOrderJobKey } from '../src/db/export-jobs.ts';
import { cancelOrderDocuments } from '../src/pipeline/queue-documents.ts';
import { insertExportJob } from './helpers/factories.ts';
import { newAccountFor, queue, seedOrder, testClock } from './helpers/outbox.ts';
import { describeEachDialect } from './helpers/test-db.ts';

describeEachDialect('cancelOrderDocuments', (ctx) => {
  /** A credit note job of the order in this state; returns its id. */
  async function creditNote(orderId: number, refundId: number, state: string): Promise<number> {
    const { db } = ctx();
    await insertExportJob(db, { job_key: creditNoteJobKey(refundId), kind: 'credit_note', order_id: orderId, state });
    return (await findJobByKey(db, creditNoteJobKey(refundId)))!.id;
  }

  it('when an order with a failed sales order and queued, held, claimed and imported credit notes is cancelled, then what has not left is cancelled with the reason, the rest reported; a second cancellation finds nothing more', async () => {
    const { db } = ctx();
    const seeded = await seedOrder(db);
    const queued = await queue(db, seeded, 'WEBSALES');
    if (queued.status !== 'queued') throw new Error('not queued');
    const salesOrder = queued.salesOrderJobId;
    // Sage's importer rejected the sales order: it is still ours to cancel.
    await db('export_jobs').where({ id: salesOrder }).update({ state: 'failed' });
    const refund = seeded.orderId * 10;
    const waiting = await creditNote(seeded.orderId, refund + 1, 'queued');
    const held = await creditNote(seeded.orderId, refund + 2, 'held');
    const claimed = await creditNote(seeded.orderId, refund + 3, 'claimed');
    const imported = await creditNote(seeded.orderId, refund + 4, 'imported');
    const clock = testClock();
    expect(await cancelOrderDocuments(db, seeded.orderId, { clock, reason: 'refunded in full' })).toEqual({
      cancelled: [salesOrder, waiting, held],
      inDelivery: [claimed],
      sent: [imported],
    });
    const rows = await db('export_jobs').where({ order_id: seeded.orderId }).orderBy('id');
    expect(rows.map((r) => [Number(r.id), r.state, r.result_message])).toEqual([
      [salesOrder, 'cancelled', 'refunded in full'],
      [waiting, 'cancelled', 'refunded in full'],
      [held, 'cancelled', 'refunded in full'],
      [claimed, 'claimed', null],
      [imported, 'imported', null],
    ]);
    expect(new Date(rows[0].updated_at).toISOString()).toBe(clock.now().toISOString());
    // Cancelled documents are neither cancelled again nor reported as being delivered.
    expect(await cancelOrderDocuments(db, seeded.orderId, { clock })).toEqual({ cancelled: [], inDelivery: [claimed], sent: [imported] });
  });

  it('when an order whose new customer already reached Sage is cancelled, then only its sales order is cancelled and the customer is neither touched nor reported', async () => {
    const { db } = ctx();
    const seeded = await seedOrder(db, { email: 'reached@example.com' });
    const queued = await queue(db, seeded, 'REACH01', newAccountFor(seeded.order, 'REACH01'));
    if (queued.status !== 'queued') throw new Error('not queued');
    await db('export_jobs').where({ id: queued.customerJobId }).update({ state: 'delivered' });
    expect(await cancelOrderDocuments(db, seeded.orderId, { clock: testClock() })).toEqual({
      cancelled: [queued.salesOrderJobId],
      inDelivery: [],
      sent: [],
    });
    expect((await findJobByKey(db, customerJobKey('REACH01')))!.state).toBe('delivered');
    expect((await findJobByKey(db, salesOrderJobKey(seeded.orderId)))!.state).toBe('cancelled');
  });
});
