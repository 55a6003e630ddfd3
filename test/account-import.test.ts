import path from 'node:path';
import { expect, it } from 'vitest';
import { listAudit } from '../src/db/audit-log.ts';
import { fixedClock } from '../src/domain/clock.ts';
import { AccountImportRejected, importAccounts, importAccountsFile } from '../src/pipeline/import-accounts.ts';
import { describeEachDialect } from './helpers/test-db.ts';
import type { Knex } from 'knex';

const fixture = (name: string) => path.join(import.meta.dirname, 'fixtures/sage', name);
const clock = fixedClock('2026-02-01T10:00:00Z');
const options = { all: false, actor: 'test', clock };

function exportOf(customers: string[]): string {
  return `<?xml version="1.0"?>\n<Company><Customers>\n${customers.join('\n')}\n</Customers></Company>`;
}
const customer = (code: string, fields = '') => `<Customer><AccountReference>${code}</AccountReference>${fields}</Customer>`;

async function* textSource(text: string) {
  yield text;
}

async function mirrorState(db: Knex) {
  const accounts = await db('sage_accounts').orderBy('code').select('code', 'name', 'status', 'origin', 'owner_key');
  const emails = await db('sage_account_emails').orderBy(['account_code', 'email']).select('account_code', 'email');
  return { accounts, emails };
}

async function clear(db: Knex) {
  await db('account_code_clashes').delete();
  await db('sage_account_emails').delete();
  await db('sage_accounts').delete();
}

async function addPending(db: Knex, code: string, email: string) {
  const at = '2026-01-01T00:00:00.000Z';
  await db('sage_accounts').insert({
    code,
    name: 'Jo Bloggs',
    status: 'pending',
    origin: 'created',
    owner_key: `guest:${email}`,
    details: '{}',
    created_at: at,
    updated_at: at,
  });
  await db('sage_account_emails').insert({ account_code: code, email });
}

