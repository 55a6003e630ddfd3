import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox } from '../../src/sandbox/sandbox.ts';
import { getSettings } from '../../src/settings/store.ts';
import { Client, createTestUser, startTestApp, TEST_PASSWORD, type TestApp } from '../helpers/http.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/test-db.ts';
import { AdminPage } from './helpers/admin-page.ts';
import { chromiumAvailable, chromiumMissing, launchBrowser, saveScreenshot, type Browser, type WatchedPage } from './helpers/browser.ts';
import { seedDemoData, type SeededOrders } from './helpers/seed.ts';
import { describeWhenAvailable } from '../helpers/skip-with-reason.ts';

/**
 * The admin page in real headless Chromium against the app running in this process. SQLite only:
 * the page adds no SQL of its own, and the API tests run every query on MariaDB as well.
 * Without /usr/bin/chromium the suite is skipped, unless WOO_SAGE_E2E=required (as in .ci/run).
 */
const required = process.env.WOO_SAGE_E2E === 'required';
if (!chromiumAvailable() && required)
  throw new Error('WOO_SAGE_E2E=required but /usr/bin/chromium is missing: apt-get install -y chromium');

describeWhenAvailable(chromiumMissing(), 'admin page in Chromium', () => {
  let tdb: TestDatabase;
  let server: TestApp;
  let browser: Browser;
  let seeded: SeededOrders;
  let owner: string;
  let support: string;
  let current: WatchedPage | undefined;

  beforeAll(async () => {
    tdb = await createTestDatabase('sqlite');
    seeded = await seedDemoData(tdb.db, new Date());
    owner = await createTestUser(tdb.db, 'owner', 'olivia');
    support = await createTestUser(tdb.db, 'support', 'sam');
    server = await startTestApp(tdb.db, tdb.url);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await tdb?.destroy();
  });

  async function signedIn(username: string, app: TestApp = server): Promise<AdminPage> {
    current = await browser.freshPage(app.url);
    const admin = new AdminPage(current.page, app.url);
    await admin.signIn(username);
    return admin;
  }

  afterEach(async () => {
    // No console error, uncaught exception, CSP violation or request to another origin in any scenario.
    expect(current?.problems ?? []).toEqual([]);
    await current?.page.close();
    current = undefined;
  });

  it('when the owner signs in, then the dashboard shows what needs attention, the queue, the last poll and the history chart', async () => {
    const admin = await signedIn(owner);
    const { page } = admin;
    await expect.poll(() => page.title()).toBe('Dashboard · woo-sage');
    const attention = page.getByRole('region', { name: 'Needs attention' });
    expect(await attention.getByRole('link', { name: 'Held: 3' }).count()).toBe(1);
    expect(await attention.getByRole('link', { name: 'Failed: 1' }).count()).toBe(1);
    expect(await attention.getByRole('link', { name: 'Changed after export: 1' }).count()).toBe(1);
    expect(await page.getByRole('region', { name: 'Last poll' }).textContent()).toContain('3 minutes ago');
    expect(await page.getByRole('region', { name: 'Export queue' }).textContent()).toMatch(/\d+ waiting/);
    const chart = page.getByRole('img', { name: /Orders entering each state per day/ });
    expect(await chart.count()).toBe(1);
    await saveScreenshot(page, 'dashboard');
    if (process.env.UPDATE_DOCS_SCREENSHOTS) {
      fs.mkdirSync(path.resolve('docs', 'screenshots'), { recursive: true });
      await page.screenshot({ path: path.resolve('docs', 'screenshots', 'dashboard.png') });
    }
    await page.getByText('Show the numbers as a table').click();
    const table = page.getByRole('table', { name: /Orders entering each state per day/ });
    expect(await table.getByRole('row').count()).toBe(1 + 14 + 1); // header, 14 days, total
    await page.getByText('Show the numbers as a table').click();
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
  });

  it('when the owner changes a setting, then it is saved, explained and listed in the recent changes; bad values are shown at their field', async () => {
    const admin = await signedIn(owner);
    const { page } = admin;
    await admin.open('Settings');
    for (const rule of ['1. PROFILE', '2. EXISTING', '3. NEW', '4. DEFAULT', '5. NONE'])
      expect(await page.getByRole('heading', { level: 3, name: new RegExp(`^${rule.replace('.', '\\.')}`) }).count()).toBe(1);
    expect(await page.getByRole('region', { name: 'Recent changes' }).textContent()).toContain('No setting has been changed yet.');
    expect(await page.getByRole('heading', { name: /what would happen to an order/ }).count()).toBe(1);

    // Turning account creation off and setting a default changes the explained outcome at once.
    await page.getByLabel('Create a new Sage account when nothing matched').uncheck();
    await page.getByLabel('Default account code').fill('cash01');
    expect(await page.locator('.outcome').textContent()).toContain('from a guest, it goes to the default account CASH01');
    await page.getByLabel('Settle period in minutes').fill('30');
    await page.getByRole('button', { name: 'Save settings' }).click();
    // No Sage export has been imported here: the page checks before saving a code Sage may not have.
    expect(await admin.answerCodeWarning('Save anyway')).toContain('CASH01 is not in the Sage account mirror');
    const status = page.getByRole('status').filter({ hasText: 'Saved.' });
    await status.waitFor();
    expect(await status.textContent()).toContain('settleMinutes 60 → 30');
    const recent = page.getByRole('region', { name: 'Recent changes' }).getByRole('table');
    await recent.waitFor();
    const rows = await recent.getByRole('row').allTextContents();
    expect(rows.some((r) => r.includes('olivia') && r.includes('settleMinutes 60 → 30'))).toBe(true);
    expect(rows.some((r) => r.includes('defaultAccountCode (none) → CASH01'))).toBe(true);
    expect(await page.getByLabel('Default account code').inputValue()).toBe('CASH01');
    const stored = await getSettings(tdb.db);
    expect(stored).toMatchObject({ settleMinutes: 30, defaultAccountCode: 'CASH01', createAccounts: false });
    await saveScreenshot(page, 'settings', { fullPage: true });

    // Invalid JSON is caught in the page; a value the server refuses is shown next to its field.
    await page.getByLabel('Tax codes (JSON)').fill('{ "untaxed": ');
    await page.getByLabel('Poll schedule').fill('whenever');
    await page.getByRole('button', { name: 'Save settings' }).click();
    const taxCodes = page.getByLabel('Tax codes (JSON)');
    await expect.poll(() => taxCodes.getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#setting-taxCodes-error').textContent()).toContain('not valid JSON');
    await page.getByLabel('Tax codes (JSON)').fill(JSON.stringify(stored.taxCodes));
    await page.getByRole('button', { name: 'Save settings' }).click();
    const summary = page.getByRole('alert').filter({ hasText: 'needs fixing' });
    await summary.waitFor();
    expect(await summary.textContent()).toContain('Poll schedule');
    expect(await page.locator('#setting-pollSchedule-error').textContent()).toContain('cron expression');
    expect(await page.getByLabel('Poll schedule').getAttribute('aria-invalid')).toBe('true');
    expect((await getSettings(tdb.db)).pollSchedule).toBe('*/5 * * * *');
  });

  it('when the owner tests the connection, then what woo-sage check finds is listed, problems first, each with its fix', async () => {
    const sandbox = await startSandbox({ orders: 4, site: { permalinks: 'plain' } });
    const app = await startTestApp(tdb.db, tdb.url, {
      env: { WOO_URL: sandbox.url, WOO_CONSUMER_KEY: sandbox.consumerKey, WOO_CONSUMER_SECRET: sandbox.consumerSecret },
    });
    try {
      const admin = await signedIn(owner, app);
      const { page } = admin;
      await admin.open('Settings');
      const panel = page.getByRole('region', { name: 'Store connection' });
      await panel.getByRole('button', { name: 'Test connection' }).click();
      await panel.getByRole('status').filter({ hasText: 'cannot work with this configuration' }).waitFor();
      const findings = await panel.getByRole('listitem').allTextContents();
      expect(findings[0]).toMatch(/^Blocking WordPress's REST API is not at .*\/wp-json\/ but answers at .*\?rest_route=\//);
      expect(findings[0]).toContain('Fix: in WordPress, Settings → Permalinks');
      expect(findings.at(-1)).toMatch(/^OK /);
      expect(await panel.textContent()).not.toContain(sandbox.consumerSecret);
    } finally {
      await app.close();
      await sandbox.close();
    }
  });

  it('when a held order is looked up, then its drawer says why; Tab stays inside, Esc closes it and focus returns', async () => {
    const admin = await signedIn(support);
    const { page } = admin;
    await page.getByRole('region', { name: 'Needs attention' }).getByRole('link', { name: 'Held: 3' }).click();
    await admin.heading('Orders').waitFor();
    expect(page.url()).toContain('#/orders?state=held');
    expect(await page.getByLabel('State', { exact: true }).inputValue()).toBe('held');
    await expect.poll(() => page.getByRole('status').filter({ hasText: '3 orders match' }).count()).toBe(1);
    expect(await admin.orderRow(seeded.heldOrderId).textContent()).toContain('matches 2 Sage accounts');

    const drawer = await admin.openOrder(seeded.heldOrderId);
    const text = (await drawer.textContent()) ?? '';
    expect(text).toContain(seeded.heldReason);
    expect(text).toContain('Decision: rule NONE → no account');
    expect(await drawer.getByRole('listitem').filter({ hasText: 'EXISTING: ambiguous' }).count()).toBe(1);
    expect(await drawer.getByRole('table', { name: 'State changes, oldest first' }).getByRole('row').count()).toBe(3);
    expect(text).toContain('No documents queued for this order.');
    await saveScreenshot(page, 'orders-drawer');

    for (let i = 0; i < 6; i++) await page.keyboard.press('Tab');
    expect(await drawer.locator(':focus').count()).toBe(1);
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'detached' });
    expect(await page.locator(':focus').textContent()).toBe(`Show order #${seeded.heldOrderId}`);

    // The bulk bar acts on the selection: the download, and whatever routes the server offers.
    await admin.selectOrders(seeded.heldOrderIds.slice(0, 2));
    expect(await admin.bulkBar().textContent()).toContain('2 orders selected');
    const [download] = await Promise.all([page.waitForEvent('download'), admin.runBulkAction('Download as CSV')]);
    const csv = fs
      .readFileSync((await download.path())!, 'utf8')
      .trim()
      .split('\r\n');
    expect(csv[0]).toMatch(/^order,number,state,/);
    expect(
      csv
        .slice(1)
        .map((line) => line.split(',')[0])
        .sort(),
    ).toEqual(seeded.heldOrderIds.slice(0, 2).map(String).sort());

    // Reprocess is offered once its route exists: each order is processed again and the bar says what became of it.
    const result = await admin.runBulkAction('Reprocess');
    await expect.poll(() => result.textContent()).toMatch(/^Reprocessed 2 orders: 2 held\. Order \d+: /);
    expect(await tdb.db('order_events').whereIn('order_id', seeded.heldOrderIds.slice(0, 2)).where({ to_state: 'waiting' })).toHaveLength(
      2,
    );
  });

  it('when an order changed after export is dealt with in Sage, or a waiting order is cancelled, then the panel does it and shows the new state', async () => {
    const admin = await signedIn(support);
    const { page } = admin;
    await admin.open('Orders');
    await admin.filterOrders({ state: '', search: '4311' });
    let drawer = await admin.openOrder(4311);
    expect(await drawer.getByRole('button', { name: 'Cancel order…' }).count()).toBe(0); // Sage has it: cancel there
    await drawer.getByRole('button', { name: 'Mark changes as dealt with…' }).click();
    await drawer.getByLabel('What was done in Sage').fill('credit note CN104 raised');
    await drawer.getByRole('button', { name: 'Mark as dealt with' }).click();
    await expect.poll(() => drawer.getByRole('status').first().textContent()).toBe('1 change of order 4311 marked as dealt with.');
    await expect.poll(() => drawer.textContent()).not.toContain('Changed after export:');
    expect(await drawer.textContent()).toContain('credit note CN104 raised');
    expect(await tdb.db('orders').where({ id: 4311 }).first()).toMatchObject({ changed_after_export: 0 });
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'detached' });

    await admin.filterOrders({ search: '4320' });
    drawer = await admin.openOrder(4320);
    // A waiting order says why it has not gone to Sage (status, settle time, profile, or due).
    expect(await drawer.textContent()).toMatch(/Waiting: (status "|settling until|the profile of customer|due: the next sync)/);
    expect(await admin.orderRow(4320).textContent()).toMatch(/status "|settling until|the profile of customer|due: the next sync/);
    await drawer.getByRole('button', { name: 'Cancel order…' }).click();
    expect(await page.locator(':focus').getAttribute('name')).toBe('text'); // the reason box takes focus
    await drawer.getByRole('button', { name: 'Keep the order' }).click();
    expect(await tdb.db('orders').where({ id: 4320 }).first()).toMatchObject({ state: 'waiting' });
    await drawer.getByRole('button', { name: 'Cancel order…' }).click();
    await drawer.getByLabel('Why cancel it').fill('duplicate order, customer called');
    await drawer.getByRole('button', { name: 'Cancel order 4320' }).click();
    await expect
      .poll(() => drawer.getByRole('status').first().textContent())
      .toMatch(/^Order 4320 cancelled; \d+ documents? taken out of the queue\.$/);
    await expect.poll(() => drawer.textContent()).toContain('cancelled by sam: duplicate order, customer called');
    expect(await drawer.getByRole('button', { name: 'Cancel order…' }).count()).toBe(0);
    expect(await tdb.db('orders').where({ id: 4320 }).first()).toMatchObject({ state: 'cancelled' });
    expect(await admin.orderRow(4320).textContent()).toContain('cancelled'); // the table behind was reloaded
    await saveScreenshot(page, 'orders-drawer-actions');
  });

  it('when there are more orders than fit a page, then Older and Newer page through them', async () => {
    const total = Number((await tdb.db('orders').count({ n: '*' }).first())!.n);
    expect(total).toBeGreaterThan(50);
    const admin = await signedIn(support);
    const { page } = admin;
    await admin.open('Orders');
    const status = page.getByRole('status').filter({ hasText: 'match' });
    await expect.poll(() => status.textContent()).toBe(`${total} orders match. Showing 1–50, newest first.`);
    expect(await page.getByRole('button', { name: '← Newer' }).isDisabled()).toBe(true);
    await page.getByRole('button', { name: 'Older →' }).click();
    await expect.poll(() => status.textContent()).toBe(`${total} orders match. Showing 51–${total}, newest first.`);
    expect(await page.getByRole('button', { name: 'Older →' }).isDisabled()).toBe(true);
    expect(await page.locator(':focus').textContent()).toBe('← Newer');
    await page.keyboard.press('Enter');
    await expect.poll(() => status.textContent()).toContain('Showing 1–50');
  });

  it('when a support user signs in, then no settings or users can be edited, and the API refuses their change with 403', async () => {
    const admin = await signedIn(support);
    const { page } = admin;
    expect(await admin.nav().getByRole('link').allTextContents()).toEqual([
      'Dashboard',
      'Orders',
      'Link customers',
      'Sage accounts',
      'Export batches',
      'Books',
      'Settings',
    ]);
    await admin.open('Settings');
    expect(await page.getByText('Only an owner can change settings.').count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Save settings' }).count()).toBe(0);
    expect(await page.getByRole('textbox').count()).toBe(0);
    expect(await page.getByRole('checkbox').count()).toBe(0);
    await saveScreenshot(page, 'settings-support', { fullPage: true });
    const before = await getSettings(tdb.db);
    const refused = await admin.callApi('PUT', '/api/settings', { settleMinutes: 5 });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('FORBIDDEN');
    expect(await getSettings(tdb.db)).toEqual(before);
    expect((await admin.callApi('GET', '/api/users')).status).toBe(403);
    await page.goto(`${server.url}/#/users`);
    await admin.heading('Dashboard').waitFor();
  });

  it('when the owner adds a user and then disables them, then the table shows it and that user can no longer sign in', async () => {
    const admin = await signedIn(owner);
    const { page } = admin;
    await admin.open('Users');
    await page.getByLabel('Username').fill('Casey');
    await page.getByLabel('Role').selectOption('support');
    await page.getByLabel('Password').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Add user' }).click();
    await page.getByRole('status').filter({ hasText: 'Added casey (support).' }).waitFor();
    const row = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'casey' }) });
    await expect.poll(() => row.textContent()).toContain('Active');
    expect((await new Client(server.url).login('casey')).status).toBe(200);
    await row.getByRole('button', { name: 'Disable casey' }).click();
    await page.getByRole('status').filter({ hasText: 'casey disabled' }).waitFor();
    await expect.poll(() => row.textContent()).toContain('Disabled');
    expect((await new Client(server.url).login('casey')).status).toBe(401);
    await saveScreenshot(page, 'users');
  });

  it('when the user signs out, then the sign-in screen returns and the old session is refused', async () => {
    const admin = await signedIn(owner);
    await admin.signOut();
    expect(await admin.page.getByRole('status').filter({ hasText: 'You have signed out.' }).count()).toBe(1);
    expect((await admin.callApi('GET', '/api/me')).status).toBe(401);
    await admin.page.reload();
    await admin.page.getByRole('heading', { name: 'Sign in to woo-sage' }).waitFor();
  });
});
