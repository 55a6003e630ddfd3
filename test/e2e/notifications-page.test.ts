import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { runNotifications } from '../../src/pipeline/notify-problems.ts';
import { captureLogger } from '../helpers/capture-logger.ts';
import { insertOrderRow } from '../helpers/factories.ts';
import { createTestUser, startTestApp, type TestApp } from '../helpers/http.ts';
import { startSmtpReceiver, type SmtpReceiver } from '../helpers/notification-receivers.ts';
import { describeWhenAvailable } from '../helpers/skip-with-reason.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/test-db.ts';
import { AdminPage } from './helpers/admin-page.ts';
import { chromiumAvailable, chromiumMissing, launchBrowser, type Browser, type WatchedPage } from './helpers/browser.ts';

/**
 * Notifications in real Chromium: an owner sets up email on the settings page, sends a test
 * message, and the link in a digest opens the order's panel.
 */
if (!chromiumAvailable() && process.env.WOO_SAGE_E2E === 'required')
  throw new Error('WOO_SAGE_E2E=required but /usr/bin/chromium is missing: apt-get install -y chromium');

const LOGIN = { user: 'alerts', password: 'pw-of-the-mail-server' };

describeWhenAvailable(chromiumMissing(), 'notifications on the admin page in Chromium', () => {
  let tdb: TestDatabase;
  let server: TestApp;
  let browser: Browser;
  let smtp: SmtpReceiver;
  let owner: string;
  let current: WatchedPage | undefined;

  beforeAll(async () => {
    tdb = await createTestDatabase('sqlite');
    smtp = await startSmtpReceiver(LOGIN);
    owner = await createTestUser(tdb.db, 'owner', 'olivia');
    server = await startTestApp(tdb.db, tdb.url, { env: { SMTP_PASSWORD: LOGIN.password } });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await smtp?.close();
    await tdb?.destroy();
  });
  afterEach(async () => {
    expect(current?.problems ?? []).toEqual([]);
    await current?.page.close();
    current = undefined;
  });

  it('when the owner fills in the notification settings and sends a test message, then the mail arrives and a digest link opens the held order', async () => {
    current = await browser.freshPage(server.url);
    const admin = new AdminPage(current.page, server.url);
    const { page } = admin;
    await admin.signIn(owner);
    await admin.open('Settings');
    const section = page.getByRole('group', { name: 'Notifications' });
    await section.getByLabel('Email the digests to').fill('support@shop.example.com');
    await section.getByLabel('Sender address').fill('woo-sage@shop.example.com');
    await section.getByLabel('SMTP server').fill('127.0.0.1');
    await section.getByLabel('SMTP port').fill(String(smtp.port));
    await section.getByLabel('SMTP security').selectOption('none');
    await section.getByLabel('SMTP user name').fill(LOGIN.user);
    await section.getByLabel('Address of this admin page').fill(server.url);
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect
      .poll(() =>
        page
          .getByRole('status')
          .filter({ hasText: /^Saved/ })
          .count(),
      )
      .toBe(1);

    await page.getByRole('button', { name: 'Send a test message' }).click();
    await expect.poll(() => page.getByRole('region', { name: 'Test the notifications' }).textContent()).toContain('Email: sent');
    expect(smtp.mails.map((m) => m.subject)).toEqual(['woo-sage: test message']);

    await insertOrderRow(tdb.db, { id: 7001, state: 'held', last_error: 'The billing email matches 2 Sage accounts.' });
    await runNotifications({
      db: tdb.db,
      clock: { now: () => new Date() },
      logger: captureLogger().logger,
      secrets: { smtpPassword: LOGIN.password },
      owner: 'e2e',
    });
    const link = /^ {2}(http\S+order=7001)$/m.exec(smtp.mails[1]!.text)?.[1];
    expect(link).toBe(`${server.url}/#/orders?search=7001&order=7001`);
    await page.goto(link!);
    const drawer = admin.drawer('Order 7001');
    await drawer.getByRole('heading', { name: 'Why' }).waitFor();
    expect(await drawer.textContent()).toContain('The billing email matches 2 Sage accounts.');
  });
});
