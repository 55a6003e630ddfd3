import fs from 'node:fs';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { leaseBatch } from '../src/db/export-batches.ts';
import { findJobByKey, salesOrderJobKey } from '../src/db/export-jobs.ts';
import { deliverToFolder, type DeliveryReport } from '../src/pipeline/deliver-to-folder.ts';
import { STAGING_DIR } from '../src/pipeline/outbox-files.ts';
import { markOrderResult } from '../src/pipeline/results.ts';
import { documentIds, newAccountFor, outboxesRemovedAfterEach, outboxFiles, queue, seedOrder, testClock } from './helpers/outbox.ts';
import { describeEachDialect } from './helpers/test-db.ts';

// Another actor steps in at a precise point of a delivery (the deliverer's step hooks pause it there):
// a deliverer that takes the batch over once this one's lease has run out, or a person marking an order.

const outbox = outboxesRemovedAfterEach();

const staged = (dir: string) => (fs.existsSync(path.join(dir, STAGING_DIR)) ? fs.readdirSync(path.join(dir, STAGING_DIR)) : []);

/** The document Ids in the outbox's files, each file's in turn. */
function published(dir: string): { customers: string[]; salesOrders: string[] } {
  const all = { customers: [] as string[], salesOrders: [] as string[] };
  for (const name of outboxFiles(dir)) {
    const ids = documentIds(fs.readFileSync(path.join(dir, name), 'utf8'));
    all.customers.push(...ids.customers);
    all.salesOrders.push(...ids.salesOrders);
  }
  return all;
}

const LEASE_MS = 60_000;

