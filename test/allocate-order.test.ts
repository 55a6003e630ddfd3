import type { Knex } from 'knex';
import { beforeEach, expect, it } from 'vitest';
import { listOrderEvents } from '../src/db/order-events.ts';
import { fixedClock } from '../src/domain/clock.ts';
import { ConflictError } from '../src/domain/errors.ts';
import { allocateOrder } from '../src/pipeline/allocate-order.ts';
import { allocationSettings, insertAccount, insertWooCustomer, insertWooOrder } from './helpers/allocation-rows.ts';
import { describeEachDialect } from './helpers/test-db.ts';

const clock = fixedClock('2026-02-01T10:00:00Z');
let nextId = 20_000;

function wooOrder(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: nextId++,
    status: 'processing',
    total: '24.00',
    customer_id: 0,
    billing: {
      first_name: 'Jo',
      last_name: 'Bloggs',
      company: '',
      address_1: '1 High Street',
      city: 'Leeds',
      postcode: 'LS1 1AA',
      country: 'GB',
      email: 'jo@bloggs.example',
      phone: '0113 000 0000',
    },
    shipping: { first_name: 'Jo', last_name: 'Bloggs', address_1: '2 Low Road', city: 'York', postcode: 'YO1 1AA', country: 'GB' },
    ...extra,
  };
}

async function clear(db: Knex) {
  for (const table of ['order_events', 'orders', 'account_code_writebacks', 'woo_customers', 'sage_account_emails', 'sage_accounts'])
    await db(table).delete();
}

