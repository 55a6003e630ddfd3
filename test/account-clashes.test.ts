import { expect, it } from 'vitest';
import { listAudit } from '../src/db/audit-log.ts';
import { listClashes } from '../src/db/account-clashes.ts';
import { recodeAccount } from '../src/pipeline/account-clashes.ts';
import { deliverToFolder } from '../src/pipeline/deliver-to-folder.ts';
import { importAccounts } from '../src/pipeline/import-accounts.ts';
import { processSettledOrder } from '../src/pipeline/process-orders.ts';
import { DEFAULT_SETTINGS } from '../src/settings/schema.ts';
import { runWooSage } from './helpers/cli.ts';
import { seedOrder, tempOutbox, testClock } from './helpers/outbox.ts';
import { describeEachDialect } from './helpers/test-db.ts';

const exportOf = (customers: Array<[string, string, string]>) =>
  `<?xml version="1.0"?><Company><Customers>${customers
    .map(
      ([code, name, email]) =>
        `<Customer><AccountReference>${code}</AccountReference><CompanyName>${name}</CompanyName><CustomerInvoiceAddress><Email>${email}</Email></CustomerInvoiceAddress></Customer>`,
    )
    .join('')}</Customers></Company>`;

async function* once(text: string) {
  yield text;
}

describeEachDialect('an import never merges two different customers', (ctx) => {
  const clock = testClock();
  const importXml = (xml: string) => importAccounts(ctx().db, once(xml), { all: false, fileName: 'sage.xml', actor: 'alice', clock });

  /** An order of a new guest, through the pipeline: a new account is created for them. */
  async function newBuyerOrder(email: string, forename: string, surname: string) {
    const { db } = ctx();
    const { orderId, order } = await seedOrder(db, {
      email,
      payload: { billing: { first_name: forename, last_name: surname, email, company: '' } },
    });
    await db('orders').where({ id: orderId }).update({ state: 'waiting', date_modified: '2026-01-01T00:00:00.000Z' });
    const row = await db('orders').where({ id: orderId }).first('content_hash');
    const outcome = await processSettledOrder(
      db,
      { id: orderId, contentHash: row.content_hash, payload: order },
      { settings: DEFAULT_SETTINGS, clock, actor: 'sync' },
    );
    return { orderId, outcome };
  }

  it('when Sage exports a created code for another customer, then neither is overwritten, the clash is reported and the orders are held; re-coding queues them with the next free code', async () => {
    const { db } = ctx();
    const mia = await newBuyerOrder('mia@example.com', 'Mia', 'Taylor');
    expect(mia.outcome).toMatchObject({ outcome: 'queued', rule: 'NEW', accountCode: 'TAYLOR01' });

    const summary = await importXml(exportOf([['TAYLOR01', 'Aled Taylor', 'aled@example.com']]));
    expect(summary.clashes).toEqual([
      expect.objectContaining({
        code: 'TAYLOR01',
        created: { name: 'Mia Taylor', emails: ['mia@example.com'] },
        sage: { name: 'Aled Taylor', emails: ['aled@example.com'] },
        heldOrders: [mia.orderId],
        deliveredOrders: [],
      }),
    ]);
    expect(summary.confirmed).toBe(0);
    // The created account is untouched; Sage's record waits in the clash.
    expect(await db('sage_accounts').where({ code: 'TAYLOR01' }).first()).toMatchObject({
      status: 'pending',
      origin: 'created',
      name: 'Mia Taylor',
    });
    expect(await db('sage_account_emails').where({ account_code: 'TAYLOR01' }).pluck('email')).toEqual(['mia@example.com']);
    expect((await listClashes(db, { state: 'open' }))[0]!.sage.name).toBe('Aled Taylor');
    // Nothing goes to Sage under the clashing code.
    expect(await db('orders').where({ id: mia.orderId }).first()).toMatchObject({ state: 'held' });
    expect((await db('orders').where({ id: mia.orderId }).first()).last_error).toContain('woo-sage accounts recode TAYLOR01');
    expect(await db('export_jobs').where({ account_code: 'TAYLOR01' }).pluck('state')).toEqual(['cancelled', 'cancelled']);

    // While it is open, an order of Sage's own customer is held too (never a second new code).
    const aled = await newBuyerOrder('aled@example.com', 'Aled', 'Taylor');
    expect(aled.outcome).toMatchObject({ outcome: 'held' });
    expect(aled.outcome.reason).toContain('Sage\'s own TAYLOR01 is "Aled Taylor"');

    const recoded = await recodeAccount(db, { code: 'taylor01', actor: 'sue', clock });
    expect(recoded).toMatchObject({ code: 'TAYLOR01', newCode: 'TAYLOR02', instructions: [] });
    expect(await db('sage_accounts').where({ code: 'TAYLOR01' }).first()).toMatchObject({
      status: 'active',
      origin: 'import',
      name: 'Aled Taylor',
    });
    expect(await db('sage_accounts').where({ code: 'TAYLOR02' }).first()).toMatchObject({
      status: 'pending',
      origin: 'created',
      owner_key: 'guest:mia@example.com',
    });
    expect(await db('orders').where({ id: mia.orderId }).first()).toMatchObject({ state: 'queued', account_code: 'TAYLOR02' });
    expect(await db('orders').where({ id: aled.orderId }).first()).toMatchObject({
      state: 'queued',
      rule: 'EXISTING',
      account_code: 'TAYLOR01',
    });
    const customerDoc = await db('export_jobs').where({ job_key: 'customer:TAYLOR02' }).first();
    expect(customerDoc).toMatchObject({ state: 'queued' });
    expect(customerDoc.document).toContain('<AccountReference>TAYLOR02</AccountReference>');
    const sales = await db('export_jobs').where({ order_id: mia.orderId, kind: 'sales_order' }).first();
    expect(sales).toMatchObject({ state: 'queued', account_code: 'TAYLOR02' });
    expect(sales.document).toContain('<AccountReference>TAYLOR02</AccountReference>');
    expect(await listAudit(db, { action: 'accounts.recode' })).toEqual([
      expect.objectContaining({ actor: 'sue', subject: 'sage_accounts.TAYLOR01' }),
    ]);
    expect(await listClashes(db, { state: 'open' })).toEqual([]);
  });

  it('when the same buyer comes back in the export (a shared email), then the created account is confirmed, not a clash', async () => {
    const { db } = ctx();
    const { outcome } = await newBuyerOrder('sam@example.com', 'Sam', 'Okafor');
    const summary = await importXml(exportOf([[outcome.accountCode!, 'Sam Okafor Ltd', 'SAM@example.com']]));
    expect(summary).toMatchObject({ clashes: [], confirmed: 1 });
    expect(await db('sage_accounts').where({ code: outcome.accountCode }).first()).toMatchObject({ status: 'active' });
  });

  it('when Sage already has the documents under the clashing code, then re-coding says exactly what to fix in Sage (CLI)', async () => {
    const { db, url } = ctx();
    const { orderId, outcome } = await newBuyerOrder('jo@example.com', 'Jo', 'Evans');
    const code = outcome.accountCode!;
    await deliverToFolder(db, { outboxDir: tempOutbox(), clock });
    const imported = await runWooSage(
      ['accounts', 'import', await writeTemp(exportOf([[code, 'Evans Haulage', 'office@evans.example']]))],
      {
        DATABASE_URL: url,
        LOG_LEVEL: 'silent',
      },
    );
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toContain(
      `CLASH ${code}: created here for "Jo Evans" <jo@example.com>, but Sage's ${code} is "Evans Haulage" <office@evans.example>`,
    );
    expect(imported.stdout).toContain(`Already in Sage under ${code}: ${orderId}.`);

    const run = await runWooSage(['accounts', 'recode', code, '--actor', 'cli:sue'], { DATABASE_URL: url, LOG_LEVEL: 'silent' });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`TO DO IN SAGE: Sage may have imported woo-sage's Customer document for ${code}`));
    expect(run.stdout).toContain(
      `TO DO IN SAGE: Sales orders ${orderId} went to Sage on account ${code}, which is Evans Haulage: in Sage, move them to EVANSJ02 (Jo Evans).`,
    );
    // The delivered sales order is never sent again; the buyer's new account is.
    expect(await db('export_jobs').where({ order_id: orderId, kind: 'sales_order' }).pluck('state')).toEqual(['delivered']);
    expect(await db('export_jobs').where({ job_key: 'customer:EVANSJ02' }).pluck('state')).toEqual(['queued']);
  });
});

async function writeTemp(xml: string): Promise<string> {
  const fs = await import('node:fs');
  const path = await import('node:path');
  const dir = tempOutbox();
  const file = path.join(dir, 'sage-customers.xml');
  fs.writeFileSync(file, xml);
  return file;
}
