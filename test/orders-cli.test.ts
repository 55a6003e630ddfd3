import { expect, it } from 'vitest';
import { transitionOrder } from '../src/db/order-events.ts';
import { runWooSage } from './helpers/cli.ts';
import { insertOrderRow } from './helpers/factories.ts';
import { describeEachDialect } from './helpers/test-db.ts';

describeEachDialect('woo-sage orders', (ctx) => {
  it('when orders are listed by state, then only that state is shown, newest first', async () => {
    const { db, url } = ctx();
    const a = await insertOrderRow(db, { id: 501, state: 'held', last_error: 'Billing email is missing.' });
    const b = await insertOrderRow(db, { id: 502, state: 'held', last_error: 'Tax rate 17 is not mapped.' });
    await insertOrderRow(db, { id: 503, state: 'queued' });
    const { code, stdout } = await runWooSage(['orders', 'list', '--state', 'held', '--json'], { DATABASE_URL: url });
    expect(code).toBe(0);
    const rows = JSON.parse(stdout) as Array<{ id: number; lastError: string }>;
    expect(rows.map((r) => r.id)).toEqual([b, a]);
    expect(rows[1]?.lastError).toBe('Billing email is missing.');
    const text = await runWooSage(['orders', 'list', '--state', 'held'], { DATABASE_URL: url });
    expect(text.stdout).toContain('Tax rate 17 is not mapped.');
  });

  it('when searching by email or account code, then matching orders are found', async () => {
    const { db, url } = ctx();
    await insertOrderRow(db, { id: 601, billing_email: 'Jo.Bloggs@Example.com', account_code: 'BLOGGS01' });
    await insertOrderRow(db, { id: 602, billing_email: 'someone@else.org' });
    const byEmail = await runWooSage(['orders', 'list', '--search', 'jo.bloggs', '--json'], { DATABASE_URL: url });
    expect(JSON.parse(byEmail.stdout).map((r: { id: number }) => r.id)).toEqual([601]);
    const byCode = await runWooSage(['orders', 'list', '--search', 'bloggs01', '--json'], { DATABASE_URL: url });
    expect(JSON.parse(byCode.stdout).map((r: { id: number }) => r.id)).toEqual([601]);
    const byId = await runWooSage(['orders', 'list', '--search', '602', '--json'], { DATABASE_URL: url });
    expect(JSON.parse(byId.stdout).map((r: { id: number }) => r.id)).toEqual([602]);
  });

  it('when an order is explained, then its decision, history and documents are shown', async () => {
    const { db, url } = ctx();
    const id = await insertOrderRow(db, {
      id: 701,
      rule: 'EXISTING',
      account_code: 'JOE001',
      decision: JSON.stringify({
        rule: 'EXISTING',
        accountCode: 'JOE001',
        reason: 'Billing email joe@x.com matches Sage account JOE001.',
        trace: [],
      }),
    });
    await transitionOrder(db, {
      orderId: id,
      to: 'queued',
      reason: 'sales order queued',
      actor: 'sync',
      at: new Date('2026-11-23T10:00:00Z'),
    });
    await db('export_jobs').insert({
      job_key: `sales_order:${id}`,
      kind: 'sales_order',
      order_id: id,
      account_code: 'JOE001',
      document: '<SalesOrder/>',
      state: 'queued',
      next_attempt_at: '2026-11-23T10:00:00.000Z',
      created_at: '2026-11-23T10:00:00.000Z',
      updated_at: '2026-11-23T10:00:00.000Z',
    });
    const text = await runWooSage(['orders', 'explain', String(id)], { DATABASE_URL: url });
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('account JOE001 by rule EXISTING');
    expect(text.stdout).toContain('Billing email joe@x.com matches Sage account JOE001.');
    expect(text.stdout).toContain('received → queued  sales order queued');
    expect(text.stdout).toContain(`sales_order sales_order:${id}: queued, not yet in a batch`);
    const json = JSON.parse((await runWooSage(['orders', 'explain', String(id), '--json'], { DATABASE_URL: url })).stdout);
    expect(json.documents).toHaveLength(1);
    expect(json.events[0]).toMatchObject({ from: 'received', to: 'queued' });
  });

  it('when orders wait, then list and explain say why each has not gone to Sage', async () => {
    const { db, url } = ctx();
    await insertOrderRow(db, { id: 801, state: 'waiting', status: 'on-hold' });
    await insertOrderRow(db, { id: 802, state: 'waiting', date_modified: '2099-01-01T00:00:00.000Z' });
    await insertOrderRow(db, { id: 803, state: 'waiting', customer_id: 42, customer_pending: true });
    await insertOrderRow(db, { id: 804, state: 'waiting' });
    await insertOrderRow(db, { id: 805, state: 'queued', status: 'on-hold' });
    const { code, stdout } = await runWooSage(['orders', 'list', '--search', '80', '--json'], { DATABASE_URL: url });
    expect(code).toBe(0);
    const reasons = Object.fromEntries(
      (JSON.parse(stdout) as Array<{ id: number; waitingReason: string | null; customerPending: boolean }>).map((r) => [
        r.id,
        r.waitingReason,
      ]),
    );
    expect(reasons).toMatchObject({
      801: 'status "on-hold" is not exported (import statuses: processing, completed)',
      // settleMinutes defaults to 60.
      802: 'settling until 2099-01-01T01:00:00.000Z',
      803: 'the profile of customer 42 is fetched by the next sync first',
      804: 'due: the next sync processes it',
      805: null,
    });
    const text = await runWooSage(['orders', 'list', '--state', 'waiting'], { DATABASE_URL: url });
    expect(text.stdout).toContain('status "on-hold" is not exported');
    expect(text.stdout).toContain('settling until 2099-01-01T01:00:00.000Z');
    const explained = await runWooSage(['orders', 'explain', '803'], { DATABASE_URL: url });
    expect(explained.stdout).toContain('waiting: the profile of customer 42 is fetched by the next sync first');
  });

  it('when orders are listed as JSON, then each carries the buyer, the total and whether its status keeps it from Sage', async () => {
    const { db, url } = ctx();
    await insertOrderRow(db, {
      id: 851,
      state: 'waiting',
      status: 'cancelled',
      billing_name: 'Mia Taylor',
      billing_email: 'mia@example.com',
      total_minor: 4599,
    });
    await insertOrderRow(db, { id: 852, state: 'waiting', status: 'processing', billing_name: 'Aled Jones (Jones Farm)' });
    await insertOrderRow(db, { id: 853, state: 'held', status: 'refunded', rule: 'NONE', last_error: 'No rule applies.' });
    const { code, stdout } = await runWooSage(['orders', 'list', '--json'], { DATABASE_URL: url });
    expect(code).toBe(0);
    const rows = (JSON.parse(stdout) as Array<Record<string, unknown>>).filter((r) => [851, 852, 853].includes(Number(r.id)));
    expect(rows.map((r) => r.id)).toEqual([853, 852, 851]);
    for (const row of rows)
      for (const key of ['id', 'state', 'status', 'rule', 'accountCode', 'totalMinor', 'billingEmail', 'billingName', 'stateLabel'])
        expect(Object.hasOwn(row, key), `${key} of order ${row.id}`).toBe(true);
    expect(rows[2]).toMatchObject({
      state: 'waiting',
      status: 'cancelled',
      totalMinor: 4599,
      billingEmail: 'mia@example.com',
      billingName: 'Mia Taylor',
      statusNotExported: true,
      stateLabel: 'not exported (status cancelled)',
    });
    expect(rows[1]).toMatchObject({ state: 'waiting', statusNotExported: false, stateLabel: 'waiting' });
    // A held order says why it is held; its status is not what stops it.
    expect(rows[0]).toMatchObject({ state: 'held', statusNotExported: false, stateLabel: 'held' });

    const text = await runWooSage(['orders', 'list'], { DATABASE_URL: url });
    const line = text.stdout.split('\n').find((l) => l.startsWith('851'));
    expect(line).toMatch(/^851 +not exported \(status cancelled\) +cancelled +45\.99 GBP +Mia Taylor <mia@example\.com>/);
    const byName = await runWooSage(['orders', 'list', '--search', 'jones farm', '--json'], { DATABASE_URL: url });
    expect(JSON.parse(byName.stdout).map((r: { id: number }) => r.id)).toEqual([852]);
    const explained = await runWooSage(['orders', 'explain', '851'], { DATABASE_URL: url });
    expect(explained.stdout).toContain('Order 851: not exported (status cancelled), WooCommerce status cancelled');
    expect(explained.stdout).toContain('buyer Mia Taylor, guest <mia@example.com>');
  });

  it('when an order is unknown or the id is not a number, then it exits 2 with a clear message', async () => {
    const { url } = ctx();
    const missing = await runWooSage(['orders', 'explain', '999999'], { DATABASE_URL: url });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('order 999999 is not in the inbox');
    const bad = await runWooSage(['orders', 'explain', 'abc'], { DATABASE_URL: url });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('expected a WooCommerce order id');
  });
});
