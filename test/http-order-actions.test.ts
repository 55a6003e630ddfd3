import { afterAll, beforeAll, expect, it } from 'vitest';
import { salesOrderJobKey } from '../src/db/export-jobs.ts';
import { flagOrderChange } from '../src/db/order-changes.ts';
import { systemClock } from '../src/domain/clock.ts';
import { updateSettings } from '../src/settings/store.ts';
import { Client, createTestUser, startTestApp, type TestApp } from './helpers/http.ts';
import { queue, seedOrder } from './helpers/outbox.ts';
import { describeEachDialect } from './helpers/test-db.ts';

describeEachDialect('admin API order actions', (ctx) => {
  let server: TestApp;
  let support: Client;
  let owner: Client;
  beforeAll(async () => {
    const { db, url } = ctx();
    server = await startTestApp(db, url);
    support = new Client(server.url);
    await support.login(await createTestUser(db, 'support'));
    owner = new Client(server.url);
    await owner.login(await createTestUser(db, 'owner'));
  });
  afterAll(() => server.close());

  it('when support reprocesses held orders after the cause is fixed, then each is queued and the history names them', async () => {
    const { db } = ctx();
    await updateSettings(db, { createAccounts: false, searchSageByEmail: false, defaultAccountCode: 'WEBSALES' }, 'test', systemClock);
    const seeded = await seedOrder(db);
    await db('orders').where({ id: seeded.orderId }).update({ state: 'held', last_error: 'no account applies' });
    const dry = await support.post('/api/orders/reprocess', { ids: [seeded.orderId], dryRun: true });
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({
      dryRun: true,
      more: false,
      results: [{ orderId: seeded.orderId, outcome: 'queued', accountCode: 'WEBSALES' }],
    });
    expect((await db('orders').where({ id: seeded.orderId }).first()).state).toBe('held');

    const res = await support.post('/api/orders/reprocess', { held: true, reason: 'default account set' });
    expect(res.status).toBe(200);
    expect(res.body.results).toEqual([expect.objectContaining({ orderId: seeded.orderId, outcome: 'queued', from: 'held', to: 'queued' })]);
    const detail = await support.get(`/api/orders/${seeded.orderId}`);
    const username = (await support.get('/api/me')).body.user.username;
    expect(detail.body.events.find((e: { to: string }) => e.to === 'waiting')).toMatchObject({ actor: username });
    expect(detail.body.documents[0]).toMatchObject({
      kind: 'sales_order',
      attempts: 0,
      maxAttempts: 10,
      warnings: [],
      resultMessage: null,
    });
  });

  it('when the reprocess body names nothing or is malformed, then 400 names the problem', async () => {
    expect((await support.post('/api/orders/reprocess', {})).body.error.details.problems).toEqual([
      'body: name the orders (ids) or choose allFailed and/or held',
    ]);
    const bad = await support.post('/api/orders/reprocess', { ids: [0], extra: true });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.problems.join('\n')).toMatch(/body\.ids\.0:/);
  });

  it('when support cancels a queued order, then it is cancelled; a delivered one answers 409 saying to cancel it in Sage', async () => {
    const { db } = ctx();
    const queued = await seedOrder(db);
    await queue(db, queued, 'WEBSALES');
    const ok = await support.post(`/api/orders/${queued.orderId}/cancel`, { reason: 'duplicate' });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ orderId: queued.orderId, status: 'cancelled', from: 'queued' });

    const sent = await seedOrder(db);
    await queue(db, sent, 'WEBSALES');
    await db('export_jobs')
      .where({ job_key: salesOrderJobKey(sent.orderId) })
      .update({ state: 'delivered' });
    await db('orders').where({ id: sent.orderId }).update({ state: 'delivered' });
    const refused = await owner.post(`/api/orders/${sent.orderId}/cancel`, {});
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'CONFLICT' });
    expect(refused.body.error.message).toContain('a person must cancel it in Sage');
    expect((await support.post('/api/orders/987654321/cancel', {})).status).toBe(404);
  });

  it('when a change after export is acknowledged, then the order shows who acknowledged it and a second time answers 409', async () => {
    const { db } = ctx();
    const seeded = await seedOrder(db);
    await db('orders').where({ id: seeded.orderId }).update({ state: 'delivered' });
    await flagOrderChange(db, {
      orderId: seeded.orderId,
      at: new Date('2026-11-23T09:00:00Z'),
      summary: 'status processing → cancelled',
      action: 'cancel it in Sage',
    });
    const listed = await support.get('/api/orders?changedAfterExport=true');
    expect(listed.body.orders.map((o: { id: number }) => o.id)).toContain(seeded.orderId);

    const res = await support.post(`/api/orders/${seeded.orderId}/acknowledge-change`, { note: 'cancelled in Sage' });
    expect(res.status).toBe(200);
    expect(res.body.acknowledged).toEqual([
      expect.objectContaining({ summary: 'status processing → cancelled', note: 'cancelled in Sage' }),
    ]);
    const detail = await support.get(`/api/orders/${seeded.orderId}`);
    expect(detail.body.order).toMatchObject({ changedAfterExport: false, changeSummary: null });
    expect(detail.body.changes).toEqual([
      expect.objectContaining({ action: 'cancel it in Sage', acknowledgedBy: res.body.acknowledged[0].acknowledgedBy }),
    ]);
    const again = await support.post(`/api/orders/${seeded.orderId}/acknowledge-change`, {});
    expect(again.status).toBe(409);
  });

  it('when a session request changes an order without the CSRF token, then it is refused', async () => {
    const stray = new Client(server.url);
    stray.sessionCookie = support.sessionCookie;
    const res = await stray.post('/api/orders/reprocess', { held: true });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('CSRF_FAILED');
  });

  it('when the API is described, then the order actions are in OpenAPI with their bodies, for support and owners', async () => {
    const spec = (await support.get('/api/openapi.json')).body;
    for (const path of ['/api/orders/reprocess', '/api/orders/{id}/cancel', '/api/orders/{id}/acknowledge-change']) {
      expect(spec.paths[path]?.post, path).toBeDefined();
      expect(spec.paths[path].post.requestBody, path).toBeDefined();
      expect(spec.paths[path].post['x-roles'], path).toEqual(['owner', 'support']);
    }
  });
});
