import type { Knex } from 'knex';
import { beforeEach, expect, it } from 'vitest';
import { listAudit } from '../src/db/audit-log.ts';
import { fixedClock } from '../src/domain/clock.ts';
import { allocateOrder } from '../src/pipeline/allocate-order.ts';
import { writeBackNewCodes } from '../src/pipeline/write-back-new-codes.ts';
import { getSettings, updateSettings } from '../src/settings/store.ts';
import type { CustomerProfileWriter } from '../src/woo/profile-writer.ts';
import { WooRequestError, WooUnavailableError } from '../src/woo/errors.ts';
import { insertWooCustomer, insertWooOrder } from './helpers/allocation-rows.ts';
import { describeEachDialect } from './helpers/test-db.ts';

const clock = fixedClock('2026-02-01T10:00:00Z');

function writer(behaviour: () => void = () => {}): CustomerProfileWriter & { calls: unknown[][] } {
  const calls: unknown[][] = [];
  return {
    calls,
    async updateCustomerMeta(...args) {
      calls.push(args);
      behaviour();
      return {};
    },
  };
}

async function newCustomerOrder(db: Knex, customerId: number) {
  await insertWooCustomer(db, customerId, null);
  const id = await insertWooOrder(db, {
    id: 40_000 + customerId,
    status: 'processing',
    total: '5.00',
    customer_id: customerId,
    billing: { last_name: 'Keen', email: `c${customerId}@x.com` },
  });
  const settings = await getSettings(db);
  await db.transaction((trx) => allocateOrder(trx, id, settings, clock, 'sync'));
}

describeEachDialect('writing new codes back to WooCommerce profiles', (ctx) => {
  beforeEach(async () => {
    const { db } = ctx();
    for (const table of [
      'order_events',
      'orders',
      'audit_log',
      'account_code_writebacks',
      'woo_customers',
      'sage_account_emails',
      'sage_accounts',
    ])
      await db(table).delete();
    clock.set('2026-02-01T10:00:00Z');
    await updateSettings(db, { writeBackNewCodes: true }, 'test', clock);
  });

  it('when a logged-in buyer got a new account, then its code is written to their profile and recorded', async () => {
    const { db } = ctx();
    await newCustomerOrder(db, 61);
    const fake = writer();
    const summary = await writeBackNewCodes(db, fake, { clock, actor: 'sync' });
    expect(summary).toEqual({ disabled: false, written: 1, skipped: 0, retrying: 0, failed: 0 });
    expect(fake.calls).toEqual([[61, 'sage_account_code', 'KEEN01']]);
    expect(await db('account_code_writebacks').where({ customer_id: 61 }).first()).toMatchObject({
      state: 'done',
      attempts: 1,
      last_error: null,
    });
    expect((await db('woo_customers').where({ id: 61 }).first()).profile_code).toBe('KEEN01');
    expect((await listAudit(db, { action: 'customer.code_written_back' }))[0]).toMatchObject({
      subject: 'woo_customers.61',
      after: 'KEEN01',
    });
    expect(await writeBackNewCodes(db, fake, { clock, actor: 'sync' })).toMatchObject({ written: 0 });
  });

  it('when the store is down, then the write-back waits and is retried later, without touching the order', async () => {
    const { db } = ctx();
    await newCustomerOrder(db, 62);
    const down = writer(() => {
      throw new WooUnavailableError('the store could not be reached', { endpoint: 'PUT customers/62' });
    });
    expect(await writeBackNewCodes(db, down, { clock, actor: 'sync' })).toMatchObject({ retrying: 1 });
    const row = await db('account_code_writebacks').where({ customer_id: 62 }).first();
    expect(row).toMatchObject({ state: 'pending', attempts: 1, last_error: 'the store could not be reached', locked_by: null });
    expect(row.next_attempt_at > '2026-02-01T10:00:00.000Z').toBe(true);
    expect((await db('orders').where({ id: 40_062 }).first()).state).toBe('allocated');

    expect(await writeBackNewCodes(db, writer(), { clock, actor: 'sync' })).toMatchObject({ written: 0 }); // not due yet
    clock.advance(60 * 60_000);
    expect(await writeBackNewCodes(db, writer(), { clock, actor: 'sync' })).toMatchObject({ written: 1 });
  });

  it('when the store refuses for good, then the write-back fails at once and is audited', async () => {
    const { db } = ctx();
    await newCustomerOrder(db, 63);
    const refused = writer(() => {
      throw new WooRequestError('the store rejected PUT customers/63 (HTTP 404 woocommerce_rest_invalid_id: Invalid ID.)', {
        endpoint: 'PUT customers/63',
      });
    });
    expect(await writeBackNewCodes(db, refused, { clock, actor: 'sync' })).toMatchObject({ failed: 1 });
    expect(await db('account_code_writebacks').where({ customer_id: 63 }).first()).toMatchObject({ state: 'failed', attempts: 1 });
    expect((await listAudit(db, { action: 'customer.code_write_back_failed' }))[0]!.details).toMatchObject({
      error: expect.stringContaining('404'),
    });
  });

  it('when the customer has been linked to another account meanwhile, then their link stands', async () => {
    const { db } = ctx();
    await newCustomerOrder(db, 64);
    await db('woo_customers').where({ id: 64 }).update({ profile_code: 'CHOSEN1' });
    const fake = writer();
    expect(await writeBackNewCodes(db, fake, { clock, actor: 'sync' })).toMatchObject({ skipped: 1 });
    expect(fake.calls).toEqual([]);
  });

  it('when writeBackNewCodes is off, then queued write-backs wait', async () => {
    const { db } = ctx();
    await newCustomerOrder(db, 65);
    await updateSettings(db, { writeBackNewCodes: false }, 'test', clock);
    const fake = writer();
    expect(await writeBackNewCodes(db, fake, { clock, actor: 'sync' })).toMatchObject({ disabled: true, written: 0 });
    expect(fake.calls).toEqual([]);
  });

  it('when two processes run at once, then each code is written once', async () => {
    const { db } = ctx();
    await newCustomerOrder(db, 66);
    await newCustomerOrder(db, 67);
    const fake = writer();
    const [a, b] = await Promise.all([
      writeBackNewCodes(db, fake, { clock, actor: 'sync', worker: 'a' }),
      writeBackNewCodes(db, fake, { clock, actor: 'sync', worker: 'b' }),
    ]);
    expect(a.written + b.written).toBe(2);
    expect(fake.calls).toHaveLength(2);
  });
});
