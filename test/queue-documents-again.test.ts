import { expect, it } from 'vitest';
import { customerJobKey, findJobByKey, salesOrderJobKey } from '../src/db/export-jobs.ts';
import { listOrderEvents } from '../src/db/order-events.ts';
import { cancelOrderDocuments } from '../src/pipeline/queue-documents.ts';
import type { NewAccountInput } from '../src/sage/customer-xml.ts';
import { childText, parseXmlTree } from '../src/sage/xml-tree.ts';
import { newAccountFor, queue, seedOrder, testClock } from './helpers/outbox.ts';
import { describeEachDialect } from './helpers/test-db.ts';

/** Queueing an order whose documents, or whose buyer's customer, the queue has seen before. */
describeEachDialect('queueOrderDocuments, found again', (ctx) => {
  const text = (xml: string, name: string) => childText(parseXmlTree(xml), name);
  const lastEvent = async (orderId: number) => (await listOrderEvents(ctx().db, orderId)).at(-1);

  it('when the sales order is being delivered (claimed), then queueing the order again answers already-sent and rewrites neither the document nor the order', async () => {
    const { db } = ctx();
    const seeded = await seedOrder(db);
    const first = await queue(db, seeded, 'WEBSALES');
    if (first.status !== 'queued') throw new Error('not queued');
    await db('export_jobs').where({ id: first.salesOrderJobId }).update({ state: 'claimed' });
    const before = await db('export_jobs').where({ id: first.salesOrderJobId }).first();
    const events = await listOrderEvents(db, seeded.orderId);
    const changed = { ...seeded, order: { ...seeded.order, customer_note: 'too late' } };
    expect(await queue(db, changed, 'OTHER01')).toEqual({
      status: 'already-sent',
      salesOrderJobId: first.salesOrderJobId,
      state: 'claimed',
    });
    expect(await db('export_jobs').where({ id: first.salesOrderJobId }).first()).toEqual(before);
    expect(await listOrderEvents(db, seeded.orderId)).toEqual(events);
  });

  it("when the buyer's customer was rejected by Sage's importer (failed), then their next order sends it again: the same job with the new document and fresh attempts, and the sales order waits for it", async () => {
    const { db } = ctx();
    const a = await seedOrder(db, { email: 'rejected@example.com' });
    const b = await seedOrder(db, { email: 'rejected@example.com' });
    const first = await queue(db, a, 'REJECT01', newAccountFor(a.order, 'REJECT01'));
    if (first.status !== 'queued') throw new Error('not queued');
    await db('export_jobs')
      .where({ id: first.customerJobId })
      .update({ state: 'failed', attempts: 5, last_error: 'Sage import failed: bad postcode' });
    const account = newAccountFor(b.order, 'REJECT01');
    // A name longer than Sage's 60 characters: the customer document comes with a warning.
    const long: NewAccountInput = { ...account, details: { ...account.details, companyName: `Buyer ${b.orderId} ${'Ltd '.repeat(20)}` } };
    const again = await queue(db, b, 'REJECT01', long);
    expect(again).toMatchObject({ status: 'queued', customerJobId: first.customerJobId, requeued: false });
    if (again.status !== 'queued') return;
    expect(again.warnings).toEqual([expect.stringMatching(/^new account REJECT01: companyName shortened to 60 characters/)]);
    const customer = await findJobByKey(db, customerJobKey('REJECT01'));
    expect(customer).toMatchObject({ id: first.customerJobId, state: 'queued', attempts: 0, lastError: null });
    expect(text(customer!.document, 'CompanyName')).toMatch(new RegExp(`^Buyer ${b.orderId} Ltd`));
    expect(text(customer!.document, 'Currency')).toBe(b.order.currency);
    expect((await findJobByKey(db, salesOrderJobKey(b.orderId)))!.dependsOnJobId).toBe(first.customerJobId);
    // The account was created by the first order: this one is queued "for" it.
    expect(await lastEvent(b.orderId)).toMatchObject({ to: 'queued', reason: 'sales order queued for account REJECT01' });
  });

  it("when the buyer's customer has reached Sage, then their next order neither sends it again nor waits for it, and brings no customer warnings", async () => {
    const { db } = ctx();
    const a = await seedOrder(db, { email: 'reached@example.com' });
    const b = await seedOrder(db, { email: 'reached@example.com' });
    const first = await queue(db, a, 'REACHED1', newAccountFor(a.order, 'REACHED1'));
    if (first.status !== 'queued') throw new Error('not queued');
    await db('export_jobs').where({ id: first.customerJobId }).update({ state: 'delivered' });
    const before = await db('export_jobs').where({ id: first.customerJobId }).first();
    const account = newAccountFor(b.order, 'REACHED1');
    const long: NewAccountInput = { ...account, details: { ...account.details, companyName: 'Ltd '.repeat(20) } };
    const again = await queue(db, b, 'REACHED1', long);
    expect(again).toMatchObject({ status: 'queued', customerJobId: first.customerJobId, warnings: [] });
    expect(await db('export_jobs').where({ id: first.customerJobId }).first()).toEqual(before);
    const salesOrder = await findJobByKey(db, salesOrderJobKey(b.orderId));
    expect(salesOrder!.dependsOnJobId).toBeNull();
    expect(text(salesOrder!.document, 'CustomerId')).toBe(`guest-reached@example.com`);
  });

  it('when an order goes to an account this connector created, without a new customer of its own, then it waits for a live customer but neither names nor waits for a cancelled one', async () => {
    const { db } = ctx();
    const live = await seedOrder(db, { email: 'live@example.com' });
    const liveAgain = await seedOrder(db, { email: 'live@example.com' });
    const gone = await seedOrder(db, { email: 'gone@example.com' });
    const goneAgain = await seedOrder(db, { email: 'gone@example.com' });
    const liveFirst = await queue(db, live, 'LIVE01', newAccountFor(live.order, 'LIVE01'));
    await queue(db, gone, 'GONE01', newAccountFor(gone.order, 'GONE01'));
    await cancelOrderDocuments(db, gone.orderId, { clock: testClock() });
    expect((await findJobByKey(db, customerJobKey('GONE01')))!.state).toBe('cancelled');

    const toLive = await queue(db, liveAgain, 'LIVE01');
    expect(toLive).toMatchObject({
      status: 'queued',
      customerJobId: liveFirst.status === 'queued' && liveFirst.customerJobId,
      warnings: [],
    });
    expect(await lastEvent(liveAgain.orderId)).toMatchObject({ reason: 'sales order queued for account LIVE01' });
    const waiting = await findJobByKey(db, salesOrderJobKey(liveAgain.orderId));
    expect(text(waiting!.document, 'CustomerId')).toBe('guest-live@example.com');

    const toGone = await queue(db, goneAgain, 'GONE01');
    expect(toGone).toMatchObject({ status: 'queued', customerJobId: null });
    const salesOrder = await findJobByKey(db, salesOrderJobKey(goneAgain.orderId));
    expect(salesOrder).toMatchObject({ dependsOnJobId: null, accountCode: 'GONE01' });
    expect(text(salesOrder!.document, 'CustomerId')).toBe('');
  });

  it("when the new customer's document cannot be written (no company and no name), then the order is held with the customer's reason and nothing is queued", async () => {
    const { db } = ctx();
    const seeded = await seedOrder(db);
    const account = newAccountFor(seeded.order, 'NONAME01');
    const nameless: NewAccountInput = {
      ...account,
      details: { ...account.details, companyName: '', invoiceAddress: { ...account.details.invoiceAddress, forename: '', surname: '' } },
    };
    const result = await queue(db, seeded, 'NONAME01', nameless);
    expect(result).toEqual({ status: 'held', hold: expect.objectContaining({ code: 'MISSING_FIELD', field: 'companyName' }) });
    expect(await db('export_jobs').where({ order_id: seeded.orderId })).toEqual([]);
    expect(await findJobByKey(db, customerJobKey('NONAME01'))).toBeUndefined();
    expect((await db('orders').where({ id: seeded.orderId }).first()).state).toBe('allocated');
  });

  it('when an order that had an error is queued after other orders, then its own content hash is recorded as exported and the error cleared', async () => {
    const { db } = ctx();
    await seedOrder(db);
    const seeded = await seedOrder(db);
    await db('orders').where({ id: seeded.orderId }).update({ last_error: 'no account for this buyer' });
    await queue(db, seeded, 'WEBSALES');
    const row = await db('orders').where({ id: seeded.orderId }).first();
    expect(row).toMatchObject({
      state: 'queued',
      exported_hash: `hash-${seeded.orderId}`,
      content_hash: `hash-${seeded.orderId}`,
      last_error: null,
    });
  });
});
