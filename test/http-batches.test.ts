import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { listAudit } from '../src/db/audit-log.ts';
import { deliverToFolder } from '../src/pipeline/deliver-to-folder.ts';
import { offerNextBatch } from '../src/pipeline/deliver-by-pull.ts';
import { Client, createTestUser, startTestApp, type TestApp } from './helpers/http.ts';
import { documentIds, newAccountFor, queue, seedOrder, tempOutbox, testClock } from './helpers/outbox.ts';
import { describeEachDialect } from './helpers/test-db.ts';

describeEachDialect('admin API export batches', (ctx) => {
  let server: TestApp;
  let support: Client;
  let supportName: string;
  beforeAll(async () => {
    const { db } = ctx();
    server = await startTestApp(db, ctx().url, { clock: testClock() });
    support = new Client(server.url);
    supportName = await createTestUser(db, 'support');
    await support.login(supportName);
  });
  afterAll(() => server.close());
  beforeEach(async () => {
    for (const table of ['export_jobs', 'export_batches', 'audit_log']) await ctx().db(table).delete();
  });

  /** One folder batch (a new customer and its sales order, plus another order), then one pull batch. */
  async function twoBatches() {
    const { db } = ctx();
    const a = await seedOrder(db);
    await queue(db, a, 'BATCHA01', newAccountFor(a.order, 'BATCHA01'));
    const b = await seedOrder(db);
    await queue(db, b, 'WEBSALES');
    const outbox = tempOutbox();
    const report = await deliverToFolder(db, { outboxDir: outbox, clock: testClock() });
    expect(report.batches).toHaveLength(1);
    const c = await seedOrder(db);
    await queue(db, c, 'WEBSALES');
    const offered = await offerNextBatch(db, { clock: testClock() });
    return { a, b, c, outbox, folder: report.batches[0]!, offered: offered! };
  }

  it('when batches are listed, then they come newest first with state, counts, files and times, never the token', async () => {
    const { folder, offered } = await twoBatches();
    const res = await support.get('/api/batches');
    expect(res.status).toBe(200);
    expect(res.body.total).toBe(2);
    expect(res.body.nextBefore).toBeNull();
    const [pull, written] = res.body.batches;
    expect(pull).toMatchObject({
      id: offered.batchId,
      channel: 'pull',
      state: 'offered',
      documents: 1,
      customers: 0,
      salesOrders: 1,
      files: [],
      acknowledgedAt: null,
      offerExpiresAt: expect.any(String),
    });
    expect(written).toMatchObject({
      id: folder.id,
      name: folder.name,
      channel: 'folder',
      state: 'written',
      documents: 3,
      customers: 1,
      salesOrders: 2,
      files: folder.files,
      deliveredAt: '2026-11-23T10:15:00.000Z',
      lastError: null,
    });
    expect(res.text).not.toContain(offered.token);
    expect((await support.get('/api/batches?channel=folder')).body.batches.map((b: { id: number }) => b.id)).toEqual([folder.id]);
    expect((await support.get('/api/batches?state=offered')).body.batches.map((b: { id: number }) => b.id)).toEqual([offered.batchId]);
    const first = await support.get('/api/batches?limit=1');
    expect(first.body.nextBefore).toBe(offered.batchId);
    expect((await support.get(`/api/batches?limit=1&before=${first.body.nextBefore}`)).body.batches[0].id).toBe(folder.id);
  });

  it('when a folder batch is downloaded, then each file is the one delivered, and the whole batch is one Company document', async () => {
    const { a, b, outbox, folder } = await twoBatches();
    for (const file of folder.files) {
      const res = await support.get(`/api/batches/${folder.id}/download?file=${encodeURIComponent(file)}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/xml; charset=utf-8');
      expect(res.headers.get('content-disposition')).toBe(`attachment; filename="${file}"`);
      expect(res.text).toBe(fs.readFileSync(path.join(outbox, file), 'utf8'));
    }
    // The importer has taken the files: the download still works, from the database.
    for (const file of folder.files) fs.rmSync(path.join(outbox, file));
    const whole = await support.get(`/api/batches/${folder.id}/download`);
    expect(whole.headers.get('content-disposition')).toBe(`attachment; filename="${folder.name}.xml"`);
    expect(documentIds(whole.text)).toEqual({
      customers: [`guest-${a.order.billing.email}`],
      salesOrders: [String(a.orderId), String(b.orderId)],
    });
    expect(whole.text.indexOf('<Customers>')).toBeLessThan(whole.text.indexOf('<SalesOrders>'));
  });

  it('when a download names no such batch or file, then it is 404 naming the files there are', async () => {
    const { folder } = await twoBatches();
    expect((await support.get('/api/batches/999999/download')).status).toBe(404);
    const res = await support.get(`/api/batches/${folder.id}/download?file=..%2F..%2Fetc%2Fpasswd`);
    expect(res.status).toBe(404);
    expect(res.body.error.message).toContain(`its files are ${folder.files.join(', ')}`);
  });

  it('when a person acknowledges a fetched batch, then its documents and orders are delivered and it is audited under their name', async () => {
    const { db } = ctx();
    const { c, folder, offered } = await twoBatches();
    const res = await support.post(`/api/batches/${offered.batchId}/acknowledge`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ batchId: offered.batchId, status: 'acknowledged', documents: 1 });
    expect((await db('orders').where({ id: c.orderId }).first()).state).toBe('delivered');
    const events = await db('order_events').where({ order_id: c.orderId, to_state: 'delivered' });
    expect(events.map((e) => e.actor)).toEqual([supportName]);
    expect((await listAudit(db, { action: 'batch.acknowledge' }))[0]).toMatchObject({
      actor: supportName,
      subject: `export_batches.${offered.batchId}`,
      after: 'acknowledged',
    });
    expect((await support.post(`/api/batches/${offered.batchId}/acknowledge`)).body.status).toBe('already-acknowledged');
    expect(await offerNextBatch(db, { clock: testClock() })).toBeNull();
    const refused = await support.post(`/api/batches/${folder.id}/acknowledge`);
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toContain('only fetched (pull) batches are acknowledged');
  });
});