describeEachDialect('deliverToFolder: another actor steps in mid-batch', (ctx) => {
  afterEach(async () => {
    await ctx().db('export_jobs').delete();
    await ctx().db('export_batches').delete();
  });

  /** An order for a new account: its batch has two files, customers then sales orders. */
  async function queueNewAccount(code: string) {
    const { db } = ctx();
    const seeded = await seedOrder(db);
    await queue(db, seeded, code, newAccountFor(seeded.order, code));
    return { orderId: String(seeded.orderId), customer: `guest-${seeded.order.billing.email}` };
  }

  it('when a slow deliverer stages its second file after the one that took over has delivered the batch, then that stray copy is discarded, never published', async () => {
    const { db } = ctx();
    const dir = outbox();
    const order = await queueNewAccount('STRAY01');
    const clock = testClock();
    let fast: DeliveryReport | undefined;
    const slow = await deliverToFolder(db, {
      outboxDir: dir,
      clock,
      workerId: 'slow',
      leaseMs: LEASE_MS,
      afterStep: async (at) => {
        if (at !== 'staged-file' || fast) return;
        clock.advance(2 * LEASE_MS);
        fast = await deliverToFolder(db, { outboxDir: dir, clock, workerId: 'fast', leaseMs: LEASE_MS });
      },
    });
    expect(fast).toMatchObject({ documents: 2, errors: [] });
    expect(slow.errors).toEqual([
      {
        batchId: fast!.batches[0]!.id,
        message: expect.stringContaining('lease lost before its files were recorded'),
        retryAt: null,
        failedJobs: [],
      },
    ]);
    expect(staged(dir)).toEqual([]);
    expect(published(dir)).toEqual({ customers: [order.customer], salesOrders: [order.orderId] });
  });

  it('when the deliverer that took over has staged the batch but not yet published it, then the slow one leaves the staged files to it', async () => {
    const { db } = ctx();
    const dir = outbox();
    const order = await queueNewAccount('STRAY02');
    const clock = testClock();
    let fastStaged: () => void = () => undefined;
    const fastHasStaged = new Promise<void>((resolve) => (fastStaged = resolve));
    let slowDone: () => void = () => undefined;
    const slowHasFinished = new Promise<void>((resolve) => (slowDone = resolve));
    let fast: Promise<DeliveryReport> | undefined;
    const slow = await deliverToFolder(db, {
      outboxDir: dir,
      clock,
      workerId: 'slow',
      leaseMs: LEASE_MS,
      afterStep: async (at) => {
        if (at !== 'staged-file' || fast) return;
        clock.advance(2 * LEASE_MS);
        fast = deliverToFolder(db, {
          outboxDir: dir,
          clock,
          workerId: 'fast',
          leaseMs: LEASE_MS,
          afterStep: async (step) => {
            if (step !== 'staged') return;
            fastStaged();
            await slowHasFinished;
          },
        });
        await Promise.race([fastHasStaged, fast]);
      },
    });
    slowDone();
    expect(slow.errors).toEqual([
      expect.objectContaining({ message: expect.stringContaining('lease lost before its files were recorded') }),
    ]);
    expect(await fast!).toMatchObject({ documents: 2, errors: [] });
    expect(published(dir)).toEqual({ customers: [order.customer], salesOrders: [order.orderId] });
    expect(staged(dir)).toEqual([]);
  });

  it('when the deliverer that took over gave the batch back to the queue, then the slow one reports its lease lost and goes on', async () => {
    const { db } = ctx();
    const dir = outbox();
    await queueNewAccount('GONE01');
    const clock = testClock();
    let fast: DeliveryReport | undefined;
    let later: Awaited<ReturnType<typeof seedOrder>> | undefined;
    const slow = await deliverToFolder(db, {
      outboxDir: dir,
      clock,
      workerId: 'slow',
      leaseMs: LEASE_MS,
      afterStep: async (at, detail) => {
        if (at !== 'staged-file' || fast) return;
        clock.advance(2 * LEASE_MS);
        // A folder where the sales-orders file is to be renamed into place: the take-over fails and releases the batch.
        const obstacle = path.join(dir, STAGING_DIR, detail.file!.replace('customers', 'sales-orders'));
        fs.mkdirSync(obstacle);
        fast = await deliverToFolder(db, { outboxDir: dir, clock, workerId: 'fast', leaseMs: LEASE_MS });
        fs.rmdirSync(obstacle);
        later = await seedOrder(db);
        await queue(db, later, 'WEBSALES');
      },
    });
    expect(fast!.errors).toHaveLength(1);
    expect(slow).toMatchObject({ documents: 1, rejected: [] });
    expect(published(dir)).toEqual({ customers: [], salesOrders: [String(later!.orderId)] });
    expect(slow.errors).toEqual([
      {
        batchId: fast!.errors[0]!.batchId,
        message: expect.stringContaining('lease lost before its files were recorded'),
        retryAt: null,
        failedJobs: [],
      },
    ]);
    expect((await db('export_jobs').orderBy('id')).map((j) => [j.state, j.attempts])).toEqual([
      ['queued', 1],
      ['queued', 1],
      ['delivered', 1],
    ]);
  });

  it('when another deliverer takes the batch over before its unusable documents are rejected, then the slow one rejects nothing, writes nothing, and the other delivers it', async () => {
    const { db } = ctx();
    const dir = outbox();
    const good = await seedOrder(db);
    const broken = await seedOrder(db);
    await queue(db, good, 'WEBSALES');
    await queue(db, broken, 'WEBSALES');
    await db('export_jobs')
      .where({ job_key: salesOrderJobKey(broken.orderId) })
      .update({ document: '<SalesOrder><Id>1</Id>' });
    const clock = testClock();
    let batchId = 0;
    const slow = await deliverToFolder(db, {
      outboxDir: dir,
      clock,
      workerId: 'slow',
      leaseMs: LEASE_MS,
      afterStep: async (at, detail) => {
        if (at !== 'claimed') return;
        batchId = detail.batchId;
        clock.advance(2 * LEASE_MS);
        expect(await leaseBatch(db, batchId, 'fast', clock.now(), LEASE_MS)).toBe(true);
      },
    });
    expect(slow).toMatchObject({ documents: 0, rejected: [] });
    expect(slow.errors).toEqual([
      { batchId, message: expect.stringContaining('lease lost before its documents were checked'), retryAt: null, failedJobs: [] },
    ]);
    expect(staged(dir)).toEqual([]);
    expect((await findJobByKey(db, salesOrderJobKey(broken.orderId)))!.state).toBe('claimed');

    const fast = await deliverToFolder(db, { outboxDir: dir, clock, workerId: 'fast', leaseMs: LEASE_MS });
    expect(fast).toMatchObject({ documents: 1, errors: [], rejected: [{ jobId: expect.any(Number), problem: expect.any(String) }] });
    expect(published(dir).salesOrders).toEqual([String(good.orderId)]);
  });

  it('when a deliverer fails after another has taken its batch over, then its back-off leaves the batch alone: no retry time, no failed jobs', async () => {
    const { db } = ctx();
    const dir = outbox();
    await queueNewAccount('BACK01');
    const clock = testClock();
    const slow = await deliverToFolder(db, {
      outboxDir: dir,
      clock,
      workerId: 'slow',
      leaseMs: LEASE_MS,
      random: () => 1,
      afterStep: async (at, detail) => {
        if (at !== 'staged-file') return;
        clock.advance(2 * LEASE_MS);
        expect(await leaseBatch(db, detail.batchId, 'fast', clock.now(), LEASE_MS)).toBe(true);
        fs.mkdirSync(path.join(dir, STAGING_DIR, detail.file!.replace('customers', 'sales-orders')));
      },
    });
    expect(slow.errors).toEqual([{ batchId: expect.any(Number), message: expect.any(String), retryAt: null, failedJobs: [] }]);
    expect(await db('export_batches')).toMatchObject([{ state: 'open', locked_by: 'fast' }]);
    expect((await db('export_jobs')).map((j) => [j.state, j.attempts])).toEqual([
      ['claimed', 1],
      ['claimed', 1],
    ]);
  });

  for (const withUnusable of [false, true]) {
    it(`when a person marks an order imported while its batch is being delivered${withUnusable ? ' (and the batch has an unusable document)' : ''}, then its document is left out of the files`, async () => {
      const { db } = ctx();
      const dir = outbox();
      const kept = await seedOrder(db);
      const marked = await seedOrder(db);
      await queue(db, kept, 'WEBSALES');
      await queue(db, marked, 'WEBSALES');
      if (withUnusable) {
        const broken = await seedOrder(db);
        await queue(db, broken, 'WEBSALES');
        await db('export_jobs')
          .where({ job_key: salesOrderJobKey(broken.orderId) })
          .update({ document: '<SalesOrder><Id>1</Id>' });
      }
      const clock = testClock();
      const report = await deliverToFolder(db, {
        outboxDir: dir,
        clock,
        afterStep: async (at) => {
          if (at === 'claimed') await markOrderResult(db, { orderId: marked.orderId, outcome: 'imported', clock, actor: 'ann' });
        },
      });
      expect(report).toMatchObject({ documents: 1, errors: [] });
      expect(report.rejected).toHaveLength(withUnusable ? 1 : 0);
      expect(published(dir)).toEqual({ customers: [], salesOrders: [String(kept.orderId)] });
      expect((await findJobByKey(db, salesOrderJobKey(marked.orderId)))!.state).toBe('imported');
    });
  }
});
