import type { Knex } from 'knex';
import { beforeEach, expect, it } from 'vitest';
import { listAudit } from '../src/db/audit-log.ts';
import { fixedClock } from '../src/domain/clock.ts';
import { ConflictError, ValidationError } from '../src/domain/errors.ts';
import { allocateOrder } from '../src/pipeline/allocate-order.ts';
import { linkCustomer, listCustomerLinks } from '../src/pipeline/link-customer.ts';
import { getSettings } from '../src/settings/store.ts';
import type { CustomerProfileWriter } from '../src/woo/profile-writer.ts';
import { insertAccount, insertWooCustomer } from './helpers/allocation-rows.ts';
import { seedOrder } from './helpers/outbox.ts';
import { describeEachDialect } from './helpers/test-db.ts';

const clock = fixedClock('2026-02-01T10:00:00Z');

function fakeWriter(fail?: Error): CustomerProfileWriter & { calls: [number, string, string][] } {
  const calls: [number, string, string][] = [];
  return {
    calls,
    async updateCustomerMeta(customerId, key, value) {
      calls.push([customerId, key, value]);
      if (fail) throw fail;
      return { id: customerId, meta_data: [{ key, value }] };
    },
  };
}

async function clear(db: Knex) {
  for (const table of ['order_events', 'orders', 'audit_log', 'woo_customers', 'sage_account_emails', 'sage_accounts'])
    await db(table).delete();
}

