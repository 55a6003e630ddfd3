import { expect, it } from 'vitest';
import { customerJobKey, findJobByKey, salesOrderJobKey } from '../src/db/export-jobs.ts';
import { listOrderEvents } from '../src/db/order-events.ts';
import { cancelOrderDocuments } from '../src/pipeline/queue-documents.ts';
import { childText, parseXmlTree } from '../src/sage/xml-tree.ts';
import { newAccountFor, queue, seedOrder, testClock } from './helpers/outbox.ts';
import { describeEachDialect } from './helpers/test-db.ts';

describeEachDialect('queueOrderDocuments', (ctx) => {
  it('when an order with a new account is queued, then a customer job and a sales order job waiting for it are created and the order is queued', async () => {
    const { db } = ctx();
    const seeded = await seedOrder(db, { customerId: 77 });
    const result = await queue(db, seeded, 'BUYERA01', newAccountFor(seeded.order, 'BUYERA01'));
    expect(result).toMatchObject({ status: 'queued', requeued: false });
    if (result.status !== 'queued') return;
    const customer = await findJobByKey(db, customerJobKey('BUYERA01'));
    const salesOrder = await findJobByKey(db, salesOrderJobKey(seeded.orderId));
    expect(customer).toMatchObject({
      id: result.customerJobId,
      kind: 'customer',
      state: 'queued',
      documentId: 'customer-77',
      accountCode: 'BUYERA01',
    });
    expect(salesOrder).toMatchObject({
      id: result.salesOrderJobId,
      kind: 'sales_order',
      state: 'queued',
      dependsOnJobId: customer!.id,
      documentId: String(seeded.orderId),
    });
    expect(childText(parseXmlTree(salesOrder!.document), 'CustomerId')).toBe('customer-77');
    expect(childText(parseXmlTree(customer!.document), 'AccountReference')).toBe('BUYERA01');
    const row = await db('orders').where({ id: seeded.orderId }).first();
    expect(row).toMatchObject({ state: 'queued', exported_hash: row.content_hash, last_error: null });
    expect((await listOrderEvents(db, seeded.orderId)).at(-1)).toMatchObject({
      from: 'allocated',
      to: 'queued',
      reason: 'sales order queued with new account BUYERA01',
    });
  });

  it('when an order is queued for an account that exists or that another order created, then its history says "for account" by "sync"; a cancellation says why', async () => {
    const { db } = ctx();
    const first = await seedOrder(db, { email: 'history@example.com' });
    const second = await seedOrder(db, { email: 'history@example.com' });
    const known = await seedOrder(db);
    await queue(db, first, 'HIST01', newAccountFor(first.order, 'HIST01'));
    await queue(db, second, 'HIST01', newAccountFor(second.order, 'HIST01'));
    await queue(db, known, 'WEBSALES');
    const last = async (orderId: number) => (await listOrderEvents(db, orderId)).at(-1);
    expect(await last(second.orderId)).toMatchObject({ to: 'queued', actor: 'sync', reason: 'sales order queued for account HIST01' });
    expect(await last(known.orderId)).toMatchObject({ to: 'queued', actor: 'sync', reason: 'sales order queued for account WEBSALES' });
    await cancelOrderDocuments(db, known.orderId, { clock: testClock() });
    expect(await findJobByKey(db, salesOrderJobKey(known.orderId))).toMatchObject({
      state: 'cancelled',
      resultMessage: 'order cancelled before delivery',
    });
  });

  it('when a second order of the same new buyer is queued, then it reuses the one customer job', async () => {
    const { db } = ctx();
    const first = await seedOrder(db, { email: 'twice@example.com' });
    const second = await seedOrder(db, { email: 'twice@example.com' });
    const a = await queue(db, first, 'TWICE01', newAccountFor(first.order, 'TWICE01'));
    const b = await queue(db, second, 'TWICE01', newAccountFor(second.order, 'TWICE01'));
    const c = await queue(db, { ...second, orderId: (await seedOrder(db, { email: 'twice@example.com' })).orderId }, 'TWICE01');
    expect(a.status === 'queued' && b.status === 'queued' && c.status === 'queued').toBe(true);
    if (a.status !== 'queued' || b.status !== 'queued' || c.status !== 'queued') return;
    expect(b.customerJobId).toBe(a.customerJobId);
    expect(c.customerJobId).toBe(a.customerJobId);
    expect(
      await db('export_jobs')
        .where({ job_key: customerJobKey('TWICE01') })
        .count({ n: '*' }),
    ).toEqual([{ n: 1 }]);
    const third = await db('export_jobs').where({ id: c.salesOrderJobId }).first();
    expect(Number(third.depends_on_job_id)).toBe(a.customerJobId);
    expect(childText(parseXmlTree(third.document), 'CustomerId')).toBe('guest-twice@example.com');
  });

  it('when an order is queued again before delivery (reprocess), then the same job gets the new document: one document per order', async () => {
    const { db } = ctx();
    const seeded = await seedOrder(db);
    const first = await queue(db, seeded, 'WEBSALES');
    const again = await queue(db, { ...seeded, order: { ...seeded.order, customer_note: 'changed my mind' } }, 'WEBSALES');
    expect(again).toMatchObject({ status: 'queued', requeued: true });
    expect(first.status === 'queued' && again.status === 'queued' && first.salesOrderJobId === again.salesOrderJobId).toBe(true);
    const jobs = await db('export_jobs').where({ order_id: seeded.orderId });
    expect(jobs).toHaveLength(1);
    expect(childText(parseXmlTree(jobs[0].document), 'Notes1')).toBe('changed my mind');
    expect(childText(parseXmlTree(jobs[0].document), 'CustomerId')).toBe('');
  });

  it('when the sales order has been delivered, then queueing it again changes nothing', async () => {
    const { db } = ctx();
    const seeded = await seedOrder(db);
    const first = await queue(db, seeded, 'WEBSALES');
    if (first.status !== 'queued') throw new Error('not queued');
    await db('export_jobs').where({ id: first.salesOrderJobId }).update({ state: 'delivered' });
    await db('orders').where({ id: seeded.orderId }).update({ state: 'delivered' });
    expect(await queue(db, seeded, 'WEBSALES')).toEqual({
      status: 'already-sent',
      salesOrderJobId: first.salesOrderJobId,
      state: 'delivered',
    });
    expect((await db('orders').where({ id: seeded.orderId }).first()).state).toBe('delivered');
  });

  it('when the order cannot be priced, then the hold reason comes back and nothing is queued', async () => {
    const { db } = ctx();
    const seeded = await seedOrder(db, { payload: { total: '99.99' } });
    const result = await queue(db, seeded, 'WEBSALES', newAccountFor(seeded.order, 'HELD01'));
    expect(result).toMatchObject({ status: 'held', hold: { code: 'TOTALS_MISMATCH', field: 'total', value: '99.99' } });
    expect(await db('export_jobs').where({ order_id: seeded.orderId })).toEqual([]);
    expect(await findJobByKey(db, customerJobKey('HELD01'))).toBeUndefined();
    expect((await db('orders').where({ id: seeded.orderId }).first()).state).toBe('allocated');
  });

  it('when an order is cancelled before delivery, then its jobs are cancelled, and the customer only if no other order needs it', async () => {
    const { db } = ctx();
    const a = await seedOrder(db, { email: 'cancel@example.com' });
    const b = await seedOrder(db, { email: 'cancel@example.com' });
    await queue(db, a, 'CANCEL01', newAccountFor(a.order, 'CANCEL01'));
    await queue(db, b, 'CANCEL01', newAccountFor(b.order, 'CANCEL01'));
    const first = await cancelOrderDocuments(db, a.orderId, { clock: testClock() });
    expect(first.cancelled).toHaveLength(1);
    expect((await findJobByKey(db, customerJobKey('CANCEL01')))!.state).toBe('queued');
    const second = await cancelOrderDocuments(db, b.orderId, { clock: testClock() });
    expect(second).toMatchObject({ inDelivery: [], sent: [] });
    expect((await findJobByKey(db, salesOrderJobKey(b.orderId)))!.state).toBe('cancelled');
    // The customer job belongs to order a (it created it) and nobody needs it any more.
    await cancelOrderDocuments(db, a.orderId, { clock: testClock() });
    expect((await findJobByKey(db, customerJobKey('CANCEL01')))!.state).toBe('cancelled');
  });

  it('when an order is cancelled after its sales order was claimed or delivered, then that is reported, not cancelled', async () => {
    const { db } = ctx();
    const claimed = await seedOrder(db);
    const sent = await seedOrder(db);
    const q1 = await queue(db, claimed, 'WEBSALES');
    const q2 = await queue(db, sent, 'WEBSALES');
    if (q1.status !== 'queued' || q2.status !== 'queued') throw new Error('not queued');
    await db('export_jobs').where({ id: q1.salesOrderJobId }).update({ state: 'claimed' });
    await db('export_jobs').where({ id: q2.salesOrderJobId }).update({ state: 'delivered' });
    expect(await cancelOrderDocuments(db, claimed.orderId, { clock: testClock() })).toEqual({
      cancelled: [],
      inDelivery: [q1.salesOrderJobId],
      sent: [],
    });
    expect(await cancelOrderDocuments(db, sent.orderId, { clock: testClock() })).toEqual({
      cancelled: [],
      inDelivery: [],
      sent: [q2.salesOrderJobId],
    });
  });

  it('when a cancelled new buyer orders again, then the cancelled customer job is queued again under the same key', async () => {
    const { db } = ctx();
    const a = await seedOrder(db, { email: 'back@example.com' });
    await queue(db, a, 'BACK01', newAccountFor(a.order, 'BACK01'));
    await cancelOrderDocuments(db, a.orderId, { clock: testClock() });
    const b = await seedOrder(db, { email: 'back@example.com' });
    const result = await queue(db, b, 'BACK01', newAccountFor(b.order, 'BACK01'));
    const customer = await findJobByKey(db, customerJobKey('BACK01'));
    expect(customer!.state).toBe('queued');
    expect(result.status === 'queued' && result.customerJobId).toBe(customer!.id);
  });
});
