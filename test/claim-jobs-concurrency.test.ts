import { afterEach, expect, it } from 'vitest';
import { claimJobs, type ClaimRequest } from '../src/db/claim-jobs.ts';
import { openDatabase } from '../src/db/connection.ts';
import { newAccountFor, queue, seedOrder, testClock } from './helpers/outbox.ts';
import { describeEachDialect } from './helpers/test-db.ts';

const claim = (workerId: string, limit = 10): ClaimRequest => ({
  workerId,
  channel: 'folder',
  now: testClock().now(),
  limit,
  leaseMs: 60_000,
});

/** A new buyer's order: a customer job and a sales-order job that depends on it. */
async function newBuyerOrder(db: Parameters<typeof seedOrder>[0], code: string) {
  const seeded = await seedOrder(db);
  const queued = await queue(db, seeded, code, newAccountFor(seeded.order, code));
  const jobs = await db('export_jobs').where({ order_id: seeded.orderId }).orWhere({ document_id: code }).select('id', 'kind', 'depends_on_job_id');
  const customer = jobs.find((j) => j.kind === 'customer')!;
  const salesOrder = jobs.find((j) => j.kind !== 'customer' && Number(j.depends_on_job_id) === Number(customer.id))!;
  expect(queued).toBeTruthy();
  return { customerJob: Number(customer.id), salesOrderJob: Number(salesOrder.id) };
}

describeEachDialect('claiming jobs while another worker holds a dependency', (ctx) => {
  afterEach(async () => {
    await ctx().db('export_jobs').delete();
    await ctx().db('export_batches').delete();
  });

  it('when another worker has claimed a new customer, then a second worker does not take the sales order that needs it', async () => {
    const { db } = ctx();
    const { customerJob, salesOrderJob } = await newBuyerOrder(db, 'DEPCL01');
    const first = await claimJobs(db, claim('worker-a', 1));
    expect(first?.jobIds).toEqual([customerJob]);
    const second = await claimJobs(db, claim('worker-b'));
    expect(second).toBeNull();
    expect(await db('export_jobs').where({ id: salesOrderJob }).first('state', 'batch_id')).toMatchObject({ state: 'queued', batch_id: null });
    // Once the customer is delivered, the sales order is free to go.
    await db('export_jobs').where({ id: customerJob }).update({ state: 'delivered' });
    expect((await claimJobs(db, claim('worker-b')))?.jobIds).toEqual([salesOrderJob]);
  });

  it('when a customer and its sales order fit in one claim, then both are taken together, the customer first', async () => {
    const { db } = ctx();
    const { customerJob, salesOrderJob } = await newBuyerOrder(db, 'DEPCL02');
    expect((await claimJobs(db, claim('worker-a')))?.jobIds).toEqual([customerJob, salesOrderJob]);
  });

  it('when two workers on their own connections claim at the same time, again and again, then every job is taken once and no sales order is ever claimed without its customer', async () => {
    const { db, url } = ctx();
    const pairs = [];
    for (let i = 0; i < 12; i += 1) pairs.push(await newBuyerOrder(db, `RACE${String(i).padStart(2, '0')}`));
    const dependencyOf = new Map(pairs.map((p) => [p.salesOrderJob, p.customerJob]));
    const workers = [openDatabase(url), openDatabase(url)];
    const batches: Array<{ round: number; jobIds: number[] }> = [];
    try {
      for (let round = 0; round < 40; round += 1) {
        const claimed = await Promise.all(workers.map((w, i) => claimJobs(w, claim(`worker-${i}`, 3))));
        claimed.forEach((b) => b && batches.push({ round, jobIds: b.jobIds }));
        if (claimed.every((b) => b === null)) {
          if ((await db('export_jobs').where({ state: 'queued' }).count({ n: '*' }).first())?.n == 0) break;
        }
        // What was claimed is delivered before the next round, as a deliverer would.
        await db('export_jobs').where({ state: 'claimed' }).update({ state: 'delivered' });
      }
    } finally {
      await Promise.all(workers.map((w) => w.destroy()));
    }
    const all = batches.flatMap((b) => b.jobIds);
    expect(all.length).toBe(24);
    expect(new Set(all).size).toBe(24);
    // A sales order's customer was delivered in an earlier round, or is in the same batch ahead of it.
    for (const batch of batches) {
      const earlier = new Set(batches.filter((b) => b.round < batch.round).flatMap((b) => b.jobIds));
      for (const [i, id] of batch.jobIds.entries()) {
        const dependency = dependencyOf.get(id);
        if (dependency === undefined) continue;
        expect(earlier.has(dependency) || batch.jobIds.slice(0, i).includes(dependency), `job ${id} needs ${dependency}`).toBe(true);
      }
    }
  });
});