describeEachDialect('linking customers to Sage accounts', (ctx) => {
  beforeEach(async () => {
    const { db } = ctx();
    await clear(db);
    await insertAccount(db, 'SILVA01', ['accounts@silva.example'], { name: 'João Silva' });
    await insertAccount(db, 'OLD001', [], { status: 'inactive' });
    await insertWooCustomer(db, 26, null, { email: 'joao.silva@example.com', first_name: 'João', last_name: 'Silva' });
  });

  it('when a customer is linked, then the code is written to the profile meta, kept locally and audited', async () => {
    const { db } = ctx();
    const writer = fakeWriter();
    const result = await linkCustomer(db, { customerId: 26, code: ' silva01 ', actor: 'support:ann', clock }, writer);
    expect(writer.calls).toEqual([[26, 'sage_account_code', 'SILVA01']]);
    expect(result).toEqual({
      customerId: 26,
      code: 'SILVA01',
      previousCode: null,
      accountName: 'João Silva',
      localProfileUpdated: true,
      heldOrderIds: [],
      stillHeld: [],
    });
    expect((await db('woo_customers').where({ id: 26 }).first()).profile_code).toBe('SILVA01');
    const [audit] = await listAudit(db, { action: 'customer.link' });
    expect(audit).toMatchObject({
      actor: 'support:ann',
      subject: 'woo_customers.26',
      before: null,
      after: 'SILVA01',
      at: '2026-02-01T10:00:00.000Z',
    });
  });

  it('when a held order of the customer is reprocessed after linking, then it takes rule PROFILE', async () => {
    const { db } = ctx();
    // A complete order, so that the only thing holding it is its account.
    const { orderId } = await seedOrder(db, { customerId: 26, email: 'joao.silva@example.com' });
    await db('orders').where({ id: orderId }).update({ state: 'waiting' });
    const settings = { ...(await getSettings(db)), createAccounts: false };
    await db.transaction((trx) => allocateOrder(trx, orderId, settings, clock, 'sync'));
    expect((await db('orders').where({ id: orderId }).first()).state).toBe('held');

    const result = await linkCustomer(db, { customerId: 26, code: 'SILVA01', actor: 'support', clock }, fakeWriter());
    expect(result).toMatchObject({ heldOrderIds: [orderId], stillHeld: [] });
    const { decision } = await db.transaction((trx) => allocateOrder(trx, orderId, settings, clock, 'support'));
    expect(decision).toMatchObject({ rule: 'PROFILE', accountCode: 'SILVA01' });
  });

  it.each([
    ['SILVA-01', ValidationError, 'is not a valid Sage account code'],
    ['NOPE01', ValidationError, 'is not in the Sage account mirror'],
    ['OLD001', ConflictError, 'is marked inactive'],
  ])('when the code is %s, then it is refused before the store is touched', async (code, type, message) => {
    const { db } = ctx();
    const writer = fakeWriter();
    const err = await linkCustomer(db, { customerId: 26, code, actor: 'support', clock }, writer).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(type);
    expect((err as Error).message).toContain(message);
    expect(writer.calls).toEqual([]);
    expect((await db('woo_customers').where({ id: 26 }).first()).profile_code).toBeNull();
  });

  it('when the code is unknown but allowUnknown is given, then it is linked', async () => {
    const { db } = ctx();
    const result = await linkCustomer(db, { customerId: 26, code: 'NEW2026', actor: 'support', allowUnknown: true, clock }, fakeWriter());
    expect(result).toMatchObject({ code: 'NEW2026', accountName: null });
  });

  it('when the store refuses the write, then nothing changes locally and the failure is audited', async () => {
    const { db } = ctx();
    const err = await linkCustomer(
      db,
      { customerId: 26, code: 'SILVA01', actor: 'support', clock },
      fakeWriter(new Error('the store answered 500')),
    ).catch((e: unknown) => e);
    expect((err as Error).message).toBe('the store answered 500');
    expect((await db('woo_customers').where({ id: 26 }).first()).profile_code).toBeNull();
    expect(await listAudit(db, { action: 'customer.link' })).toEqual([]);
    expect((await listAudit(db, { action: 'customer.link_failed' }))[0]).toMatchObject({
      after: 'SILVA01',
      details: { error: 'the store answered 500' },
    });
  });

  it('when a customer is unlinked, then an empty code is written and the local code cleared', async () => {
    const { db } = ctx();
    await db('woo_customers').where({ id: 26 }).update({ profile_code: 'SILVA01' });
    const writer = fakeWriter();
    const result = await linkCustomer(db, { customerId: 26, code: '', actor: 'support', clock }, writer);
    expect(writer.calls).toEqual([[26, 'sage_account_code', '']]);
    expect(result).toMatchObject({ code: null, previousCode: 'SILVA01' });
    expect((await db('woo_customers').where({ id: 26 }).first()).profile_code).toBeNull();
    expect((await listAudit(db, { action: 'customer.unlink' }))[0]).toMatchObject({ before: 'SILVA01', after: null });
  });

  it('when customers are listed, then each is linked, unlinked or conflicting with the problem named', async () => {
    const { db } = ctx();
    await insertAccount(db, 'DOE001', ['john.doe@example.com']);
    await insertAccount(db, 'DOE002', []);
    await db('woo_customers').where({ id: 26 }).update({ profile_code: 'silva01' });
    await insertWooCustomer(db, 27, null, { email: 'john.doe@example.com', last_name: 'Doe' });
    await insertWooCustomer(db, 28, 'NOPE01', { email: 'x@example.com' });
    await insertWooCustomer(db, 29, 'OLD001', { email: 'y@example.com' });
    await insertWooCustomer(db, 30, 'DOE002', { email: 'john.doe@example.com' });
    await insertWooCustomer(db, 31, 'bad code', { email: 'z@example.com' });
    await insertWooCustomer(db, 32, '  ', { email: 'w@example.com' });

    const { total, rows } = await listCustomerLinks(db);
    expect(total).toBe(7);
    expect(rows.map((r) => [r.customerId, r.status, r.problem])).toEqual([
      [26, 'linked', null],
      [27, 'unlinked', null],
      [28, 'conflicting', 'The profile code NOPE01 is not in the Sage account mirror.'],
      [29, 'conflicting', 'The profile code OLD001 is marked inactive (missing from the last full Sage export).'],
      [30, 'conflicting', "The customer's email john.doe@example.com belongs to DOE001, not to the linked account DOE002."],
      [31, 'conflicting', 'The profile code "bad code" is not a valid Sage account code.'],
      [32, 'unlinked', null],
    ]);
    expect(rows[0]).toMatchObject({ name: 'João Silva', account: { code: 'SILVA01', name: 'João Silva', status: 'active' } });
    expect(rows[1]!.emailMatches).toEqual(['DOE001']);

    const conflicting = await listCustomerLinks(db, { status: 'conflicting', limit: 2, offset: 1 });
    expect(conflicting.total).toBe(4);
    expect(conflicting.rows.map((r) => r.customerId)).toEqual([29, 30]);
    expect((await listCustomerLinks(db, { search: 'DOE' })).rows.map((r) => r.customerId)).toEqual([27, 30]);
    expect((await listCustomerLinks(db, { search: '50%_!' })).total).toBe(0);
  });
});
