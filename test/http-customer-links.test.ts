import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { listAudit } from '../src/db/audit-log.ts';
import { metaText } from '../src/woo/schemas.ts';
import type { CustomerProfileWriter } from '../src/woo/profile-writer.ts';
import { WooAuthError } from '../src/woo/errors.ts';
import { startSandbox, type Sandbox } from '../src/sandbox/sandbox.ts';
import { insertAccount, insertWooCustomer } from './helpers/allocation-rows.ts';
import { insertOrderRow } from './helpers/factories.ts';
import { Client, createTestUser, startTestApp, WOO_KEY, WOO_SECRET, type TestApp } from './helpers/http.ts';
import { seedOrder } from './helpers/outbox.ts';
import { describeEachDialect } from './helpers/test-db.ts';

function fakeWriter(failFor: Map<number, Error> = new Map()): CustomerProfileWriter & { calls: Array<[number, string, string]> } {
  const calls: Array<[number, string, string]> = [];
  return {
    calls,
    async updateCustomerMeta(customerId, key, value) {
      calls.push([customerId, key, value]);
      const failure = failFor.get(customerId);
      if (failure) throw failure;
      return { id: customerId };
    },
  };
}

describeEachDialect('admin API customer links', (ctx) => {
  let writer: ReturnType<typeof fakeWriter>;
  let server: TestApp;
  let support: Client;
  let supportName: string;

  beforeAll(async () => {
    const { db } = ctx();
    // The writer is looked up per request through this indirection, so each test can swap it.
    const indirect: CustomerProfileWriter = { updateCustomerMeta: (...args) => writer.updateCustomerMeta(...args) };
    server = await startTestApp(db, ctx().url, { profileWriter: indirect });
    support = new Client(server.url);
    supportName = await createTestUser(db, 'support');
    await support.login(supportName);
  });
  afterAll(() => server.close());
  beforeEach(async () => {
    const { db } = ctx();
    writer = fakeWriter();
    for (const table of ['order_events', 'orders', 'audit_log', 'woo_customers', 'sage_account_emails', 'sage_accounts'])
      await db(table).delete();
    await insertAccount(db, 'ACME01', ['orders@acme.example'], { name: 'Acme Garden Supplies' });
    await insertAccount(db, 'ACME02', ['orders@acme.example'], { name: 'Acme Trade' });
    await insertAccount(db, 'SILVA01', ['joao@silva.example'], { name: 'João Silva' });
    await insertAccount(db, 'OLD01', [], { status: 'inactive' });
    await insertWooCustomer(db, 26, null, { email: 'joao@silva.example', first_name: 'João', last_name: 'Silva' });
    await insertWooCustomer(db, 27, null, { email: 'orders@acme.example', last_name: 'Acme' });
    await insertWooCustomer(db, 28, 'SILVA01', { email: 'someone@else.example' });
    await insertWooCustomer(db, 29, 'nope-1', { email: 'x@example.com' });
  });

  it('when customers are listed, then each comes with its status, problem and suggestions, with counts over all of them', async () => {
    const res = await support.get('/api/customers/links');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ total: 4, page: 1, pageSize: 50, counts: { linked: 1, unlinked: 2, conflicting: 1 } });
    expect(res.body.rows.map((r: { customerId: number; status: string }) => [r.customerId, r.status])).toEqual([
      [26, 'unlinked'],
      [27, 'unlinked'],
      [28, 'linked'],
      [29, 'conflicting'],
    ]);
    expect(res.body.rows[0]).toMatchObject({ name: 'João Silva', emailMatches: ['SILVA01'], account: null, problem: null });
    expect(res.body.rows[1].emailMatches).toEqual(['ACME01', 'ACME02']);
    expect(res.body.rows[2].account).toEqual({ code: 'SILVA01', name: 'João Silva', status: 'active' });
    expect(res.body.rows[3].problem).toContain('"nope-1" is not a valid Sage account code');

    const ids = async (query: string) =>
      (await support.get(`/api/customers/links${query}`)).body.rows.map((r: { customerId: number }) => r.customerId);
    expect(await ids('?status=unlinked')).toEqual([26, 27]);
    expect(await ids('?status=conflicting')).toEqual([29]);
    expect(await ids('?customerId=27')).toEqual([27]);
    expect(await ids('?search=ACME')).toEqual([27]);
    expect(await ids('?status=unlinked&page=2&pageSize=1')).toEqual([27]);
    const paged = await support.get('/api/customers/links?status=unlinked&page=2&pageSize=1');
    expect(paged.body).toMatchObject({ total: 2, page: 2, pageSize: 1 });
    expect((await support.get('/api/customers/links?status=lost')).status).toBe(400);
  });

  it('when several links are saved, then each row is written to the store and recorded on its own; a bad row fails alone', async () => {
    const { db } = ctx();
    await insertOrderRow(db, { id: 501, state: 'held', customer_id: 27, last_error: 'ambiguous' });
    const res = await support.post('/api/customers/links', {
      links: [
        { customerId: 26, code: ' silva01 ' },
        { customerId: 27, code: 'ACME09' },
        { customerId: 29, code: 'OLD01' },
        { customerId: 30, code: 'NEW2026', allowUnknown: true },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body.linked).toBe(2);
    expect(res.body.failed).toBe(2);
    const [silva, acme, old, unknown] = res.body.results;
    expect(silva).toEqual({
      customerId: 26,
      ok: true,
      link: {
        customerId: 26,
        code: 'SILVA01',
        previousCode: null,
        accountName: 'João Silva',
        localProfileUpdated: true,
        heldOrderIds: [],
        stillHeld: [],
      },
    });
    expect(acme).toMatchObject({ customerId: 27, ok: false, error: { code: 'VALIDATION_FAILED' } });
    expect(acme.error.message).toContain('ACME09 is not in the Sage account mirror');
    expect(old).toMatchObject({ customerId: 29, ok: false, error: { code: 'CONFLICT' } });
    expect(unknown).toMatchObject({ customerId: 30, ok: true, link: { code: 'NEW2026', localProfileUpdated: false } });
    // Only the rows that passed the checks reached the store.
    expect(writer.calls).toEqual([
      [26, 'sage_account_code', 'SILVA01'],
      [30, 'sage_account_code', 'NEW2026'],
    ]);
    expect(await db('woo_customers').orderBy('id').pluck('profile_code')).toEqual(['SILVA01', null, 'SILVA01', 'nope-1']);
    const audits = await listAudit(db, { action: 'customer.link' });
    expect(audits.map((a) => [a.subject, a.actor])).toEqual(
      expect.arrayContaining([
        ['woo_customers.26', supportName],
        ['woo_customers.30', supportName],
      ]),
    );
  });

  it('when a linked customer has held orders, then the result says which the link frees and which stay held (and why)', async () => {
    const { db } = ctx();
    const { orderId: freed } = await seedOrder(db, { customerId: 27 });
    await db('orders').where({ id: freed }).update({ state: 'held', last_error: 'ambiguous' });
    // An order whose payload has no lines cannot become a sales order, whatever its account.
    await insertOrderRow(db, { id: 601, state: 'held', customer_id: 27, last_error: 'ambiguous' });
    await insertOrderRow(db, { id: 602, state: 'queued', customer_id: 27 });
    const res = await support.post('/api/customers/links', { links: [{ customerId: 27, code: 'acme02' }] });
    expect(res.body.results[0].link).toMatchObject({
      code: 'ACME02',
      heldOrderIds: [freed],
      stillHeld: [{ orderId: 601, reason: expect.any(String) }],
    });
    expect((await db('orders').where({ id: freed }).first()).state).toBe('held');
  });

  it('when the store refuses one customer, then that row fails and the others are still linked', async () => {
    const { db } = ctx();
    const { WooRequestError } = await import('../src/woo/errors.ts');
    writer = fakeWriter(new Map([[26, new WooRequestError('the store rejected PUT customers/26 (HTTP 404)', { status: 404 })]]));
    const res = await support.post('/api/customers/links', {
      links: [
        { customerId: 26, code: 'SILVA01' },
        { customerId: 27, code: 'ACME01' },
      ],
    });
    expect(res.body.results.map((r: { ok: boolean }) => r.ok)).toEqual([false, true]);
    expect(res.body.results[0].error).toEqual({ code: 'WOO_REQUEST_REJECTED', message: 'the store rejected PUT customers/26 (HTTP 404)' });
    expect(await db('woo_customers').whereIn('id', [26, 27]).orderBy('id').pluck('profile_code')).toEqual([null, 'ACME01']);
  });

  it('when the store refuses our keys, then the rows after it are not tried', async () => {
    writer = fakeWriter(
      new Map([[26, new WooAuthError('the store refused our API keys for PUT customers/26 (HTTP 401)', { status: 401 })]]),
    );
    const res = await support.post('/api/customers/links', {
      links: [
        { customerId: 26, code: 'SILVA01' },
        { customerId: 27, code: 'ACME01' },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body.results[0].error.code).toBe('WOO_AUTH_REFUSED');
    expect(res.body.results[1].error).toEqual({
      code: 'NOT_ATTEMPTED',
      message: 'not tried: the store refused our API keys for PUT customers/26 (HTTP 401)',
    });
    expect(writer.calls.map(([id]) => id)).toEqual([26]);
  });

  it('when the request is malformed, then nothing is written: duplicates, too many rows, no rows, extra fields', async () => {
    const bodies = [
      {
        links: [
          { customerId: 26, code: 'SILVA01' },
          { customerId: 26, code: 'ACME01' },
        ],
      },
      { links: Array.from({ length: 101 }, (_, i) => ({ customerId: i + 1, code: 'ACME01' })) },
      { links: [] },
      { links: [{ customerId: 26, code: 'SILVA01', note: 'x' }] },
      { links: [{ customerId: 0, code: 'SILVA01' }] },
    ];
    for (const body of bodies) {
      const res = await support.post('/api/customers/links', body);
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
    }
    const dup = await support.post('/api/customers/links', bodies[0]);
    expect(dup.body.error.message).toContain('customer 26 is listed twice');
    expect(writer.calls).toEqual([]);
  });

  it('when no store is configured, then linking answers 503 STORE_NOT_CONFIGURED naming what to set', async () => {
    const { db } = ctx();
    const bare = await startTestApp(db, ctx().url, { env: { WOO_URL: '', WOO_CONSUMER_KEY: '', WOO_CONSUMER_SECRET: '' } });
    try {
      const client = new Client(bare.url);
      await client.login(supportName);
      const res = await client.post('/api/customers/links', { links: [{ customerId: 26, code: 'SILVA01' }] });
      expect(res.status).toBe(503);
      expect(res.body.error.code).toBe('STORE_NOT_CONFIGURED');
      expect(res.body.error.message).toContain('set WOO_URL, WOO_CONSUMER_KEY, WOO_CONSUMER_SECRET');
      expect((await client.get('/api/customers/links')).status).toBe(200); // looking needs no store
      expect((await db('woo_customers').where({ id: 26 }).first()).profile_code).toBeNull();
    } finally {
      await bare.close();
    }
  });

  it('when the store is the sandbox, then the code really goes over HTTP into the customer profile', async () => {
    const { db } = ctx();
    let sandbox: Sandbox | undefined;
    let app: TestApp | undefined;
    try {
      sandbox = await startSandbox({ orders: 5, customers: 30 });
      app = await startTestApp(db, ctx().url, {
        env: { WOO_URL: sandbox.url, WOO_CONSUMER_KEY: sandbox.consumerKey, WOO_CONSUMER_SECRET: sandbox.consumerSecret },
      });
      const client = new Client(app.url);
      await client.login(supportName);
      const res = await client.post('/api/customers/links', {
        links: [
          { customerId: 26, code: 'SILVA01' },
          { customerId: 9999, code: 'ACME01' },
        ],
      });
      expect(res.body.results[0]).toMatchObject({ ok: true, link: { code: 'SILVA01' } });
      expect(res.body.results[1]).toMatchObject({ ok: false, error: { code: 'WOO_REQUEST_REJECTED' } });
      const customer = sandbox.store.getCustomer(26) as { meta_data: Array<{ key: string; value: unknown }> };
      expect(metaText(customer.meta_data as never, 'sage_account_code')).toBe('SILVA01');
      expect(sandbox.requests.writes).toBe(2);
      // The store's keys never show in an answer or a log line.
      for (const text of [res.text, ...app.logs]) {
        expect(text).not.toContain(sandbox.consumerSecret);
        expect(text).not.toContain(WOO_SECRET);
        expect(text).not.toContain(WOO_KEY);
      }
    } finally {
      await app?.close();
      await sandbox?.close();
    }
  });
});
