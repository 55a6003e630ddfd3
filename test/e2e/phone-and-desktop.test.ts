import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { updateSettings } from '../../src/settings/store.ts';
import { insertOrderRow } from '../helpers/factories.ts';
import { createTestUser, startTestApp, type TestApp } from '../helpers/http.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/test-db.ts';
import { AdminPage, type ScreenName } from './helpers/admin-page.ts';
import { chromiumAvailable, launchBrowser, saveScreenshot, type Browser, type WatchedPage } from './helpers/browser.ts';
import { seedDemoData, type SeededOrders } from './helpers/seed.ts';

/**
 * The main support task — find a held order, read why, act on it — on a phone (390 px wide) and on
 * a desktop (1280 px), in real Chromium. SQLite only, as the other page tests: the page adds no SQL.
 */
const required = process.env.WOO_SAGE_E2E === 'required';
if (!chromiumAvailable() && required)
  throw new Error('WOO_SAGE_E2E=required but /usr/bin/chromium is missing: apt-get install -y chromium');

const SCREENS: ScreenName[] = ['Dashboard', 'Orders', 'Link customers', 'Sage accounts', 'Export batches', 'Books', 'Settings', 'Users'];
/** A summer time: the shop (Europe/London) reads it an hour later than UTC. */
const SUMMER_CHANGE = '2026-07-01T09:00:00.000Z';
const CANCELLED_ORDER = 4401;

describe.skipIf(!chromiumAvailable()).each([
  { width: 390, height: 844, phone: true },
  { width: 1280, height: 800, phone: false },
])('the admin page at $width px', ({ width, height, phone }) => {
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
    // Cancelled in WooCommerce before export: it waits for a status that will never come.
    await insertOrderRow(tdb.db, {
      id: CANCELLED_ORDER,
      state: 'waiting',
      status: 'cancelled',
      billing_name: 'Mia Taylor',
      billing_email: 'mia.taylor@example.com',
      total_minor: 4599,
      state_changed_at: SUMMER_CHANGE,
    });
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

  async function signedIn(username: string): Promise<AdminPage> {
    current = await browser.freshPage(server.url);
    await current.page.setViewportSize({ width, height });
    const admin = new AdminPage(current.page, server.url);
    await admin.signIn(username);
    return admin;
  }

  afterEach(async () => {
    expect(current?.problems ?? []).toEqual([]);
    await current?.page.close();
    current = undefined;
  });

  /** Nothing on the page is wider than the screen: no sideways scrolling of the whole page. */
  const pageWidth = (admin: AdminPage) => admin.page.locator('html').evaluate((html) => html.scrollWidth);

  it('when support finds a held order, reads why and reprocesses it, then everything is on screen and reachable', async () => {
    const admin = await signedIn(support);
    const { page } = admin;
    if (phone) {
      expect(await admin.nav().isVisible()).toBe(false);
      await admin.menuButton().click();
      expect(await admin.menuButton().getAttribute('aria-expanded')).toBe('true');
      await saveScreenshot(page, `menu-${width}`);
      await page.keyboard.press('Escape');
      expect(await admin.menuButton().getAttribute('aria-expanded')).toBe('false');
      expect(await page.locator(':focus').textContent()).toBe('Menu');
    } else {
      expect(await admin.menuButton().isVisible()).toBe(false);
      expect(await page.getByRole('button', { name: 'Sign out' }).isVisible()).toBe(true);
    }

    await admin.open('Orders');
    expect(await admin.nav().isVisible()).toBe(!phone); // choosing a screen folds the menu away
    await admin.filterOrders({ state: 'held' });
    const row = admin.orderRow(seeded.heldOrderId);
    expect(await row.textContent()).toContain('orders@acme-gardens.co.uk');
    expect(await row.textContent()).toContain('£12.00');
    expect(await pageWidth(admin)).toBeLessThanOrEqual(width);
    const box = (await row.boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(width);
    await saveScreenshot(page, `orders-held-${width}`);
    if (process.env.UPDATE_DOCS_SCREENSHOTS) {
      fs.mkdirSync(path.resolve('docs', 'screenshots'), { recursive: true });
      await page.screenshot({ path: path.resolve('docs', 'screenshots', `orders-${width}.png`) });
    }

    const drawer = await admin.openOrder(seeded.heldOrderId);
    expect(await drawer.textContent()).toContain(seeded.heldReason);
    const panel = (await drawer.boundingBox())!;
    if (phone) expect(panel).toMatchObject({ x: 0, width });
    else expect(panel.width).toBeLessThan(width / 2);
    expect(await drawer.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
    await saveScreenshot(page, `order-panel-${width}`);
    const reprocess = drawer.getByRole('button', { name: 'Reprocess', exact: true });
    await reprocess.scrollIntoViewIfNeeded();
    await reprocess.click();
    await expect.poll(() => drawer.locator('.drawer-actions [role=status]').first().textContent()).toMatch(/^Reprocessed 1 order/);
    await drawer.getByRole('button', { name: `Close order ${seeded.heldOrderId}` }).click();

    await admin.signOut();
  });

  it('when a cancelled order waits, then the list says it is not exported, names the buyer, and times read in the shop’s zone', async () => {
    const admin = await signedIn(support);
    await admin.open('Orders');
    await admin.filterOrders({ search: 'mia.taylor' });
    const row = admin.orderRow(CANCELLED_ORDER);
    const text = (await row.textContent()) ?? '';
    expect(text).toContain('not exported');
    expect(text).not.toMatch(/\bwaiting\b/);
    expect(text).toContain('Mia Taylor');
    expect(text).toContain('£45.99');
    expect(text).toContain('status "cancelled" is not exported');
    // Browser in UTC, shop in Europe/London (the default): 09:00 UTC in July is 10:00 BST.
    expect(text).toContain('1 Jul 2026, 10:00 BST');
    const drawer = await admin.openOrder(CANCELLED_ORDER);
    expect(await drawer.textContent()).toContain('Not exported: status "cancelled" is not exported');
  });

  it('when the owner goes through every screen, then none is wider than the screen', async () => {
    await updateSettings(tdb.db, { shopTimezone: 'Europe/London' }, 'test');
    const admin = await signedIn(owner);
    for (const screen of SCREENS) {
      await admin.open(screen);
      expect(await pageWidth(admin), screen).toBeLessThanOrEqual(width);
    }
    await saveScreenshot(admin.page, `settings-${width}`);
  });
});