describeEachDialect('allocateOrder', (ctx) => {
  beforeEach(async () => clear(ctx().db));
  const run = (order: number, patch = {}) =>
    ctx().db.transaction((trx) => allocateOrder(trx, order, allocationSettings(patch), clock, 'sync'));

  it('when a new guest buyer orders, then a pending account with the Customer details is reserved and the order allocated', async () => {
    const { db } = ctx();
    const id = await insertWooOrder(db, wooOrder());
    const { decision, newAccount } = await run(id);
    expect(decision).toMatchObject({ rule: 'NEW', accountCode: 'BLOGGS01' });
    expect(newAccount).toMatchObject({
      code: 'BLOGGS01',
      ownerKey: 'guest:jo@bloggs.example',
      created: true,
      details: {
        companyName: 'Jo Bloggs',
        email: 'jo@bloggs.example',
        telephone: '0113 000 0000',
        invoiceAddress: { forename: 'Jo', surname: 'Bloggs', address1: '1 High Street', town: 'Leeds', postcode: 'LS1 1AA', country: 'GB' },
        deliveryAddress: { address1: '2 Low Road', town: 'York' },
        createdForOrderId: id,
        wooCustomerId: null,
      },
    });
    const account = await db('sage_accounts').where({ code: 'BLOGGS01' }).first();
    expect(account).toMatchObject({ status: 'pending', origin: 'created', owner_key: 'guest:jo@bloggs.example', name: 'Jo Bloggs' });
    expect(JSON.parse(account.details)).toEqual(newAccount!.details);
    expect(await listOrderEvents(db, id)).toEqual([
      { at: '2026-02-01T10:00:00.000Z', from: 'received', to: 'allocated', reason: decision.reason, actor: 'sync' },
    ]);
  });

  it('when the same guest orders again, then the pending account is found by email and no second account is made', async () => {
    const { db } = ctx();
    await run(await insertWooOrder(db, wooOrder()));
    const second = await run(await insertWooOrder(db, wooOrder({ billing: { email: 'JO@Bloggs.example', last_name: 'Bloggs' } })));
    expect(second.decision).toMatchObject({ rule: 'EXISTING', accountCode: 'BLOGGS01' });
    expect(second.decision.reason).toContain('not yet confirmed');
    expect(second.newAccount).toBeUndefined();
    expect(await db('sage_accounts').count({ n: '*' })).toEqual([{ n: 1 }]);
  });

  it('when the same buyer orders again with searchSageByEmail off, then NEW reuses the pending account and hands it back un-created', async () => {
    const { db } = ctx();
    await run(await insertWooOrder(db, wooOrder()), { searchSageByEmail: false });
    const second = await run(await insertWooOrder(db, wooOrder()), { searchSageByEmail: false });
    expect(second.decision).toMatchObject({ rule: 'NEW', accountCode: 'BLOGGS01' });
    expect(second.newAccount).toMatchObject({ code: 'BLOGGS01', created: false, details: { companyName: 'Jo Bloggs' } });
    expect(await db('sage_accounts').count({ n: '*' })).toEqual([{ n: 1 }]);
  });

  it('when two guests differ only by an accent in their email, then they are two buyers with two accounts', async () => {
    const { db } = ctx();
    await run(await insertWooOrder(db, wooOrder({ billing: { last_name: 'Bloggs', email: 'josé@bloggs.example' } })));
    const second = await run(await insertWooOrder(db, wooOrder({ billing: { last_name: 'Bloggs', email: 'jose@bloggs.example' } })));
    expect(second.decision).toMatchObject({ rule: 'NEW', accountCode: 'BLOGGS02' });
    expect(await db('sage_accounts').orderBy('code').pluck('owner_key')).toEqual([
      'guest:josé@bloggs.example',
      'guest:jose@bloggs.example',
    ]);
  });

  it('when the first 99 numbers of a stem are taken, then the next code shortens the stem', async () => {
    const { db } = ctx();
    for (let n = 1; n <= 99; n++) await insertAccount(db, `BLOGGS${String(n).padStart(2, '0')}`);
    await insertAccount(db, 'BLOGG100');
    const { decision } = await run(await insertWooOrder(db, wooOrder()));
    expect(decision.accountCode).toBe('BLOGG101');
  });

  it('when nothing applies, then the order is held with the reason as its last error', async () => {
    const { db } = ctx();
    const id = await insertWooOrder(db, wooOrder());
    const { decision } = await run(id, { createAccounts: false });
    expect(decision.rule).toBe('NONE');
    const row = await db('orders').where({ id }).first();
    expect(row).toMatchObject({ state: 'held', rule: 'NONE', account_code: null, last_error: decision.reason });
    expect(decision.reason).toBe(
      'The guest order carries no account code, no Sage account has billing email jo@bloggs.example, createAccounts is off and no defaultAccountCode is set, so the order is held.',
    );
  });

  it('when the stored payload cannot be read, then the order is held naming the field and value', async () => {
    const { db } = ctx();
    const id = await insertWooOrder(db, wooOrder({ total: 'twelve' }));
    const { decision } = await run(id);
    expect(decision).toMatchObject({ rule: 'NONE', accountCode: null });
    expect(decision.reason).toBe(`Order ${id} cannot be read (total: is not a decimal amount (got "twelve")), so it is held.`);
    expect((await db('orders').where({ id }).first()).state).toBe('held');
  });

  it("when a logged-in buyer's profile row is missing, then the order is held rather than given a new account", async () => {
    const { db } = ctx();
    const id = await insertWooOrder(db, wooOrder({ customer_id: 77 }));
    const { decision } = await run(id);
    expect(decision.rule).toBe('NONE');
    expect(decision.reason).toContain("Customer 77's WooCommerce profile has not been read");
    expect(await db('sage_accounts').count({ n: '*' })).toEqual([{ n: 0 }]);
  });

  it("when a logged-in buyer's profile carries a code, then PROFILE applies", async () => {
    const { db } = ctx();
    await insertAccount(db, 'JOE001');
    await insertWooCustomer(db, 77, ' joe001');
    const { decision } = await run(await insertWooOrder(db, wooOrder({ customer_id: 77 })));
    expect(decision).toMatchObject({ rule: 'PROFILE', accountCode: 'JOE001' });
  });

  it('when writeBackNewCodes is on and a logged-in buyer gets a new account, then a write-back is queued once', async () => {
    const { db } = ctx();
    await insertWooCustomer(db, 77, null);
    await run(await insertWooOrder(db, wooOrder({ customer_id: 77 })), { writeBackNewCodes: true, searchSageByEmail: false });
    await run(await insertWooOrder(db, wooOrder({ customer_id: 77 })), { writeBackNewCodes: true, searchSageByEmail: false });
    expect(await db('account_code_writebacks').select('customer_id', 'account_code', 'state')).toEqual([
      { customer_id: 77, account_code: 'BLOGGS01', state: 'pending' },
    ]);
  });

  it('when writeBackNewCodes is on but the buyer was a guest, then nothing is queued', async () => {
    const { db } = ctx();
    await run(await insertWooOrder(db, wooOrder()), { writeBackNewCodes: true });
    expect(await db('account_code_writebacks').count({ n: '*' })).toEqual([{ n: 0 }]);
  });

  it('when the order has already been queued for Sage, then its account cannot change', async () => {
    const { db } = ctx();
    const id = await insertWooOrder(db, wooOrder());
    await db('orders').where({ id }).update({ state: 'queued' });
    await expect(run(id)).rejects.toBeInstanceOf(ConflictError);
  });

  it('when a held order is allocated again after a fix, then it moves to allocated', async () => {
    const { db } = ctx();
    const id = await insertWooOrder(db, wooOrder());
    await run(id, { createAccounts: false });
    await run(id, { createAccounts: false, defaultAccountCode: 'CASH' });
    expect(await db('orders').where({ id }).first()).toMatchObject({
      state: 'allocated',
      rule: 'DEFAULT',
      account_code: 'CASH',
      last_error: null,
    });
    expect((await listOrderEvents(db, id)).map((e) => e.to)).toEqual(['held', 'allocated']);
  });

  it('when given the parsed order instead of an id, then the same decision is stored', async () => {
    const { db } = ctx();
    const order = wooOrder();
    await insertWooOrder(db, order);
    const { parseOrder } = await import('../src/woo/schemas.ts');
    const parsed = parseOrder(order);
    if (!parsed.ok) throw new Error(parsed.reason);
    const result = await ctx().db.transaction((trx) => allocateOrder(trx, parsed.value, allocationSettings(), clock, 'sync'));
    expect(result.decision.accountCode).toBe('BLOGGS01');
  });
});
