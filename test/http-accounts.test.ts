import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { listAudit } from '../src/db/audit-log.ts';
import { ACCOUNT_IMPORT_LIMIT_BYTES } from '../src/http/routes/accounts.ts';
import { insertAccount, insertWooCustomer } from './helpers/allocation-rows.ts';
import { Client, createTestUser, startTestApp, type TestApp } from './helpers/http.ts';
import { describeEachDialect } from './helpers/test-db.ts';

const fixture = (name: string) => fs.readFileSync(path.resolve('test/fixtures/sage', name), 'utf8');

function exportOf(accounts: Array<{ code: string; name: string; email?: string }>): string {
  const customers = accounts
    .map(
      (a) =>
        `<Customer><AccountReference>${a.code}</AccountReference><CompanyName>${a.name}</CompanyName>` +
        `<CustomerInvoiceAddress><Email>${a.email ?? ''}</Email></CustomerInvoiceAddress></Customer>`,
    )
    .join('\n');
  return `<?xml version="1.0"?>\n<Company>\n<Customers>\n${customers}\n</Customers>\n</Company>\n`;
}

describeEachDialect('admin API accounts', (ctx) => {
  let server: TestApp;
  let owner: Client;
  let support: Client;
  let ownerName: string;

  const upload = (client: Client, xml: string, query = '') =>
    client.request('POST', `/api/accounts/import${query}`, { rawBody: xml, headers: { 'content-type': 'application/xml' } });

  beforeAll(async () => {
    const { db } = ctx();
    server = await startTestApp(db, ctx().url);
    owner = new Client(server.url);
    ownerName = await createTestUser(db, 'owner');
    await owner.login(ownerName);
    support = new Client(server.url);
    await support.login(await createTestUser(db, 'support'));
  });
  afterAll(() => server.close());
  beforeEach(async () => {
    const { db } = ctx();
    for (const table of ['woo_customers', 'sage_account_emails', 'sage_accounts', 'account_imports', 'audit_log']) await db(table).delete();
  });

  it('when the owner uploads a customer export, then the summary comes back, the mirror holds it and the import is audited', async () => {
    const res = await upload(owner, fixture('customers-export.xml'), '?fileName=customers-export.xml');
    expect(res.status).toBe(200);
    expect(res.body.summary).toMatchObject({ file: 'customers-export.xml', kind: 'partial', customers: 3, created: 3, deactivated: 0 });
    const { db } = ctx();
    expect(await db('sage_accounts').orderBy('code').pluck('code')).toEqual(['DOE001', 'JOE001', 'MIN001']);
    expect(await db('sage_account_emails').where({ account_code: 'JOE001' }).orderBy('email').pluck('email')).toContain('joe@zynk.com');
    const [audit] = await listAudit(db, { action: 'accounts.import' });
    expect(audit).toMatchObject({ actor: ownerName });
    const list = await support.get('/api/accounts');
    expect(list.body.lastImport).toMatchObject({ file: 'customers-export.xml', actor: ownerName, customers: 3, kind: 'partial' });
  });

  it('when a support user uploads a full export, then it is refused with 403 and nothing changes; a partial one is imported', async () => {
    const { db } = ctx();
    await insertAccount(db, 'KEEP01', []);
    const xml = exportOf([{ code: 'NEW01', name: 'New One' }]);
    for (const query of ['?all=true', '?all=true&force=true', '?force=1']) {
      const refused = await upload(support, xml, query);
      expect(refused.status, query).toBe(403);
      expect(refused.body.error.code).toBe('FORBIDDEN');
      expect(refused.body.error.message).toContain('only an owner can import a full export');
    }
    expect(await db('sage_accounts').pluck('code')).toEqual(['KEEP01']);
    expect(Number((await db('account_imports').count({ n: '*' }).first())!.n)).toBe(0);
    const partial = await upload(support, xml);
    expect(partial.status).toBe(200);
    expect(await db('sage_accounts').orderBy('code').pluck('code')).toEqual(['KEEP01', 'NEW01']);
  });

  it('when the owner uploads a full export, then accounts missing from it become inactive', async () => {
    const { db } = ctx();
    await insertAccount(db, 'GONE01', []);
    const xml = exportOf([
      { code: 'STAY01', name: 'Stays' },
      { code: 'STAY02', name: 'Stays too' },
    ]);
    const res = await upload(owner, xml, '?all=true');
    expect(res.status).toBe(200);
    expect(res.body.summary).toMatchObject({ kind: 'all', created: 2, deactivated: 1 });
    expect((await db('sage_accounts').where({ code: 'GONE01' }).first()).status).toBe('inactive');
  });

  it('when the file is malformed, then it answers 400 naming the line and column and nothing is imported', async () => {
    const res = await upload(owner, fixture('malformed.xml'), '?fileName=malformed.xml');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('ACCOUNT_IMPORT_REJECTED');
    expect(res.body.error.message).toMatch(/^malformed\.xml: line 10, column \d+: unexpected close tag.*nothing was imported$/);
    expect(res.body.error.details).toEqual({ line: 10, column: expect.any(Number) });
    expect(Number((await ctx().db('sage_accounts').count({ n: '*' }).first())!.n)).toBe(0);
  });

  it('when the file declares external entities, then it is refused and nothing is read from outside', async () => {
    const res = await upload(owner, fixture('external-entity.xml'));
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('ACCOUNT_IMPORT_REJECTED');
    expect(res.text).not.toContain('root:');
  });

  it('when no file is sent, then it answers 400', async () => {
    const res = await upload(owner, '');
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe('no file was sent: the request body is empty');
  });

  it('when the upload is larger than the limit, then it answers 413 and nothing is imported', async () => {
    const res = await upload(owner, ' '.repeat(ACCOUNT_IMPORT_LIMIT_BYTES + 1));
    expect(res.status).toBe(413);
    expect(res.body.error).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', message: 'the file is larger than 50 MB; nothing was imported' });
    expect(Number((await ctx().db('account_imports').count({ n: '*' }).first())!.n)).toBe(0);
  });

  it('when accounts are listed, then they come by code with emails, searchable by code, name or email, and paged', async () => {
    const { db } = ctx();
    await insertAccount(db, 'ACME01', ['orders@acme.example'], { name: 'Acme Garden Supplies' });
    await insertAccount(db, 'ACME02', ['buying@acme.example', 'orders@acme.example'], { name: 'Acme Trade' });
    await insertAccount(db, 'BLOGGS01', ['jo@example.com'], { name: 'Jo Bloggs' });
    await insertAccount(db, 'OLD01', [], { name: 'Old 50%_off', status: 'inactive' });
    const all = await support.get('/api/accounts');
    expect(all.body.total).toBe(4);
    expect(all.body.counts).toEqual({ active: 3, inactive: 1, pending: 0 });
    expect(all.body.accounts[1]).toMatchObject({
      code: 'ACME02',
      name: 'Acme Trade',
      status: 'active',
      emails: ['buying@acme.example', 'orders@acme.example'],
    });
    const codes = async (query: string) => (await support.get(`/api/accounts${query}`)).body.accounts.map((a: { code: string }) => a.code);
    expect(await codes('?search=acme')).toEqual(['ACME01', 'ACME02']);
    expect(await codes('?search=BLOGGS')).toEqual(['BLOGGS01']);
    expect(await codes('?search=Garden')).toEqual(['ACME01']);
    expect(await codes('?search=BUYING%40')).toEqual(['ACME02']);
    expect(await codes('?search=50%25_')).toEqual(['OLD01']);
    expect(await codes('?search=0%25')).toEqual(['OLD01']);
    expect(await codes('?search=a%25')).toEqual([]);
    expect(await codes('?status=inactive')).toEqual(['OLD01']);
    // Exact codes, as the page checks a code before saving it: no partial match, case and repeats ignored.
    expect(await codes('?codes=acme01,%20OLD01,acme01,ACME0,NOPE')).toEqual(['ACME01', 'OLD01']);
    expect(await codes('?codes=,')).toEqual([]);
    const tooMany = Array.from({ length: 201 }, (_, i) => `C${i}`).join(',');
    expect((await support.get(`/api/accounts?codes=${tooMany}`)).status).toBe(400);
    expect(await codes('?limit=2&offset=2')).toEqual(['BLOGGS01', 'OLD01']);
    const page = await support.get('/api/accounts?search=acme&limit=1');
    expect(page.body.total).toBe(2);
    expect((await support.get('/api/accounts?limit=0')).status).toBe(400);
  });

  it('when one account is shown, then it has its emails, record and linked customers; an unknown code is 404', async () => {
    const { db } = ctx();
    await upload(owner, fixture('customers-export.xml'));
    await insertWooCustomer(db, 41, 'joe001', { email: 'joe@zynk.com', first_name: 'Joe', last_name: 'Harrison' });
    await insertWooCustomer(db, 42, null, { email: 'joe@zynk.com' });
    const res = await support.get('/api/accounts/joe001');
    expect(res.status).toBe(200);
    expect(res.body.account).toMatchObject({ code: 'JOE001', name: 'Zynk Software Limited', status: 'active', origin: 'import' });
    expect(res.body.account.emails).toContain('accounts@zynk.com');
    expect(res.body.account.details).toBeTruthy();
    expect(res.body.linkedCustomers).toEqual([{ customerId: 41, email: 'joe@zynk.com', name: 'Joe Harrison', company: null }]);
    const missing = await support.get('/api/accounts/NOPE01');
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toBe('NOPE01 is not in the Sage account mirror');
  });

  it('when the API is described, then the import takes an XML file and says so', async () => {
    const doc = (await support.get('/api/openapi.json')).body;
    const op = doc.paths['/api/accounts/import'].post;
    expect(Object.keys(op.requestBody.content)).toEqual(['application/xml']);
    expect(op.parameters.map((p: { name: string }) => p.name)).toEqual(['all', 'force', 'fileName']);
    expect(op['x-roles']).toEqual(['owner', 'support']);
  });
});
