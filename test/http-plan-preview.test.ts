import type { Knex } from 'knex';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { saveEmailLink, saveOrderAssignment } from '../src/db/manual-accounts.ts';
import { confirmSageHasNoCustomers } from '../src/db/sage-accounts-known.ts';
import { insertAccount, insertWooCustomer, insertWooOrder } from './helpers/allocation-rows.ts';
import { Client, createTestUser, startTestApp, type TestApp } from './helpers/http.ts';
import { describeEachDialect } from './helpers/test-db.ts';
import { buildOrder } from './helpers/woo-cart.ts';

async function inboxOrder(
  db: Knex,
  id: number,
  buyer: { email: string; company?: string; customerId?: number; status?: string },
  state = 'held',
): Promise<void> {
  const order = buildOrder({ id, lines: [{ price: '10.00', quantity: 1, rate: 20 }], pricesIncludeTax: false, roundAtSubtotal: false });
  await insertWooOrder(db, {
    ...order,
    status: buyer.status ?? 'processing',
    customer_id: buyer.customerId ?? 0,
    billing: { ...order.billing, email: buyer.email, company: buyer.company ?? '', first_name: 'Hal', last_name: 'Harris' },
  });
  await db('orders')
    .where({ id })
    .update({ state, account_code: state === 'queued' ? 'HARRIS01' : null });
}

/** Everything a preview must leave alone. */
async function snapshot(db: Knex) {
  return {
    accounts: await db('sage_accounts').orderBy('code').select(),
    orders: await db('orders').orderBy('id').select('id', 'state', 'rule', 'account_code', 'decision', 'last_error'),
    events: await db('order_events').count({ n: '*' }).first(),
    settings: await db('settings').select(),
    audit: await db('audit_log').count({ n: '*' }).first(),
  };
}

