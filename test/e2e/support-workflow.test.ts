import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/domain/clock.ts';
import { deliverToFolder } from '../../src/pipeline/deliver-to-folder.ts';
import { offerNextBatch } from '../../src/pipeline/deliver-by-pull.ts';
import { startSandbox, type Sandbox } from '../../src/sandbox/sandbox.ts';
import { getSettings, updateSettings } from '../../src/settings/store.ts';
import { metaText } from '../../src/woo/schemas.ts';
import { insertWooCustomer, insertWooOrder } from '../helpers/allocation-rows.ts';
import { insertOrderEvent } from '../helpers/factories.ts';
import { createTestUser, startTestApp, type TestApp } from '../helpers/http.ts';
import { newAccountFor, queue, seedOrder, tempOutbox, testClock } from '../helpers/outbox.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/test-db.ts';
import { buildOrder } from '../helpers/woo-cart.ts';
import { AdminPage } from './helpers/admin-page.ts';
import { chromiumAvailable, chromiumMissing, launchBrowser, saveScreenshot, type Browser, type WatchedPage } from './helpers/browser.ts';
import { describeWhenAvailable } from '../helpers/skip-with-reason.ts';

/**
 * A support person's day in real Chromium: refresh the Sage account list from an export, link the
 * customer of a held order to their Sage account (written to the store over HTTP: the sandbox
 * shop), look at what was sent to Sage, and try settings on an order before saving them.
 */
const required = process.env.WOO_SAGE_E2E === 'required';
if (!chromiumAvailable() && required)
  throw new Error('WOO_SAGE_E2E=required but /usr/bin/chromium is missing: apt-get install -y chromium');

const SAGE_EXPORT = `<?xml version="1.0" encoding="utf-8"?>
<Company>
<Customers>
<Customer><AccountReference>HARRIS01</AccountReference><CompanyName>Harris Plumbing Ltd</CompanyName>
<CustomerInvoiceAddress><Forename>Hal</Forename><Surname>Harris</Surname><Town>Leeds</Town><Postcode>LS1 4AP</Postcode><Email>accounts@harrisplumbing.co.uk</Email></CustomerInvoiceAddress></Customer>
<Customer><AccountReference>BAKER01</AccountReference><CompanyName>Baker &amp; Sons</CompanyName>
<CustomerInvoiceAddress><Email>jo.baker@example.com</Email></CustomerInvoiceAddress></Customer>
<Customer><AccountReference>ACME01</AccountReference><CompanyName>Acme Garden Supplies</CompanyName>
<CustomerInvoiceAddress><Email>orders@acme-gardens.co.uk</Email></CustomerInvoiceAddress></Customer>
</Customers>
</Company>
`;

