import type { Knex } from 'knex';
import { afterEach, expect, it } from 'vitest';
import { claimJobs, type ClaimRequest } from '../src/db/claim-jobs.ts';
import { insertExportJob } from './helpers/factories.ts';
import { describeEachDialect } from './helpers/test-db.ts';

const NOW = new Date('2026-11-23T10:15:00.000Z');
const PAST = '2026-11-23T10:00:00.000Z';
const LATER = '2026-11-23T11:00:00.000Z';

const claim = (overrides: Partial<ClaimRequest> = {}): ClaimRequest => ({
  workerId: 'worker-a',
  channel: 'folder',
  now: NOW,
  limit: 10,
  leaseMs: 60_000,
  ...overrides,
});

let seq = 0;
/** Inserts an export job and returns its id. */
async function job(db: Knex, overrides: Record<string, unknown> = {}): Promise<number> {
  seq += 1;
  const key = `claim-test:${seq}`;
  await insertExportJob(db, { job_key: key, next_attempt_at: PAST, ...overrides });
  return Number((await db('export_jobs').where({ job_key: key }).first('id')).id);
}

describeEachDialect('claimJobs', (ctx) => {
  afterEach(async () => {
    await ctx().db('export_jobs').delete();
    await ctx().db('export_batches').delete();
  });

  it('when a sales order’s customer is queued but still waiting out its retry, then the sales order is passed over and the job behind it is claimed', async () => {
    const { db } = ctx();
    const customer = await job(db, { kind: 'customer', next_attempt_at: LATER });
    const salesOrder = await job(db, { depends_on_job_id: customer });
    const other = await job(db);
    expect((await claimJobs(db, claim({ limit: 1 })))?.jobIds).toEqual([other]);
    expect(await db('export_jobs').where({ id: salesOrder }).first('state', 'batch_id', 'attempts')).toMatchObject({
      state: 'queued',
      batch_id: null,
      attempts: 0,
    });
  });

  it.each(['delivered', 'imported'])('when a sales order’s customer was %s, then the sales order is claimed on its own', async (state) => {
    const { db } = ctx();
    const customer = await job(db, { kind: 'customer', state });
    const salesOrder = await job(db, { depends_on_job_id: customer });
    const batch = await claimJobs(db, claim());
    expect(batch?.jobIds).toEqual([salesOrder]);
    expect(await db('export_jobs').where({ id: salesOrder }).first('state', 'batch_id')).toMatchObject({
      state: 'claimed',
      batch_id: batch!.batchId,
    });
  });

  it('when more sales orders wait for a customer another worker holds than one claim reads, then a ready job behind them is still claimed', async () => {
    const { db } = ctx();
    const customer = await job(db, { kind: 'customer', state: 'claimed' });
    for (let i = 0; i < 25; i += 1) await job(db, { depends_on_job_id: customer });
    const ready = await job(db);
    expect((await claimJobs(db, claim({ limit: 10 })))?.jobIds).toEqual([ready]);
  });

  it('when jobs are claimed, then they are this worker’s until the lease runs out, and a pull batch is offered now; a folder batch is not offered', async () => {
    const { db } = ctx();
    const first = await job(db);
    const folder = await claimJobs(db, claim());
    expect(await db('export_jobs').where({ id: first }).first('state', 'locked_by', 'locked_until', 'attempts')).toMatchObject({
      state: 'claimed',
      locked_by: 'worker-a',
      locked_until: '2026-11-23T10:16:00.000Z',
      attempts: 1,
    });
    expect(await db('export_batches').where({ id: folder!.batchId }).first('state', 'offered_at', 'documents')).toMatchObject({
      state: 'open',
      offered_at: null,
      documents: 1,
    });

    await job(db);
    const offerExpiresAt = new Date('2026-11-23T12:15:00.000Z');
    const pull = await claimJobs(db, claim({ channel: 'pull', ackToken: 'ack-1', offerExpiresAt }));
    expect(await db('export_batches').where({ id: pull!.batchId }).first('state', 'offered_at', 'offer_expires_at', 'ack_token')).toMatchObject({
      state: 'offered',
      offered_at: '2026-11-23T10:15:00.000Z',
      offer_expires_at: '2026-11-23T12:15:00.000Z',
      ack_token: 'ack-1',
    });
  });

  it('when the worker id is as long as the schema allows, then the claim still succeeds under the batch’s own name', async () => {
    const { db } = ctx();
    const only = await job(db);
    // locked_by holds 191 characters; the batch's name while it is being claimed embeds the id.
    const batch = await claimJobs(db, claim({ workerId: `${'h'.repeat(180)}:4242:abcd` }));
    expect(batch?.jobIds).toEqual([only]);
    expect(batch?.name).toMatch(/^\d{8}-20261123T101500Z$/);
  });

  it('when nothing is ready, then no batch is left behind', async () => {
    const { db } = ctx();
    await job(db, { next_attempt_at: LATER });
    expect(await claimJobs(db, claim())).toBeNull();
    expect(await db('export_batches').count({ n: '*' }).first()).toMatchObject({ n: 0 });
  });
});