describeEachDialect('admin API plan preview', (ctx) => {
  let server: TestApp;
  let support: Client;
  const preview = (orderId: number, settings: Record<string, unknown> = {}) => support.post('/api/plan/preview', { orderId, settings });

  beforeAll(async () => {
    const { db } = ctx();
    server = await startTestApp(db, ctx().url);
    support = new Client(server.url);
    await support.login(await createTestUser(db, 'support'));
    await insertAccount(db, 'ACME01', ['orders@acme.example']);
    await insertAccount(db, 'ACME02', ['orders@acme.example']);
    await insertAccount(db, 'HARRIS01', ['hal@old-harris.example']);
    await insertAccount(db, 'SILVA01', ['joao@silva.example']);
    await insertWooCustomer(db, 26, 'silva01', { email: 'joao@silva.example' });
    await inboxOrder(db, 701, { email: 'orders@acme.example', company: 'Acme' });
    await inboxOrder(db, 702, { email: 'new.buyer@harris.example', company: 'Harris' });
    await inboxOrder(db, 703, { email: 'joao@silva.example', customerId: 26 }, 'waiting');
    await inboxOrder(db, 704, { email: 'new.buyer@harris.example', company: 'Harris' }, 'queued');
    await inboxOrder(db, 705, { email: 'someone@example.com', status: 'on-hold' }, 'waiting');
    await confirmSageHasNoCustomers(db, { actor: 'olivia', at: new Date('2026-12-01T09:00:00Z') });
  });
  afterAll(() => server.close());

  it('when the settings change, then the preview follows them, the rules in their order, and nothing is written', async () => {
    const { db } = ctx();
    const before = await snapshot(db);
    const ambiguous = await preview(701);
    expect(ambiguous.status).toBe(200);
    expect(ambiguous.body).toMatchObject({ orderId: 701, rule: 'NONE', accountCode: null, orderState: 'held' });
    expect(ambiguous.body.reason).toContain('ACME01');
    expect(ambiguous.body.note).toBe('Order 701 is held: after saving, reprocess it to apply the new settings.');
    expect(ambiguous.body.trace.map((s: { step: string }) => s.step)).toEqual(['ORDER', 'PROFILE', 'NONE']);

    expect((await preview(701, { onAmbiguousEmail: 'first' })).body).toMatchObject({ rule: 'EXISTING', accountCode: 'ACME01' });
    expect((await preview(701, { searchSageByEmail: false })).body).toMatchObject({ rule: 'NEW', accountCode: 'ACME03' });
    expect((await preview(701, { searchSageByEmail: false, createAccounts: false, defaultAccountCode: 'cash01' })).body).toMatchObject({
      rule: 'DEFAULT',
      accountCode: 'CASH01',
    });
    expect((await preview(703)).body).toMatchObject({ rule: 'PROFILE', accountCode: 'SILVA01', orderState: 'waiting', note: null });
    expect(await snapshot(db)).toEqual(before);
  });

  it('when the decision is a new account, then the code is the lowest free one, as a real run would reserve it', async () => {
    const res = await preview(702);
    expect(res.body).toMatchObject({ rule: 'NEW', accountCode: 'HARRIS02' });
    expect(Number((await ctx().db('sage_accounts').where('code', 'like', 'HARRIS%').count({ n: '*' }).first())!.n)).toBe(1);
  });

  it("when a person assigned the order's account or remembered one for the email, then the preview says MANUAL, as a sync would", async () => {
    const { db } = ctx();
    await inboxOrder(db, 707, { email: 'orders@acme.example', company: 'Acme' });
    await inboxOrder(db, 708, { email: 'walk.in@guest.example' });
    await saveOrderAssignment(db, {
      orderId: 707,
      code: 'ACME02',
      actor: 'sam',
      reason: 'phoned in',
      at: new Date('2026-12-02T10:00:00Z'),
    });
    await saveEmailLink(db, {
      email: 'walk.in@guest.example',
      code: 'HARRIS01',
      actor: 'sam',
      reason: null,
      fromOrderId: 702,
      at: new Date('2026-12-02T10:00:00Z'),
    });
    const assigned = (await preview(707)).body;
    expect(assigned).toMatchObject({ rule: 'MANUAL', accountCode: 'ACME02' });
    expect(assigned.reason).toContain('assigned to this order by sam');
    const linked = (await preview(708, { searchSageByEmail: false })).body;
    expect(linked).toMatchObject({ rule: 'MANUAL', accountCode: 'HARRIS01' });
    expect(linked.reason).toContain('remembered from order 702');
  });

  it("when Sage's own accounts are not known yet, then an order that needs a new account previews as waiting for them", async () => {
    const { db } = ctx();
    const imports = await db('account_imports').select();
    await db('account_imports').del();
    try {
      const waiting = (await preview(702)).body;
      expect(waiting).toMatchObject({ rule: 'NONE', accountCode: null });
      expect(waiting.reason).toMatch(/^Import your Sage customers first/);
      expect((await preview(703)).body).toMatchObject({ rule: 'PROFILE', accountCode: 'SILVA01' });
    } finally {
      await db('account_imports').insert(imports);
    }
    expect((await preview(702)).body).toMatchObject({ rule: 'NEW', accountCode: 'HARRIS02' });
  });

  it('when the order is already exported or its status is not exported, then the note says so', async () => {
    expect((await preview(704)).body.note).toBe('Order 704 is already queued with account HARRIS01: new settings no longer change it.');
    expect((await preview(705)).body.note).toBe(
      'Its WooCommerce status "on-hold" is not one of the statuses to export (processing, completed), so it would not be exported.',
    );
    expect((await preview(705, { importStatuses: ['processing', 'on-hold'] })).body.note).toBeNull();
  });

  it('when the drafted settings are invalid or unknown, or the order is not in the inbox, then it says why', async () => {
    const bad = await preview(701, { settleMinutes: -5 });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('settleMinutes');
    const owner = new Client(server.url);
    await owner.login(await createTestUser(ctx().db, 'owner'));
    const crossKey = await owner.post('/api/plan/preview', {
      orderId: 701,
      settings: { accountCodePattern: '^[0-9]+$', defaultAccountCode: 'CASH' },
    });
    expect(crossKey.status).toBe(400);
    expect(crossKey.body.error.message).toContain('does not match accountCodePattern');
    const unknown = await preview(701, { colour: 'blue' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toContain('unknown setting "colour"');
    const missing = await preview(999_999);
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toBe('order 999999 is not in the inbox; only orders read from the store can be previewed');
  });

  it('when the stored payload cannot be read, then the preview holds it naming the problem', async () => {
    const { db } = ctx();
    await db('orders').insert({ ...(await db('orders').where({ id: 701 }).first()), id: 706, payload: '{"id":706,"total":"x"' });
    expect((await preview(706)).body).toMatchObject({ rule: 'NONE', reason: expect.stringContaining('not valid JSON') });
  });
});