describeWhenAvailable(chromiumMissing(), 'support workflow in Chromium: accounts, links, batches, preview', () => {
  let tdb: TestDatabase;
  let sandbox: Sandbox;
  let server: TestApp;
  let browser: Browser;
  let owner: string;
  let support: string;
  let current: WatchedPage | undefined;
  let workDir: string;
  let outbox: string;
  /** Sandbox customers without a profile code: the held buyer, a second one, one whose email Sage knows. */
  let heldBuyer: { id: number; email: string; name: string };
  let otherBuyer: { id: number; email: string; name: string };
  const baker = { id: 0, email: 'jo.baker@example.com', name: 'Jo Baker' };
  const heldOrderId = 9101;
  const guestOrderId = 9102;

  beforeAll(async () => {
    // A shop going live: nothing is known of Sage's accounts until the export is imported below.
    tdb = await createTestDatabase('sqlite', { sageAccountsKnown: false });
    const { db } = tdb;
    sandbox = await startSandbox({ orders: 5, customers: 40 });
    const plain = Array.from({ length: 40 }, (_, i) => i + 1).filter((id) => sandbox.store.customerFacts(id).profileKind === 'none');
    const buyer = (id: number) => {
      const c = sandbox.store.getCustomer(id) as { email: string; first_name: string; last_name: string };
      return { id, email: c.email, name: `${c.first_name} ${c.last_name}` };
    };
    heldBuyer = buyer(plain[0]!);
    otherBuyer = buyer(plain[1]!);
    baker.id = plain[2]!;
    for (const b of [heldBuyer, otherBuyer, baker]) {
      const [first_name, last_name] = b.name.split(' ');
      await insertWooCustomer(db, b.id, null, { email: b.email, first_name, last_name });
    }

    // No account is created for buyers Sage does not know: their orders are held for a person.
    await updateSettings(db, { createAccounts: false }, 'test');
    const order = buildOrder({
      id: heldOrderId,
      lines: [{ price: '24.00', quantity: 2, rate: 20 }],
      pricesIncludeTax: false,
      roundAtSubtotal: false,
    });
    await insertWooOrder(db, { ...order, customer_id: heldBuyer.id, billing: { ...order.billing, email: heldBuyer.email } });
    const reason = `No rule applies to order ${heldOrderId}: no profile code, ${heldBuyer.email} is not in Sage, accounts are not created and no default account code is set.`;
    await db('orders').where({ id: heldOrderId }).update({ state: 'held', rule: 'NONE', last_error: reason });
    await insertOrderEvent(db, { orderId: heldOrderId, to: 'held', at: new Date().toISOString(), reason, actor: 'sync' });
    const guest = buildOrder({
      id: guestOrderId,
      lines: [{ price: '5.00', quantity: 1, rate: 20 }],
      pricesIncludeTax: false,
      roundAtSubtotal: false,
    });
    await insertWooOrder(db, { ...guest, customer_id: 0, billing: { ...guest.billing, email: 'walk.in@example.net' } });
    await db('orders').where({ id: guestOrderId }).update({ state: 'held', rule: 'NONE', last_error: 'No rule applies.' });

    // One batch written to the outbox folder (a new customer and two orders), one fetched over HTTP.
    outbox = tempOutbox();
    const a = await seedOrder(db);
    await queue(db, a, 'NEWBUY01', newAccountFor(a.order, 'NEWBUY01'));
    await queue(db, await seedOrder(db), 'ACME01');
    await deliverToFolder(db, { outboxDir: outbox, clock: testClock() });
    await queue(db, await seedOrder(db), 'ACME01');
    // Offered at the fixed test time, the app runs on the real clock: a long offer keeps it unexpired.
    await offerNextBatch(db, { clock: testClock(), offerTimeoutMs: 5 * 365 * 24 * 3_600_000 });

    owner = await createTestUser(db, 'owner', 'olivia');
    support = await createTestUser(db, 'support', 'sam');
    server = await startTestApp(db, tdb.url, {
      env: { WOO_URL: sandbox.url, WOO_CONSUMER_KEY: sandbox.consumerKey, WOO_CONSUMER_SECRET: sandbox.consumerSecret, OUTBOX_DIR: outbox },
    });
    browser = await launchBrowser();
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'woo-sage-e2e-'));
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await sandbox?.close();
    await tdb?.destroy();
    if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
    if (outbox) fs.rmSync(outbox, { recursive: true, force: true });
  });

  async function signedIn(username: string): Promise<AdminPage> {
    current = await browser.freshPage(server.url);
    const admin = new AdminPage(current.page, server.url);
    await admin.signIn(username);
    return admin;
  }

  afterEach(async () => {
    expect(current?.problems ?? []).toEqual([]);
    await current?.page.close();
    current = undefined;
  });

  it('when the owner imports a Sage customer export, then the summary shows and the accounts can be searched and opened', async () => {
    const admin = await signedIn(owner);
    const { page } = admin;
    expect(await admin.nav().getByRole('link').allTextContents()).toEqual([
      'Dashboard',
      'Orders',
      'Link customers',
      'Sage accounts',
      'Export batches',
      'Books',
      'Settings',
      'Users',
    ]);
    await admin.open('Sage accounts');
    expect(await page.locator('.last-import').textContent()).toContain('No Sage export has been imported yet');

    const broken = path.join(workDir, 'broken.xml');
    fs.writeFileSync(
      broken,
      SAGE_EXPORT.replace('</CompanyName>\n<CustomerInvoiceAddress><Email>jo', '</Company>\n<CustomerInvoiceAddress><Email>jo'),
    );
    const refused = await admin.importAccounts(broken);
    expect(refused).toMatch(/^Not imported: broken\.xml: line 6, column \d+: .*nothing was imported$/);
    expect(await tdb.db('sage_accounts').count({ n: '*' }).first()).toEqual({ n: 0 });

    const file = path.join(workDir, 'sage-customers.xml');
    fs.writeFileSync(file, SAGE_EXPORT);
    const summary = await admin.importAccounts(file, { full: true });
    expect(summary).toContain(
      'Imported 3 accounts from sage-customers.xml (full export): 3 new, 0 updated, 0 missing from the file marked inactive',
    );
    await expect
      .poll(() => page.locator('.last-import').textContent())
      .toContain('Last import: sage-customers.xml (full export, 3 accounts) by olivia');
    const table = page.getByRole('table', { name: /Sage accounts by code/ });
    await expect.poll(() => table.getByRole('row').count()).toBe(1 + 3);
    await saveScreenshot(page, 'accounts', { fullPage: true });

    await page.getByLabel('Search accounts').fill('harrisplumbing');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await expect.poll(() => table.getByRole('row').count()).toBe(2);
    expect(page.url()).toContain('#/accounts?search=harrisplumbing');
    await page.getByRole('button', { name: 'Show account HARRIS01' }).click();
    const drawer = admin.drawer('Account HARRIS01');
    await drawer.getByRole('heading', { name: 'WooCommerce customers linked to it' }).waitFor();
    const text = (await drawer.textContent()) ?? '';
    expect(text).toContain('Harris Plumbing Ltd');
    expect(text).toContain('accounts@harrisplumbing.co.uk');
    expect(text).toContain('Hal, Harris, Leeds, LS1 4AP');
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'detached' });
    expect(await page.locator(':focus').textContent()).toBe('Show account HARRIS01');
  });

  it("when support links a held order's customer in the link table, then the code goes to the customer's WooCommerce profile and each row shows its result", async () => {
    expect(Number((await tdb.db('sage_accounts').count({ n: '*' }).first())!.n)).toBe(3); // imported by the scenario above
    const before = sandbox.store.getCustomer(heldBuyer.id) as { meta_data: never[] };
    expect(metaText(before.meta_data, 'sage_account_code')).toBeUndefined();
    sandbox.resetRequests();

    const admin = await signedIn(support);
    const { page } = admin;
    // From the held order to its buyer's row.
    await admin.open('Orders');
    await admin.filterOrders({ state: 'held' });
    const drawer = await admin.openOrder(heldOrderId);
    expect(await drawer.textContent()).toContain(`is not in Sage`);
    await drawer.getByRole('link', { name: 'Link this customer to a Sage account' }).click();
    await admin.heading('Link customers').waitFor();
    expect(page.url()).toContain(`#/customers?customer=${heldBuyer.id}`);
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'match' }).textContent()).toBe('1 customer matches. Showing 1–1.');
    await admin.enterCode(heldBuyer.name, 'harris01');
    await saveScreenshot(page, 'link-customers-one');
    expect(await admin.saveLinks()).toBe('Saved 1 link.');
    const heldRow = admin.linkRow(heldBuyer.email);
    expect(await heldRow.textContent()).toContain('Saved: linked to HARRIS01.');
    expect(await heldRow.textContent()).toContain(`Held orders that reprocessing now takes further: #${heldOrderId}`);
    expect(await heldRow.getByText('Linked', { exact: true }).count()).toBe(1);

    // The store really received the code over HTTP.
    expect(sandbox.requests.writes).toBe(1);
    const after = sandbox.store.getCustomer(heldBuyer.id) as { meta_data: never[] };
    expect(metaText(after.meta_data, 'sage_account_code')).toBe('HARRIS01');
    expect(await tdb.db('woo_customers').where({ id: heldBuyer.id }).first()).toMatchObject({ profile_code: 'HARRIS01' });

    // Then the other customers not linked yet, several at once.
    await page.getByRole('link', { name: 'Show all customers' }).click();
    await page.getByLabel('Show').selectOption('unlinked');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'match' }).textContent()).toBe('2 customers match. Showing 1–2.');
    expect(page.url()).toContain('#/customers?status=unlinked');
    expect(await page.getByLabel('Show').locator('option:checked').textContent()).toBe('Not linked (2)');
    // Jo Baker's email is on a Sage account: the page suggests it.
    await admin
      .linkRow(baker.email)
      .getByRole('button', { name: `Use BAKER01 for ${baker.name}` })
      .click();
    expect(await page.getByLabel(`Sage account code for ${baker.name}`).inputValue()).toBe('BAKER01');
    await admin.enterCode(otherBuyer.name, 'HARIS01'); // a typing slip: the page warns before saving it
    await saveScreenshot(page, 'link-customers');
    await page.getByRole('button', { name: 'Save links' }).click();
    const warning = await admin.answerCodeWarning('Save the other 1 link only');
    expect(warning).toContain(`${otherBuyer.name}: HARIS01 is not in the Sage account mirror`);
    expect(warning).not.toContain('BAKER01');
    await expect
      .poll(() => page.locator('.link-form .form-status').textContent())
      .toBe('Saved 1 link; 1 row could not be saved (marked in the table).');
    const otherRow = admin.linkRow(otherBuyer.email);
    expect(await otherRow.textContent()).toContain('Not saved: HARIS01 is not in the Sage account mirror');
    expect(await admin.linkRow(baker.email).textContent()).toContain('Saved: linked to BAKER01.');
    const otherInput = page.getByLabel(`Sage account code for ${otherBuyer.name}`);
    expect(await otherInput.getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator(':focus').getAttribute('id')).toBe(`code-${otherBuyer.id}`); // focus goes to the row to fix
    await saveScreenshot(page, 'link-customers-saved');
    expect(sandbox.requests.writes).toBe(2); // only the rows that passed reach the store
    expect(metaText((sandbox.store.getCustomer(baker.id) as { meta_data: never[] }).meta_data, 'sage_account_code')).toBe('BAKER01');
    expect(metaText((sandbox.store.getCustomer(otherBuyer.id) as { meta_data: never[] }).meta_data, 'sage_account_code')).toBeUndefined();

    // Fixing the slip from the keyboard: Enter in the code box saves again, only the changed row.
    await otherInput.fill('ACME01');
    await otherInput.press('Enter');
    await expect.poll(() => otherRow.textContent()).toContain('Saved: linked to ACME01.');
    expect(sandbox.requests.writes).toBe(3);
    await expect.poll(() => page.locator('.link-form .form-status').textContent()).toBe('Saved 1 link.');
  });

  it('when support reprocesses the held order after linking its customer, then it is queued for Sage with the linked account', async () => {
    const admin = await signedIn(support);
    const { page } = admin;
    await admin.open('Orders');
    await admin.filterOrders({ state: 'held' });
    await admin.selectOrders([heldOrderId]);
    const result = await admin.runBulkAction('Reprocess');
    await expect.poll(() => result.textContent()).toBe('Reprocessed 1 order: 1 queued.');
    const order = await tdb.db('orders').where({ id: heldOrderId }).first();
    expect(order).toMatchObject({ state: 'queued', rule: 'PROFILE', account_code: 'HARRIS01' });
    expect(await tdb.db('export_jobs').where({ order_id: heldOrderId, kind: 'sales_order' }).pluck('state')).toEqual(['queued']);

    // The held filter no longer lists it; the order itself says where it went and why.
    await admin.filterOrders({ state: 'queued' });
    expect(await admin.orderRow(heldOrderId).textContent()).toContain('HARRIS01');
    const drawer = await admin.openOrder(heldOrderId);
    expect(await drawer.textContent()).toContain('Decision: rule PROFILE → account HARRIS01');
    await saveScreenshot(page, 'orders-reprocessed');
  });

  it('when the batches screen is opened, then the batches are listed, a file downloads as delivered, and a fetched batch can be acknowledged', async () => {
    const admin = await signedIn(support);
    const { page } = admin;
    await admin.open('Export batches');
    const table = page.getByRole('table', { name: 'Export batches, newest first' });
    const rows = table.locator('tbody tr');
    expect(await rows.count()).toBe(2);
    const [pull, folder] = [rows.nth(0), rows.nth(1)];
    expect(await folder.textContent()).toContain('In the outbox folder');
    expect(await folder.textContent()).toContain('1 customer, 2 sales orders');
    expect(await pull.textContent()).toContain('Fetched, not yet acknowledged');
    await saveScreenshot(page, 'batches');

    const [download] = await Promise.all([page.waitForEvent('download'), folder.getByRole('link', { name: /^customers\.xml/ }).click()]);
    const delivered = fs.readdirSync(outbox).filter((f) => f.endsWith('-customers.xml'));
    expect(download.suggestedFilename()).toBe(delivered[0]);
    expect(fs.readFileSync((await download.path())!, 'utf8')).toBe(fs.readFileSync(path.join(outbox, delivered[0]!), 'utf8'));

    await pull.getByRole('button', { name: /^Acknowledge batch/ }).click();
    await expect.poll(() => page.locator('.batches .form-status').textContent()).toMatch(/acknowledged: 1 document marked delivered\.$/);
    await expect.poll(() => rows.nth(0).textContent()).toContain('Fetched and acknowledged');
    expect(
      await rows
        .nth(0)
        .getByRole('button', { name: /^Acknowledge/ })
        .count(),
    ).toBe(0);
  });

  it('when the owner tries settings on the held order, then the preview shows the decision for the unsaved settings and saves nothing', async () => {
    const admin = await signedIn(owner);
    const { page } = admin;
    await admin.open('Settings');
    await page.getByLabel('Order number').fill(String(heldOrderId));
    await page.getByRole('button', { name: 'Preview' }).click();
    const result = page.locator('.preview-result');
    // The customer was linked in a scenario above: the rules find the profile code.
    await expect.poll(() => result.textContent()).toContain('Rule PROFILE → account HARRIS01');
    // It was reprocessed above: already queued, so the settings no longer change it, and the preview says so.
    expect(await result.textContent()).toContain(
      `Order ${heldOrderId} is already queued with account HARRIS01: new settings no longer change it.`,
    );

    // A guest Sage does not know: held now; with a default account it would go there.
    await page.getByLabel('Order number').fill(String(guestOrderId));
    await page.getByRole('button', { name: 'Preview' }).click();
    await expect.poll(() => result.textContent()).toContain('Rule NONE → no account: the order would be held');
    await page.getByLabel('Default account code').fill('cash01');
    await page.getByRole('button', { name: 'Preview' }).click();
    await expect.poll(() => result.textContent()).toContain('Rule DEFAULT → account CASH01');
    await page.getByText('How the rules were applied').click();
    expect(await result.getByRole('listitem').count()).toBeGreaterThan(2);
    await saveScreenshot(page, 'settings-preview', { fullPage: true });
    expect(await getSettings(tdb.db)).toMatchObject({ defaultAccountCode: '', createAccounts: false });

    // Saving CASH01, which no Sage export lists: the page asks first; "Change the code" saves nothing.
    await page.getByRole('button', { name: 'Save settings' }).click();
    const warning = await admin.answerCodeWarning('Change the code');
    expect(warning).toContain('CASH01 is not in the Sage account mirror');
    await expect.poll(() => page.locator('.settings-form .form-status').textContent()).toBe('Not saved.');
    expect(await page.locator(':focus').getAttribute('id')).toBe('setting-defaultAccountCode');
    expect((await getSettings(tdb.db)).defaultAccountCode).toBe('');
    // The owner knows it was just created in Sage: saved anyway, with the shop's time zone.
    await page.getByLabel('Shop time zone').selectOption('Europe/Dublin');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await admin.answerCodeWarning('Save anyway');
    await expect.poll(() => page.locator('.settings-form .form-status').textContent()).toMatch(/^Saved\./);
    expect(await getSettings(tdb.db)).toMatchObject({ defaultAccountCode: 'CASH01', shopTimezone: 'Europe/Dublin' });
    // A code the mirror has is saved without a question.
    await page.getByLabel('Default account code').fill('acme01');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect.poll(() => page.locator('.settings-form .form-status').textContent()).toBe('Saved. defaultAccountCode CASH01 → ACME01.');
    await updateSettings(tdb.db, { defaultAccountCode: '', shopTimezone: 'Europe/London' }, 'test');
  });

  it('when support assigns the held guest order an account on its panel, then it goes to Sage by rule MANUAL and later orders from the email are remembered', async () => {
    const admin = await signedIn(support);
    const { page } = admin;
    await admin.open('Orders');
    await admin.filterOrders({ state: 'held' });
    const drawer = await admin.openOrder(guestOrderId);
    await drawer.getByRole('button', { name: 'Assign account…' }).click();
    await drawer.getByLabel('Sage account code').fill('ACME02'); // not a Sage account: refused, nothing changes
    await drawer.getByRole('button', { name: `Assign to order ${guestOrderId}` }).click();
    await expect
      .poll(() => drawer.locator('.assign-form .field-error').textContent())
      .toContain(`Not assigned: order ${guestOrderId}: account ACME02 is not in the Sage account mirror`);
    await drawer.getByLabel('Sage account code').fill('acme01');
    await drawer.getByLabel('Reason', { exact: true }).fill('walk-in trade customer of Acme');
    await drawer.getByLabel('Also use it for later orders from walk.in@example.net').check();
    await saveScreenshot(page, 'order-assign');
    await drawer.getByRole('button', { name: `Assign to order ${guestOrderId}` }).click();
    await expect
      .poll(() => drawer.locator('.form-status').textContent())
      .toBe(`Account ACME01 assigned to order ${guestOrderId}; queued for Sage. Later orders from walk.in@example.net get it too.`);
    await expect.poll(() => drawer.textContent()).toContain('Decision: rule MANUAL → account ACME01');
    expect(await drawer.textContent()).toContain(`assigned to this order by sam`);
    expect(await tdb.db('orders').where({ id: guestOrderId }).first()).toMatchObject({
      state: 'queued',
      rule: 'MANUAL',
      account_code: 'ACME01',
    });

    // The next delivery writes it to the outbox, for the account the person chose.
    const report = await deliverToFolder(tdb.db, { outboxDir: outbox, clock: systemClock });
    const file = report.batches.flatMap((b) => b.files).find((f) => f.endsWith('-sales-orders.xml'));
    const xml = fs.readFileSync(path.join(outbox, path.basename(file!)), 'utf8');
    expect(xml).toContain(`<Id>${guestOrderId}</Id>`);
    expect(xml).toContain('<AccountReference>ACME01</AccountReference>');
    expect((await tdb.db('orders').where({ id: guestOrderId }).first()).state).toBe('delivered');

    // The remembered email is listed with the Sage accounts, and can be removed there.
    await page.keyboard.press('Escape');
    await admin.open('Sage accounts');
    const links = page.getByRole('table', { name: 'Billing emails and the Sage account remembered for each' });
    await expect.poll(() => links.textContent()).toContain('walk.in@example.net');
    expect(await links.textContent()).toContain('ACME01');
    await page.getByRole('button', { name: 'Remove the link of walk.in@example.net to ACME01' }).click();
    await expect.poll(() => page.locator('.email-links .results-status').textContent()).toMatch(/^None yet/);
  });
});
