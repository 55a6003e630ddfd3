import fs from 'node:fs';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { findBatch } from '../src/db/export-batches.ts';
import { customerJobKey, findJobByKey, salesOrderJobKey } from '../src/db/export-jobs.ts';
import { listOrderEvents } from '../src/db/order-events.ts';
import { deliverToFolder } from '../src/pipeline/deliver-to-folder.ts';
import { STAGING_DIR } from '../src/pipeline/outbox-files.ts';
import { documentIds, newAccountFor, outboxesRemovedAfterEach, outboxFiles, queue, seedOrder, testClock } from './helpers/outbox.ts';
import { describeEachDialect } from './helpers/test-db.ts';

const outbox = outboxesRemovedAfterEach();

/** Three tries, a minute then two: short enough to walk through in a test, no jitter. */
const policy = { attempts: 3, baseDelayMs: 60_000, factor: 2, maxDelayMs: 60 * 60_000, jitter: 0 };

describeEachDialect('delivery retries', (ctx) => {
  afterEach(async () => {
    await ctx().db('export_jobs').delete();
    await ctx().db('export_batches').delete();
  });

  it('when the outbox stays unwritable, then each run before the wait is over does nothing, the waits grow, and after the last attempt the order fails with the error', async () => {
    const { db } = ctx();
    const dir = outbox();
    const seeded = await seedOrder(db);
    await queue(db, seeded, 'WEBSALES');
    await db('orders').where({ id: seeded.orderId }).update({ state: 'queued' });
    fs.writeFileSync(path.join(dir, STAGING_DIR), 'not a folder');
    const clock = testClock();
    const run = () => deliverToFolder(db, { outboxDir: dir, clock, workerId: 'w', retryPolicy: policy });

    const first = await run();
    expect(first.errors[0]).toMatchObject({ retryAt: '2026-11-23T10:16:00.000Z', failedJobs: [] });
    clock.advance(59_000);
    expect(await run()).toMatchObject({ documents: 0, errors: [] });
    expect((await findJobByKey(db, salesOrderJobKey(seeded.orderId)))!.attempts).toBe(1);

    clock.advance(1_000);
    const second = await run();
    expect(second.errors[0]!.retryAt).toBe('2026-11-23T10:18:00.000Z');
    expect(await findJobByKey(db, salesOrderJobKey(seeded.orderId))).toMatchObject({ state: 'queued', attempts: 2 });

    clock.advance(120_000);
    const third = await run();
    const job = await findJobByKey(db, salesOrderJobKey(seeded.orderId));
    expect(third.errors[0]).toMatchObject({ retryAt: null, failedJobs: [job!.id] });
    expect(job).toMatchObject({ state: 'failed', attempts: 3, batchId: null });
    expect(job!.lastError).toMatch(/^delivery failed after 3 attempts: .*(EEXIST|ENOTDIR)/);
    const order = await db('orders').where({ id: seeded.orderId }).first();
    expect(order.state).toBe('failed');
    expect(order.last_error).toMatch(/^sales order not delivered: delivery failed after 3 attempts: /);
    expect((await listOrderEvents(db, seeded.orderId)).at(-1)).toMatchObject({ from: 'queued', to: 'failed', actor: 'delivery' });

    clock.advance(24 * 60 * 60_000);
    expect(await run()).toMatchObject({ documents: 0, errors: [] });
  });

  it('when a batch whose documents have used different numbers of attempts cannot be written, then the error gives the earliest retry time among them', async () => {
    const { db } = ctx();
    const dir = outbox();
    const triedBefore = await seedOrder(db);
    const fresh = await seedOrder(db);
    await queue(db, triedBefore, 'WEBSALES');
    await queue(db, fresh, 'WEBSALES');
    // The first in the batch waits longest: its wait is not the batch's earliest.
    await db('export_jobs')
      .where({ job_key: salesOrderJobKey(triedBefore.orderId) })
      .update({ attempts: 1 });
    fs.writeFileSync(path.join(dir, STAGING_DIR), 'not a folder');
    const report = await deliverToFolder(db, { outboxDir: dir, clock: testClock(), workerId: 'w', retryPolicy: policy });
    expect(report.errors[0]!.retryAt).toBe('2026-11-23T10:16:00.000Z');
    expect((await db('export_jobs').orderBy('id')).map((j) => j.next_attempt_at)).toEqual([
      '2026-11-23T10:17:00.000Z',
      '2026-11-23T10:16:00.000Z',
    ]);
  });

  it('when a document is backing off, then documents queued after it are delivered meanwhile', async () => {
    const { db } = ctx();
    const dir = outbox();
    const first = await seedOrder(db);
    await queue(db, first, 'WEBSALES');
    const blocked = path.join(dir, STAGING_DIR);
    fs.writeFileSync(blocked, 'not a folder');
    const clock = testClock();
    await deliverToFolder(db, { outboxDir: dir, clock, workerId: 'w', retryPolicy: policy });
    fs.rmSync(blocked);
    const second = await seedOrder(db);
    await queue(db, second, 'WEBSALES');
    const report = await deliverToFolder(db, { outboxDir: dir, clock, workerId: 'w', retryPolicy: policy });
    expect(report).toMatchObject({ documents: 1, errors: [] });
    expect(documentIds(fs.readFileSync(path.join(dir, outboxFiles(dir)[0]!), 'utf8')).salesOrders).toEqual([String(second.orderId)]);
    expect((await findJobByKey(db, salesOrderJobKey(first.orderId)))!.state).toBe('queued');
  });

  it('when a file cannot be moved into the outbox after staging, then the batch is finished after its backoff, never given back to the queue', async () => {
    const { db } = ctx();
    const dir = outbox();
    const seeded = await seedOrder(db);
    await queue(db, seeded, 'WEBSALES');
    const clock = testClock();
    let obstacle = '';
    const failed = await deliverToFolder(db, {
      outboxDir: dir,
      clock,
      workerId: 'w',
      retryPolicy: policy,
      afterStep: async (at, detail) => {
        if (at !== 'staged' || obstacle) return;
        const batch = await findBatch(db, detail.batchId);
        // A folder where the file should go: the rename fails.
        obstacle = path.join(dir, `${batch!.name}-sales-orders.xml`);
        fs.mkdirSync(path.join(obstacle, 'inside'), { recursive: true });
      },
    });
    // Its documents may be visible already: none can fail for good, whatever their attempts.
    expect(failed.errors).toEqual([
      { batchId: expect.any(Number), message: expect.any(String), retryAt: '2026-11-23T10:16:00.000Z', failedJobs: [] },
    ]);
    const batch = (await db('export_batches').first())!;
    expect(batch).toMatchObject({ state: 'staged', attempts: 1, next_attempt_at: '2026-11-23T10:16:00.000Z' });
    expect((await findJobByKey(db, salesOrderJobKey(seeded.orderId)))!.state).toBe('claimed');
    fs.rmSync(obstacle, { recursive: true });

    expect(await deliverToFolder(db, { outboxDir: dir, clock, workerId: 'w2', retryPolicy: policy })).toMatchObject({ documents: 0 });
    clock.advance(60_000);
    const finished = await deliverToFolder(db, { outboxDir: dir, clock, workerId: 'w2', retryPolicy: policy });
    expect(finished).toMatchObject({ documents: 1, errors: [] });
    expect(finished.batches[0]).toMatchObject({ id: batch.id, recovered: true });
    expect(await db('export_batches').where({ id: batch.id }).first()).toMatchObject({ state: 'written', next_attempt_at: null });
  });

  it('when a document is unusable, then it fails at once, the rest of its batch is delivered, and an order waiting for a rejected customer shows why', async () => {
    const { db } = ctx();
    const dir = outbox();
    const good = await seedOrder(db);
    const broken = await seedOrder(db);
    const needsBroken = await seedOrder(db);
    await queue(db, good, 'WEBSALES');
    await queue(db, broken, 'WEBSALES');
    await queue(db, needsBroken, 'RJCT01', newAccountFor(needsBroken.order, 'RJCT01'));
    await db('orders').update({ state: 'queued' });
    await db('export_jobs')
      .where({ job_key: salesOrderJobKey(broken.orderId) })
      .update({ document: '<SalesOrder><Id>1</Id>' });
    await db('export_jobs')
      .where({ job_key: customerJobKey('RJCT01') })
      .update({ document: '<SalesOrder><Id>x</Id></SalesOrder>' });

    const report = await deliverToFolder(db, { outboxDir: dir, clock: testClock(), workerId: 'w' });
    expect(report.errors).toEqual([]);
    expect(report.rejected.map((r) => r.problem)).toEqual([
      expect.stringContaining('the SalesOrder document is not well-formed XML'),
      'the document is a <SalesOrder>, expected <Customer>',
    ]);
    expect(report.documents).toBe(1);
    const ids = outboxFiles(dir).flatMap((f) => documentIds(fs.readFileSync(path.join(dir, f), 'utf8')).salesOrders);
    expect(ids).toEqual([String(good.orderId)]);

    expect(await findJobByKey(db, salesOrderJobKey(broken.orderId))).toMatchObject({ state: 'failed', attempts: 1 });
    expect((await db('orders').where({ id: broken.orderId }).first()).last_error).toMatch(
      /^sales order not delivered: its document is unusable: the SalesOrder document is not well-formed XML/,
    );
    expect(await findJobByKey(db, salesOrderJobKey(needsBroken.orderId))).toMatchObject({ state: 'queued', attempts: 0, batchId: null });
    expect(await db('orders').where({ id: needsBroken.orderId }).first()).toMatchObject({
      state: 'failed',
      last_error:
        'waiting for new Sage account RJCT01, which was not delivered: its document is unusable: the document is a <SalesOrder>, expected <Customer>',
    });
  });

  it('when a new customer runs out of attempts, then the orders waiting for it fail naming the account', async () => {
    const { db } = ctx();
    const dir = outbox();
    const seeded = await seedOrder(db);
    await queue(db, seeded, 'TIRED01', newAccountFor(seeded.order, 'TIRED01'));
    await db('orders').where({ id: seeded.orderId }).update({ state: 'queued' });
    await db('export_jobs')
      .where({ job_key: customerJobKey('TIRED01') })
      .update({ attempts: 2 });
    fs.writeFileSync(path.join(dir, STAGING_DIR), 'not a folder');
    const report = await deliverToFolder(db, { outboxDir: dir, clock: testClock(), workerId: 'w', retryPolicy: policy, maxPerBatch: 1 });
    const customer = await findJobByKey(db, customerJobKey('TIRED01'));
    expect(report.errors[0]!.failedJobs).toEqual([customer!.id]);
    expect(customer!.state).toBe('failed');
    expect((await db('orders').where({ id: seeded.orderId }).first()).last_error).toMatch(
      /^waiting for new Sage account TIRED01, which was not delivered: delivery failed after 3 attempts: /,
    );
  });
});
