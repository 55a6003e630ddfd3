import { afterAll, beforeAll, expect, it } from 'vitest';
import { listAudit } from '../src/db/audit-log.ts';
import { findEmailLink } from '../src/db/manual-accounts.ts';
import { processSettledOrder } from '../src/pipeline/process-orders.ts';
import { linkCustomer } from '../src/pipeline/link-customer.ts';
import { reprocessOrders } from '../src/pipeline/reprocess-orders.ts';
import { DEFAULT_SETTINGS } from '../src/settings/schema.ts';
import { insertAccount, insertWooCustomer } from './helpers/allocation-rows.ts';
import { runWooSage } from './helpers/cli.ts';
import { Client, createTestUser, startTestApp, type TestApp } from './helpers/http.ts';
import { seedOrder, testClock } from './helpers/outbox.ts';
import { describeEachDialect } from './helpers/test-db.ts';

const BAD_META = { meta_data: [{ id: 1, key: 'sage_account_code', value: 'ACME-01' }] };

describeEachDialect('assigning an account by hand (rule MANUAL)', (ctx) => {
  const clock = testClock();
  const env = () => ({ DATABASE_URL: ctx().url, LOG_LEVEL: 'silent' });
  let server: TestApp;
  let support: Client;

  beforeAll(async () => {
    await insertAccount(ctx().db, 'ACME01', ['orders@acme.example'], { name: 'Acme Ltd' });
    server = await startTestApp(ctx().db, ctx().url, { clock });
    support = new Client(server.url);
    await support.login(await createTestUser(ctx().db, 'support'));
  });
  afterAll(() => server.close());

  /** An order through the pipeline: with a bad code in its own meta it is held. */
  async function heldOrder(email: string, payload: Record<string, unknown> = BAD_META) {
    const { db } = ctx();
    const { orderId, order } = await seedOrder(db, { email, payload });
    await db('orders').where({ id: orderId }).update({ state: 'waiting', date_modified: '2026-01-01T00:00:00.000Z' });
    const row = await db('orders').where({ id: orderId }).first('content_hash');
    const outcome = await processSettledOrder(
      db,
      { id: orderId, contentHash: row.content_hash, payload: order },
      {
        settings: DEFAULT_SETTINGS,
        clock,
        actor: 'sync',
      },
    );
    return { orderId, order, outcome };
  }

  it('when support assigns a held order from the CLI, then it is queued by rule MANUAL with who and why in the trace and the audit log', async () => {
    const { db } = ctx();
    const { orderId, outcome } = await heldOrder('mia@example.com');
    expect(outcome.outcome).toBe('held');

    const run = await runWooSage(
      ['orders', 'assign', String(orderId), 'acme01', '--reason', 'customer phoned', '--actor', 'cli:sue'],
      env(),
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`order ${orderId}: account ACME01 assigned by cli:sue`);
    expect(run.stdout).toMatch(/→ queued \(rule MANUAL, account ACME01\)/);

    const row = await db('orders').where({ id: orderId }).first();
    expect(row).toMatchObject({ state: 'queued', rule: 'MANUAL', account_code: 'ACME01', last_error: null });
    const decision = JSON.parse(row.decision);
    expect(decision.reason).toMatch(/^Account ACME01 was assigned to this order by cli:sue on \d{4}-\d{2}-\d{2} \("customer phoned"\)\.$/);
    expect(decision.trace.at(-1)).toMatchObject({ step: 'MANUAL', result: 'applied' });
    const sales = await db('export_jobs').where({ order_id: orderId, kind: 'sales_order' }).first();
    expect(sales).toMatchObject({ state: 'queued', account_code: 'ACME01' });
    expect(sales.document).toContain('<AccountReference>ACME01</AccountReference>');
    const [audit] = await listAudit(db, { action: 'orders.assign', subjectPrefix: `order.${orderId}` });
    expect(audit).toMatchObject({
      actor: 'cli:sue',
      after: { rule: 'MANUAL', accountCode: 'ACME01' },
      details: { reason: 'customer phoned' },
    });

    // Reprocessing keeps the person's choice.
    await db('export_jobs').where({ order_id: orderId }).update({ state: 'failed' });
    await db('orders').where({ id: orderId }).update({ state: 'failed' });
    const again = await reprocessOrders(db, { ids: [orderId] }, { clock, actor: 'sue' });
    expect(again.results[0]).toMatchObject({ outcome: 'queued', rule: 'MANUAL', accountCode: 'ACME01' });

    const explained = await runWooSage(['orders', 'explain', String(orderId), '--json'], env());
    expect(JSON.parse(explained.stdout)).toMatchObject({ state: 'queued', rule: 'MANUAL', accountCode: 'ACME01' });
    expect(JSON.parse(explained.stdout).reason).toContain('assigned to this order by');
  });

  it('when the code is not a known account, then nothing is saved and the error names the order, field and value', async () => {
    const { db } = ctx();
    const { orderId } = await heldOrder('nobody@example.com');
    const run = await runWooSage(['orders', 'assign', String(orderId), 'NOPE99'], env());
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`order ${orderId}: account NOPE99 is not in the Sage account mirror`);
    expect(await db('order_account_assignments').where({ order_id: orderId })).toEqual([]);
    expect((await db('orders').where({ id: orderId }).first()).state).toBe('held');
  });

  it('when Sage already has the sales order, then the assignment is refused (409) and nothing changes', async () => {
    const { db } = ctx();
    const { orderId } = await heldOrder('sent@example.com', {});
    await db('export_jobs').where({ order_id: orderId }).update({ state: 'delivered', delivered_at: '2026-11-23T10:00:00.000Z' });
    await db('orders').where({ id: orderId }).update({ state: 'delivered' });
    const res = await support.post(`/api/orders/${orderId}/assign`, { code: 'ACME01' });
    expect(res.status).toBe(409);
    expect(res.body.error.message).toContain('can only be changed in Sage');
    expect(await db('order_account_assignments').where({ order_id: orderId })).toEqual([]);
  });

  it('when the email is remembered from the page, then a later order from it gets the account (MANUAL, naming the link) and is not held; the link is listed and removable', async () => {
    const { db } = ctx();
    const first = await heldOrder('repeat.guest@example.com');
    const res = await support.post(`/api/orders/${first.orderId}/assign`, {
      code: 'ACME01',
      reason: 'our trade guest',
      rememberEmail: true,
    });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ accountCode: 'ACME01', rememberedEmail: 'repeat.guest@example.com', result: { outcome: 'queued' } });
    expect(await findEmailLink(db, 'repeat.guest@example.com')).toMatchObject({ accountCode: 'ACME01', fromOrderId: first.orderId });

    const later = await heldOrder('Repeat.Guest@example.com');
    expect(later.outcome).toMatchObject({ outcome: 'queued', rule: 'MANUAL', accountCode: 'ACME01' });
    const decision = JSON.parse((await db('orders').where({ id: later.orderId }).first()).decision);
    expect(decision.reason).toContain(`linked to account ACME01 by support`);
    expect(decision.reason).toContain(`remembered from order ${first.orderId}`);

    const listed = await support.get('/api/email-links');
    expect(listed.body.links).toEqual([expect.objectContaining({ email: 'repeat.guest@example.com', accountCode: 'ACME01' })]);
    const removed = await support.request('DELETE', `/api/email-links/${encodeURIComponent('repeat.guest@example.com')}`);
    expect(removed.status).toBe(200);
    expect(await findEmailLink(db, 'repeat.guest@example.com')).toBeUndefined();
    expect(await listAudit(db, { action: 'accounts.email-link.remove' })).toHaveLength(1);
    const third = await heldOrder('repeat.guest@example.com');
    expect(third.outcome.outcome).toBe('held');
  });

  it("when a customer is unlinked while its order's own meta carries a bad code, then the answer says that order stays held (not 'can be reprocessed')", async () => {
    const { db } = ctx();
    await insertWooCustomer(db, 77, 'ACME01', { email: 'buyer77@example.com' });
    const { orderId } = await seedOrder(db, { email: 'buyer77@example.com', customerId: 77, payload: BAD_META });
    await db('orders').where({ id: orderId }).update({ state: 'held', last_error: 'bad code' });
    const writer = { updateCustomerMeta: async (id: number) => ({ id, meta_data: [] }) };
    const result = await linkCustomer(db, { customerId: 77, code: '', actor: 'sue', clock }, writer);
    expect(result.heldOrderIds).toEqual([]);
    expect(result.stillHeld).toEqual([{ orderId, reason: expect.stringContaining('"ACME-01"') }]);
    // The dry run changed nothing.
    expect((await db('orders').where({ id: orderId }).first()).state).toBe('held');
  });
});
