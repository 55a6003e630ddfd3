import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, it, onTestFinished } from 'vitest';
import { issueApiToken } from '../src/auth/tokens.ts';
import { claimJobs } from '../src/db/claim-jobs.ts';
import { creditNoteJobKey, insertJobIfAbsent } from '../src/db/export-jobs.ts';
import { AppError } from '../src/domain/errors.ts';
import { acknowledgeBatch, offerNextBatch } from '../src/pipeline/deliver-by-pull.ts';
import { deliverToFolder } from '../src/pipeline/deliver-to-folder.ts';
import { Client, createTestUser, startTestApp } from './helpers/http.ts';
import { documentIds, newAccountFor, queue, seedOrder, testClock } from './helpers/outbox.ts';
import { describeEachDialect } from './helpers/test-db.ts';

describeEachDialect('HTTP pull delivery', (ctx) => {
  afterEach(async () => {
    await ctx().db('export_jobs').delete();
    await ctx().db('export_batches').delete();
  });

  it('when a batch is fetched and acknowledged, then its documents are delivered once and never offered again', async () => {
    const { db } = ctx();
    const clock = testClock();
    const a = await seedOrder(db);
    await queue(db, a, 'PULLA01', newAccountFor(a.order, 'PULLA01'));
    const offered = await offerNextBatch(db, { clock, maxPerBatch: 10 });
    expect(offered).not.toBeNull();
    expect(documentIds(offered!.xml)).toEqual({ customers: [`guest-${a.order.billing.email}`], salesOrders: [String(a.orderId)] });
    expect((await db('export_jobs')).map((j) => j.state)).toEqual(['claimed', 'claimed']);
    expect(await offerNextBatch(db, { clock })).toBeNull();

    await expect(acknowledgeBatch(db, offered!.batchId, 'wrong', { clock })).rejects.toMatchObject({
      code: 'BATCH_TOKEN_INVALID',
      status: 403,
    });
    expect(await acknowledgeBatch(db, offered!.batchId, offered!.token, { clock })).toEqual({
      batchId: offered!.batchId,
      status: 'acknowledged',
      documents: 2,
    });
    expect((await db('export_jobs')).map((j) => j.state)).toEqual(['delivered', 'delivered']);
    expect((await db('orders').where({ id: a.orderId }).first()).state).toBe('delivered');
    expect(await acknowledgeBatch(db, offered!.batchId, offered!.token, { clock })).toMatchObject({ status: 'already-acknowledged' });
    clock.advance(60 * 60_000);
    expect(await offerNextBatch(db, { clock })).toBeNull();
  });

  it('when a fetched batch is not acknowledged in time, then its documents go back to folder delivery and a late acknowledgement is refused', async () => {
    const { db } = ctx();
    const clock = testClock();
    const a = await seedOrder(db);
    await queue(db, a, 'WEBSALES');
    const first = await offerNextBatch(db, { clock, offerTimeoutMs: 60_000 });
    const outboxDir = fs.mkdtempSync(path.join(os.tmpdir(), 'woo-sage-pull-'));
    onTestFinished(() => fs.rmSync(outboxDir, { recursive: true, force: true }));
    clock.advance(30_000);
    expect((await deliverToFolder(db, { outboxDir, clock })).documents).toBe(0);
    clock.advance(31_000);
    const report = await deliverToFolder(db, { outboxDir, clock });
    expect(report.documents).toBe(1);
    expect(fs.readdirSync(outboxDir).filter((f) => f.endsWith('.xml'))).toHaveLength(1);
    expect((await db('export_batches').where({ id: first!.batchId }).first()).state).toBe('expired');
    expect((await db('orders').where({ id: a.orderId }).first()).state).toBe('delivered');
    await expect(acknowledgeBatch(db, first!.batchId, first!.token, { clock })).rejects.toMatchObject({ code: 'CONFLICT', status: 409 });
    expect((await db('export_jobs')).map((j) => j.state)).toEqual(['delivered']);
  });

  it('when a lapsed offer is followed by another take, then the documents come in a new batch with a new token', async () => {
    const { db } = ctx();
    const clock = testClock();
    await queue(db, await seedOrder(db), 'WEBSALES');
    const first = await offerNextBatch(db, { clock, offerTimeoutMs: 60_000 });
    clock.advance(61_000);
    const again = await offerNextBatch(db, { clock, offerTimeoutMs: 60_000 });
    expect(again!.batchId).not.toBe(first!.batchId);
    expect(again!.token).not.toBe(first!.token);
    expect(documentIds(again!.xml)).toEqual(documentIds(first!.xml));
    expect(await acknowledgeBatch(db, again!.batchId, again!.token, { clock })).toMatchObject({ status: 'acknowledged', documents: 1 });
  });

  it('when a new customer waits in an unacknowledged batch, then its sales order is offered only after that batch is acknowledged', async () => {
    const { db } = ctx();
    const clock = testClock();
    const a = await seedOrder(db);
    await queue(db, a, 'PULLB01', newAccountFor(a.order, 'PULLB01'));
    const customers = await offerNextBatch(db, { clock, maxPerBatch: 1 });
    expect(documentIds(customers!.xml).salesOrders).toEqual([]);
    expect(await offerNextBatch(db, { clock, maxPerBatch: 1 })).toBeNull();
    await acknowledgeBatch(db, customers!.batchId, customers!.token, { clock });
    const orders = await offerNextBatch(db, { clock, maxPerBatch: 1 });
    expect(documentIds(orders!.xml)).toEqual({ customers: [], salesOrders: [String(a.orderId)] });
  });

  it('when an unknown batch is acknowledged, then it is a not-found error', async () => {
    await expect(acknowledgeBatch(ctx().db, 999_999, 'x', { clock: testClock() })).rejects.toBeInstanceOf(AppError);
  });

  it('when an importer takes and acknowledges over HTTP, then it gets the XML with batch headers, 204 when empty, and the ack is checked', async () => {
    const { db, url } = ctx();
    const server = await startTestApp(db, url, { clock: testClock() });
    try {
      const importer = new Client(server.url);
      importer.bearer = (await issueApiToken(db, await createTestUser(db, 'importer'), 'zynk', 'test')).secret;
      expect((await new Client(server.url).post('/api/outbox/next')).status).toBe(401);
      expect((await importer.post('/api/outbox/next')).status).toBe(204);
      const a = await seedOrder(db);
      await queue(db, a, 'WEBSALES');
      const response = await importer.post('/api/outbox/next');
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('application/xml');
      expect(documentIds(response.text).salesOrders).toEqual([String(a.orderId)]);
      const batchId = response.headers.get('x-batch-id')!;
      expect((await importer.post(`/api/outbox/batches/${batchId}/ack`, { token: 'nope' })).status).toBe(403);
      const ack = await importer.post(`/api/outbox/batches/${batchId}/ack`, { token: response.headers.get('x-batch-token') });
      expect(ack.body).toEqual({ batchId: Number(batchId), status: 'acknowledged', documents: 1 });
      expect((await importer.post('/api/outbox/batches/abc/ack', { token: 'x' })).status).toBe(400);
      // The importer account sees nothing else.
      expect((await importer.get('/api/orders')).status).toBe(403);
    } finally {
      await server.close();
    }
  });

  it('when the take endpoint is read with GET or HEAD, or taken without CSRF or by support, then nothing leaves the queue', async () => {
    const { db, url } = ctx();
    const server = await startTestApp(db, url, { clock: testClock() });
    try {
      await queue(db, await seedOrder(db), 'WEBSALES');
      const owner = new Client(server.url);
      await owner.login(await createTestUser(db, 'owner'));
      for (const method of ['GET', 'HEAD']) {
        const answer = await owner.request(method, '/api/outbox/next');
        expect(answer.status, method).toBe(405);
        expect(answer.headers.get('allow')).toBe('POST');
      }
      expect((await owner.get('/api/outbox/next')).body.error.message).toContain('POST /api/outbox/next');
      const token = owner.csrfToken;
      owner.csrfToken = undefined;
      expect((await owner.post('/api/outbox/next')).body.error.code).toBe('CSRF_FAILED');
      const support = new Client(server.url);
      await support.login(await createTestUser(db, 'support'));
      expect((await support.post('/api/outbox/next')).status).toBe(403);
      expect(await db('export_batches').count({ n: '*' }).first()).toMatchObject({ n: 0 });
      expect((await db('export_jobs')).map((j) => j.state)).toEqual(['queued']);
      owner.csrfToken = token;
      expect((await owner.post('/api/outbox/next')).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});

describeEachDialect('HTTP pull delivery: offers and acknowledgements at their edges', (ctx) => {
  afterEach(async () => {
    await ctx().db('export_jobs').delete();
    await ctx().db('export_batches').delete();
  });

  it('when a batch is offered with the defaults, then it is the worker "pull"’s for ten minutes and carries customers, sales orders and credit notes in their sections', async () => {
    const { db } = ctx();
    const clock = testClock();
    const a = await seedOrder(db);
    await queue(db, a, 'PULLC01', newAccountFor(a.order, 'PULLC01'));
    await insertJobIfAbsent(db, {
      jobKey: creditNoteJobKey(88_001),
      kind: 'credit_note',
      orderId: a.orderId,
      accountCode: 'PULLC01',
      documentId: 'refund-88001',
      dependsOnJobId: null,
      document: '<Invoice><Id>refund-88001</Id></Invoice>',
      warnings: [],
      at: clock.now(),
    });
    const offered = (await offerNextBatch(db, { clock }))!;
    const tenMinutesOn = new Date(clock.now().getTime() + 10 * 60_000).toISOString();
    expect(offered.expiresAt).toBe(tenMinutesOn);
    expect(offered.documents).toBe(3);
    expect(offered.xml).toMatch(
      /<Customers>\s*<Customer>[\s\S]*<\/Customers>\s*<SalesOrders>\s*<SalesOrder>[\s\S]*<\/SalesOrders>\s*<Invoices>\s*<Invoice><Id>refund-88001<\/Id><\/Invoice>\s*<\/Invoices>/,
    );
    const section = (name: string) => offered.xml.match(new RegExp(`<${name}>([\\s\\S]*?)</${name}>`))![1]!;
    expect(section('Customers')).not.toMatch(/<SalesOrder>|<Invoice>/);
    expect(section('SalesOrders')).not.toMatch(/<Customer>|<Invoice>/);
    const jobs = await db('export_jobs').orderBy('id');
    expect(jobs.map((j) => [j.kind, j.locked_by, new Date(j.locked_until).toISOString()])).toEqual([
      ['customer', 'pull', tenMinutesOn],
      ['sales_order', 'pull', tenMinutesOn],
      ['credit_note', 'pull', tenMinutesOn],
    ]);
  });

  it('when an acknowledgement comes exactly at the offer’s expiry, then it is refused naming the batch and the time; a millisecond before, it is accepted', async () => {
    const { db } = ctx();
    const clock = testClock();
    await queue(db, await seedOrder(db), 'WEBSALES');
    const late = (await offerNextBatch(db, { clock, offerTimeoutMs: 60_000 }))!;
    clock.advance(60_000);
    await expect(acknowledgeBatch(db, late.batchId, late.token, { clock })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: `batch ${late.name} was not acknowledged before its offer expired (${late.expiresAt}); its documents went back to the queue and will be delivered again`,
      details: { batchId: late.batchId },
    });
    await db('export_jobs').delete();
    await queue(db, await seedOrder(db), 'WEBSALES');
    clock.advance(60_000);
    const inTime = (await offerNextBatch(db, { clock, offerTimeoutMs: 60_000 }))!;
    clock.advance(59_999);
    expect(await acknowledgeBatch(db, inTime.batchId, inTime.token, { clock })).toMatchObject({ status: 'acknowledged', documents: 1 });
  });

  it('when a batch is unknown, a folder batch, or the token wrong, then the error names the batch', async () => {
    const { db } = ctx();
    const clock = testClock();
    await expect(acknowledgeBatch(db, 999_999, 'x', { clock })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: 'there is no pull batch 999999',
      details: { batchId: 999_999 },
    });
    await queue(db, await seedOrder(db), 'WEBSALES');
    const folder = (await claimJobs(db, { workerId: 'w', channel: 'folder', now: clock.now(), limit: 10, leaseMs: 60_000 }))!;
    await expect(acknowledgeBatch(db, folder.batchId, '', { clock })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: `there is no pull batch ${folder.batchId}`,
    });
    await queue(db, await seedOrder(db), 'WEBSALES');
    const offered = (await offerNextBatch(db, { clock }))!;
    for (const token of ['', offered.token.slice(1), `${offered.token}0`]) {
      await expect(acknowledgeBatch(db, offered.batchId, token, { clock })).rejects.toMatchObject({
        code: 'BATCH_TOKEN_INVALID',
        message: `the acknowledgement token does not match batch ${offered.batchId}`,
        details: { batchId: offered.batchId },
      });
    }
  });

  it('when a batch is acknowledged, then its orders’ history says who fetched it; without a name, "pull"', async () => {
    const { db } = ctx();
    const clock = testClock();
    const reasons = async (orderId: number) =>
      (await db('order_events').where({ order_id: orderId, to_state: 'delivered' })).map((e) => [e.actor, e.reason]);
    const a = await seedOrder(db);
    await queue(db, a, 'WEBSALES');
    const first = (await offerNextBatch(db, { clock }))!;
    await acknowledgeBatch(db, first.batchId, first.token, { clock, actor: 'zynk' });
    expect(await reasons(a.orderId)).toEqual([['zynk', `delivered in batch ${first.name} (fetched and acknowledged by zynk)`]]);
    const b = await seedOrder(db);
    await queue(db, b, 'WEBSALES');
    const second = (await offerNextBatch(db, { clock }))!;
    await acknowledgeBatch(db, second.batchId, second.token, { clock });
    expect(await reasons(b.orderId)).toEqual([['pull', `delivered in batch ${second.name} (fetched and acknowledged)`]]);
  });

  it('when the same batch is acknowledged twice at once, then one acknowledges it and the other says it already was, both with its documents, and so does a late repeat', async () => {
    const { db } = ctx();
    const clock = testClock();
    await queue(db, await seedOrder(db), 'WEBSALES');
    const offered = (await offerNextBatch(db, { clock }))!;
    const answers = await Promise.all([
      acknowledgeBatch(db, offered.batchId, offered.token, { clock }),
      acknowledgeBatch(db, offered.batchId, offered.token, { clock }),
    ]);
    expect(answers.map((a) => a.status).sort()).toEqual(['acknowledged', 'already-acknowledged']);
    expect(answers.map((a) => a.documents)).toEqual([1, 1]);
    // Asked again after the offer would have expired: still "already", not "expired".
    clock.advance(11 * 60_000);
    expect(await acknowledgeBatch(db, offered.batchId, offered.token, { clock })).toEqual({
      batchId: offered.batchId,
      status: 'already-acknowledged',
      documents: 1,
    });
  });
});