describeEachDialect('accounts import', (ctx) => {
  it("when the seed's export is imported, then every account is active with all its normalised emails", async () => {
    const { db } = ctx();
    await clear(db);
    const summary = await importAccountsFile(db, fixture('customers-export.xml'), options);
    expect(summary).toMatchObject({ customers: 3, created: 3, updated: 0, emails: 6, skipped: [], file: 'customers-export.xml' });
    const state = await mirrorState(db);
    expect(state.accounts).toEqual([
      { code: 'DOE001', name: 'Doe & Daughters', status: 'active', origin: 'import', owner_key: null },
      { code: 'JOE001', name: 'Zynk Software Limited', status: 'active', origin: 'import', owner_key: null },
      { code: 'MIN001', name: null, status: 'active', origin: 'import', owner_key: null },
    ]);
    expect(state.emails.filter((e) => e.account_code === 'JOE001').map((e) => e.email)).toEqual([
      'accounts@zynk.com',
      'joe.harrison@example.com',
      'joe@zynk.com',
      'sales@zynk.com',
      'support@zynk.com',
    ]);
    const [audit] = await listAudit(db, { action: 'accounts.import' });
    expect(audit).toMatchObject({ actor: 'test', subject: `account_imports.${summary.importId}` });
    expect(await db('account_imports').where({ id: summary.importId }).first()).toMatchObject({
      customers: 3,
      created: 3,
      kind: 'partial',
    });
  });

  it("when Zynk's own customer export (with &#x0; in a memo) is imported, then all 30 accounts are in the mirror and the dropped reference is a warning naming the record", async () => {
    const { db } = ctx();
    await clear(db);
    const summary = await importAccountsFile(
      db,
      path.join(import.meta.dirname, 'fixtures/zynk', 'Stationary & Computer Mart - Customer Export.xml'),
      options,
    );
    expect(summary).toMatchObject({ customers: 30, created: 30, skipped: [] });
    expect(summary.warnings).toEqual([
      'customer "SWA001" (line 3139): line 3248: character reference &#x0; dropped (a character XML 1.0 forbids)',
    ]);
    expect(await db('sage_accounts').count({ n: '*' }).first()).toMatchObject({ n: 30 });
    const swan = await db('sage_accounts').where({ code: 'SWA001' }).first('status', 'details');
    expect(swan.status).toBe('active');
    expect(swan.details).toContain('till the new year.');
    expect(swan.details).not.toContain('\\u0000');
  });

  it('when a newer export changes an account, then it is updated; an account exported without email fields keeps its emails', async () => {
    const { db } = ctx();
    await clear(db);
    await importAccounts(
      db,
      textSource(
        exportOf([customer('A1', '<CompanyName>Old</CompanyName><Email>old@a.com</Email>'), customer('B1', '<Email>b@b.com</Email>')]),
      ),
      {
        ...options,
        fileName: 'first.xml',
      },
    );
    const summary = await importAccounts(
      db,
      textSource(
        exportOf([
          customer('a1', '<CompanyName>New Name</CompanyName><Email>NEW@a.com</Email>'),
          customer('B1', '<CompanyName>B Ltd</CompanyName>'),
        ]),
      ),
      { ...options, fileName: 'second.xml' },
    );
    expect(summary).toMatchObject({ created: 0, updated: 2 });
    const state = await mirrorState(db);
    expect(state.accounts.map((a) => [a.code, a.name])).toEqual([
      ['A1', 'New Name'],
      ['B1', 'B Ltd'],
    ]);
    expect(state.emails).toEqual([
      { account_code: 'A1', email: 'new@a.com' },
      { account_code: 'B1', email: 'b@b.com' },
    ]);
  });

  it('when an export contains a pending account we created, then it becomes confirmed and keeps its owner', async () => {
    const { db } = ctx();
    await clear(db);
    await addPending(db, 'BLOGGS01', 'jo@x.com');
    const summary = await importAccounts(
      db,
      textSource(exportOf([customer('BLOGGS01', '<CompanyName>Jo Bloggs</CompanyName><Email>jo@x.com</Email>')])),
      {
        ...options,
        fileName: 'new.xml',
      },
    );
    expect(summary).toMatchObject({ confirmed: 1, created: 0, warnings: [] });
    const row = await db('sage_accounts').where({ code: 'BLOGGS01' }).first();
    expect(row).toMatchObject({
      status: 'active',
      origin: 'created',
      owner_key: 'guest:jo@x.com',
      confirmed_at: '2026-02-01T10:00:00.000Z',
    });
  });

  it('when Sage has the same name under a code we reserved but other emails, then the import confirms it and warns', async () => {
    const { db } = ctx();
    await clear(db);
    await addPending(db, 'BLOGGS01', 'jo@x.com');
    const summary = await importAccounts(
      db,
      textSource(exportOf([customer('BLOGGS01', '<CompanyName>Jo  Bloggs</CompanyName><Email>someone@else.com</Email>')])),
      { ...options, fileName: 'x.xml' },
    );
    expect(summary).toMatchObject({ confirmed: 1, clashes: [] });
    expect(summary.warnings).toEqual([expect.stringContaining('BLOGGS01 was created by woo-sage for jo@x.com')]);
  });

  it('when Sage has another customer (other name, other emails) under a code we reserved, then nothing is merged: a clash is reported', async () => {
    const { db } = ctx();
    await clear(db);
    await addPending(db, 'BLOGGS01', 'jo@x.com');
    const summary = await importAccounts(db, textSource(exportOf([customer('BLOGGS01', '<Email>someone@else.com</Email>')])), {
      ...options,
      fileName: 'x.xml',
    });
    expect(summary).toMatchObject({ confirmed: 0, clashes: [expect.objectContaining({ code: 'BLOGGS01' })] });
    expect(await db('sage_accounts').where({ code: 'BLOGGS01' }).first()).toMatchObject({ status: 'pending', name: 'Jo Bloggs' });
    expect(await db('sage_account_emails').where({ account_code: 'BLOGGS01' }).pluck('email')).toEqual(['jo@x.com']);
  });

  it('when an "all customers" export lacks an account, then it is marked inactive, our pending ones are untouched, and it comes back when exported again', async () => {
    const { db } = ctx();
    await clear(db);
    await importAccounts(db, textSource(exportOf([customer('A1'), customer('B1'), customer('C1')])), { ...options, fileName: 'one.xml' });
    await addPending(db, 'NEW01', 'new@x.com');
    const full = await importAccounts(db, textSource(exportOf([customer('A1'), customer('B1')])), {
      ...options,
      all: true,
      fileName: 'all.xml',
    });
    expect(full).toMatchObject({ kind: 'all', deactivated: 1 });
    expect((await mirrorState(db)).accounts.map((a) => [a.code, a.status])).toEqual([
      ['A1', 'active'],
      ['B1', 'active'],
      ['C1', 'inactive'],
      ['NEW01', 'pending'],
    ]);
    const again = await importAccounts(db, textSource(exportOf([customer('C1')])), { ...options, fileName: 'c.xml' });
    expect(again).toMatchObject({ reactivated: 1 });
    expect((await db('sage_accounts').where({ code: 'C1' }).first()).status).toBe('active');
  });

  it('when an "all customers" export is empty or would deactivate most accounts, then it is refused and nothing changes', async () => {
    const { db } = ctx();
    await clear(db);
    await importAccounts(db, textSource(exportOf([...Array(30).keys()].map((i) => customer(`ACC${i}`)))), {
      ...options,
      fileName: 'many.xml',
    });
    const before = await mirrorState(db);
    await expect(importAccounts(db, textSource(exportOf([])), { ...options, all: true, fileName: 'empty.xml' })).rejects.toThrow(
      /no customers/,
    );
    await expect(
      importAccounts(db, textSource(exportOf([customer('ACC1')])), { ...options, all: true, fileName: 'part.xml' }),
    ).rejects.toThrow(/would mark 29 of 30 active accounts inactive/);
    expect(await mirrorState(db)).toEqual(before);
    const forced = await importAccounts(db, textSource(exportOf([customer('ACC1')])), {
      ...options,
      all: true,
      force: true,
      fileName: 'part.xml',
    });
    expect(forced.deactivated).toBe(29);
  });

  it.each([
    ['malformed.xml', /line 10, column \d+: unexpected close tag/],
    ['billion-laughs.xml', /DOCTYPE/],
    ['external-entity.xml', /DOCTYPE/],
  ])('when %s is imported, then it is rejected whole and the mirror is unchanged', async (file, message) => {
    const { db } = ctx();
    await clear(db);
    await importAccountsFile(db, fixture('customers-export.xml'), options);
    const before = await mirrorState(db);
    const imports = await db('account_imports').count({ n: '*' });
    const err = await importAccountsFile(db, fixture(file), options).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AccountImportRejected);
    expect((err as Error).message).toMatch(message);
    expect((err as Error).message).toContain('nothing was imported');
    expect(await mirrorState(db)).toEqual(before);
    expect(await db('account_imports').count({ n: '*' })).toEqual(imports);
  });

  it('when the first customers are fine and a later one is broken, then even the early batches are rolled back', async () => {
    const { db } = ctx();
    await clear(db);
    const good = [...Array(1200).keys()].map((i) => customer(`G${i}`, `<Email>g${i}@x.com</Email>`));
    const xml = exportOf([...good, '<Customer><AccountReference>BAD</AccountReference><Email>oops</Customer>']);
    await expect(importAccounts(db, textSource(xml), { ...options, fileName: 'late.xml', batchSize: 100 })).rejects.toThrow(
      AccountImportRejected,
    );
    expect(await mirrorState(db)).toEqual({ accounts: [], emails: [] });
  });

  it('when an export has thousands of customers, then all are written in batches', async () => {
    const { db } = ctx();
    await clear(db);
    const xml = exportOf(
      [...Array(3000).keys()].map((i) =>
        customer(`C${i}`, `<CompanyName>Customer ${i}</CompanyName><Email>c${i}@x.com</Email><Email2>shared@x.com</Email2>`),
      ),
    );
    const summary = await importAccounts(db, textSource(xml), { ...options, fileName: 'big.xml' });
    expect(summary).toMatchObject({ customers: 3000, created: 3000, emails: 6000 });
    expect(await db('sage_account_emails').where({ email: 'shared@x.com' }).count({ n: '*' })).toEqual([{ n: 3000 }]);
  });

  it('when a customer has no AccountReference or one appears twice, then it is skipped or the later kept, and reported', async () => {
    const { db } = ctx();
    await clear(db);
    const xml = exportOf([
      customer('A1', '<CompanyName>First</CompanyName>'),
      '<Customer><CompanyName>Nameless</CompanyName></Customer>',
      customer('A1', '<CompanyName>Second</CompanyName>'),
    ]);
    const summary = await importAccounts(db, textSource(xml), { ...options, fileName: 'dups.xml' });
    expect(summary.customers).toBe(1);
    expect(summary.skipped).toEqual([{ line: 4, reason: 'no AccountReference' }]);
    expect(summary.warnings).toEqual([expect.stringContaining('A1 appears more than once')]);
    expect((await db('sage_accounts').where({ code: 'A1' }).first()).name).toBe('Second');
  });

  it('when a field is longer than Sage allows, then that record is refused naming its line, code and field, and a full export keeps the account active', async () => {
    const { db } = ctx();
    await clear(db);
    await importAccounts(db, textSource(exportOf([customer('BIG1', '<CompanyName>Big Ltd</CompanyName>'), customer('OK1')])), {
      ...options,
      fileName: 'before.xml',
    });
    const xml = exportOf([
      customer('BIG1', `<CompanyName>${'B'.repeat(100_000)}</CompanyName>`),
      customer('LONGMAIL', `<Email>${'a'.repeat(250)}@example.com</Email>`),
      customer('LONGNAME', '<CustomerInvoiceAddress><Forename>' + 'F'.repeat(31) + '</Forename></CustomerInvoiceAddress>'),
      customer('OK1', '<CompanyName>Fine Ltd</CompanyName><__proto__><polluted>yes</polluted></__proto__>'),
    ]);
    const summary = await importAccounts(db, textSource(xml), { ...options, all: true, fileName: 'long.xml' });
    expect(summary.skipped).toEqual([
      {
        line: 3,
        reason:
          'BIG1: CompanyName is 100000 characters; Sage allows 60; the record is refused (the account keeps what was imported before)',
      },
      { line: 4, reason: expect.stringMatching(/^LONGMAIL: Email is 262 characters; Sage allows 255; the record is refused/) },
      { line: 5, reason: expect.stringMatching(/^LONGNAME: CustomerInvoiceAddress\/Forename is 31 characters; Sage allows 30;/) },
    ]);
    const rows = await db('sage_accounts').orderBy('code').select('code', 'name', 'status', 'details');
    expect(rows.map((r) => [r.code, r.name, r.status])).toEqual([
      ['BIG1', 'Big Ltd', 'active'],
      ['OK1', 'Fine Ltd', 'active'],
    ]);
    expect(JSON.parse(rows[1].details).__proto__).toEqual({ polluted: 'yes' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
