import { afterAll, beforeAll, expect, it } from 'vitest';
import { Client, createTestUser, startTestApp, type TestApp } from './helpers/http.ts';
import { insertExportJob, insertOrderEvent, insertOrderRow } from './helpers/factories.ts';
import { describeEachDialect } from './helpers/test-db.ts';

describeEachDialect('admin API orders', (ctx) => {
  let server: TestApp;
  let support: Client;
  beforeAll(async () => {
    const { db } = ctx();
    server = await startTestApp(db, ctx().url);
    support = new Client(server.url);
    await support.login(await createTestUser(db, 'support'));
    await insertOrderRow(db, { id: 101, state: 'queued', state_changed_at: '2026-11-01T10:00:00.000Z', account_code: 'JOE001' });
    await insertOrderRow(db, {
      id: 102,
      state: 'held',
      last_error: 'Billing email matches 2 Sage accounts: ACME01, ACME02.',
      state_changed_at: '2026-11-02T10:00:00.000Z',
    });
    await insertOrderRow(db, { id: 103, state: 'held', billing_email: 'a_b@example.com', state_changed_at: '2026-11-03T10:00:00.000Z' });
    await insertOrderRow(db, { id: 104, state: 'delivered', billing_email: 'axb@example.com', changed_after_export: true });
    await insertOrderRow(db, { id: 105, state: 'failed', state_changed_at: '2026-11-05T10:00:00.000Z' });
  });
  afterAll(() => server.close());

  const ids = (res: { body: { orders: Array<{ id: number }> } }) => res.body.orders.map((o) => o.id);

  it('when orders are listed with no filter, then they come newest first with the total', async () => {
    const res = await support.get('/api/orders');
    expect(res.status).toBe(200);
    expect(ids(res)).toEqual([105, 104, 103, 102, 101]);
    expect(res.body.total).toBe(5);
    expect(res.body.nextBefore).toBeNull();
    expect(res.body.orders[3]).toMatchObject({
      id: 102,
      state: 'held',
      lastError: 'Billing email matches 2 Sage accounts: ACME01, ACME02.',
      totalMinor: 1200,
      changedAfterExport: false,
    });
  });

  it('when filtered by state, since, search or changed-after-export, then only matching orders come back', async () => {
    expect(ids(await support.get('/api/orders?state=held'))).toEqual([103, 102]);
    expect(ids(await support.get('/api/orders?since=2026-11-02'))).toEqual([105, 103, 102]);
    expect(ids(await support.get('/api/orders?since=2026-11-02T11:00:00%2B01:00&state=held'))).toEqual([103, 102]);
    expect(ids(await support.get('/api/orders?search=joe001'))).toEqual([101]);
    expect(ids(await support.get('/api/orders?search=104'))).toEqual([104]);
    expect(ids(await support.get('/api/orders?changedAfterExport=true'))).toEqual([104]);
    expect(ids(await support.get('/api/orders?changedAfterExport=false&state=delivered'))).toEqual([]);
  });

  it('when the search holds LIKE wildcards, then they match themselves only', async () => {
    const res = await support.get('/api/orders?search=a_b%40');
    expect(ids(res)).toEqual([103]);
    expect(res.body.total).toBe(1);
    expect(ids(await support.get('/api/orders?search=%25'))).toEqual([]);
  });

  it('when paging with before = nextBefore, then every order is seen once and the last page says so', async () => {
    const seen: number[] = [];
    let before: number | null = null;
    let pages = 0;
    do {
      const res = await support.get(`/api/orders?limit=2${before ? `&before=${before}` : ''}`);
      expect(res.body.total).toBe(5);
      seen.push(...ids(res));
      before = res.body.nextBefore;
      pages++;
    } while (before !== null && pages < 10);
    expect(seen).toEqual([105, 104, 103, 102, 101]);
    expect(pages).toBe(3);
    const exact = await support.get('/api/orders?limit=5');
    expect(exact.body.nextBefore).toBeNull();
  });

  it('when a filter is malformed, then 400 names the query parameter', async () => {
    const cases: Array<[string, string]> = [
      ['state=lost', 'query.state'],
      ['since=yesterday', 'query.since'],
      ['since=2026-11-02T10:00:00', 'query.since'],
      ['limit=0', 'query.limit'],
      ['changedAfterExport=yes', 'query.changedAfterExport'],
      ['before=-3', 'query.before'],
    ];
    for (const [query, field] of cases) {
      const res = await support.get(`/api/orders?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
      expect(res.body.error.details.problems[0], query).toMatch(new RegExp(`^${field.replace('.', '\\.')}:`));
    }
  });

  it('when one order is shown, then its decision trace, history and documents come with it', async () => {
    const { db } = ctx();
    await insertOrderRow(db, {
      id: 201,
      state: 'queued',
      rule: 'EXISTING',
      account_code: 'JOE001',
      decision: JSON.stringify({
        rule: 'EXISTING',
        accountCode: 'JOE001',
        reason: 'Billing email joe@example.com matches Sage account JOE001.',
        trace: [{ rule: 'PROFILE', outcome: 'skipped', detail: 'no profile code' }],
      }),
    });
    await insertOrderEvent(db, { orderId: 201, from: null, to: 'received', at: '2026-11-23T09:00:00.000Z', actor: 'sync' });
    await insertOrderEvent(db, {
      orderId: 201,
      from: 'received',
      to: 'queued',
      at: '2026-11-23T10:00:00.000Z',
      reason: 'sales order queued',
    });
    await insertExportJob(db, { order_id: 201, account_code: 'JOE001', job_key: 'sales_order:201' });
    const res = await support.get('/api/orders/201');
    expect(res.status).toBe(200);
    expect(res.body.order).toMatchObject({ id: 201, state: 'queued', rule: 'EXISTING', accountCode: 'JOE001' });
    expect(res.body.decision.reason).toBe('Billing email joe@example.com matches Sage account JOE001.');
    expect(res.body.decision.trace).toHaveLength(1);
    expect(res.body.events.map((e: { to: string }) => e.to)).toEqual(['received', 'queued']);
    expect(res.body.documents).toEqual([
      expect.objectContaining({ kind: 'sales_order', jobKey: 'sales_order:201', state: 'queued', batchName: null }),
    ]);
    expect(res.text).not.toContain('<SalesOrder');
  });

  it('when the order is unknown or the id is not a number, then 404 or 400', async () => {
    const missing = await support.get('/api/orders/999999');
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toContain('order 999999 is not in the inbox');
    const bad = await support.get('/api/orders/abc');
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.problems[0]).toMatch(/^params\.id:/);
  });

  it('when orders wait, then the list and the order say why (read against the current settings)', async () => {
    const { db } = ctx();
    await insertOrderRow(db, { id: 901, state: 'waiting', status: 'on-hold' });
    await insertOrderRow(db, { id: 902, state: 'waiting', customer_id: 9, customer_pending: true });
    const list = await support.get('/api/orders?state=waiting');
    expect(list.status).toBe(200);
    expect(list.body.orders).toMatchObject([
      { id: 902, customerPending: true, waitingReason: 'the profile of customer 9 is fetched by the next sync first' },
      { id: 901, customerPending: false, waitingReason: 'status "on-hold" is not exported (import statuses: processing, completed)' },
    ]);
    const held = await support.get('/api/orders?state=held');
    expect(held.body.orders.every((o: { waitingReason: unknown }) => o.waitingReason === null)).toBe(true);
    const one = await support.get('/api/orders/901');
    expect(one.status).toBe(200);
    expect(one.body.order.waitingReason).toBe('status "on-hold" is not exported (import statuses: processing, completed)');
  });

  it('when an order waits with a status that is not exported, then the list labels it "not exported" and names the buyer', async () => {
    const { db } = ctx();
    await insertOrderRow(db, {
      id: 951,
      state: 'waiting',
      status: 'cancelled',
      billing_name: 'Mia Taylor',
      billing_email: 'mia@example.com',
    });
    await insertOrderRow(db, { id: 952, state: 'waiting', status: 'completed', billing_name: null });
    const list = await support.get('/api/orders?state=waiting');
    expect(list.status).toBe(200);
    expect(list.body.orders.filter((o: { id: number }) => o.id > 950)).toMatchObject([
      { id: 952, billingName: null, statusNotExported: false, stateLabel: 'waiting' },
      {
        id: 951,
        billingName: 'Mia Taylor',
        billingEmail: 'mia@example.com',
        statusNotExported: true,
        stateLabel: 'not exported (status cancelled)',
      },
    ]);
    expect(ids(await support.get('/api/orders?search=taylor'))).toEqual([951]);
    const one = await support.get('/api/orders/951');
    expect(one.body.order).toMatchObject({ statusNotExported: true, stateLabel: 'not exported (status cancelled)' });
  });
});
