import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { flagOrderChange } from '../src/db/order-changes.ts';
import { fixedClock } from '../src/domain/clock.ts';
import { NOTIFY_SCHEDULE, serviceJobs } from '../src/jobs/service-jobs.ts';
import { runNotifications, type NotifyDeps } from '../src/pipeline/notify-problems.ts';
import { updateSettings } from '../src/settings/store.ts';
import { createWooClient } from '../src/woo/client.ts';
import { captureLogger } from './helpers/capture-logger.ts';
import { insertOrderRow } from './helpers/factories.ts';
import { startSmtpReceiver, startWebhookReceiver, type SmtpReceiver, type WebhookReceiver } from './helpers/notification-receivers.ts';
import { describeEachDialect } from './helpers/test-db.ts';

const LOGIN = { user: 'woo-sage', password: 'smtp-pässword-42' };
const BASE = 'https://woo-sage.example.com';

let smtp: SmtpReceiver;
let webhook: WebhookReceiver;
beforeAll(async () => {
  smtp = await startSmtpReceiver(LOGIN);
  webhook = await startWebhookReceiver();
});
afterAll(async () => {
  await smtp.close();
  await webhook.close();
});

describeEachDialect('notifications of held, failed and changed orders', (ctx) => {
  const clock = fixedClock('2026-12-03T10:00:00Z');
  const deps = (overrides: Partial<NotifyDeps> = {}): NotifyDeps => ({
    db: ctx().db,
    clock,
    logger: captureLogger().logger,
    secrets: { smtpPassword: LOGIN.password, notifyWebhookUrl: webhook.url },
    owner: 'instance-a',
    random: () => 1,
    ...overrides,
  });
  const webhookTexts = () => webhook.requests.filter((r) => !r.refused).map((r) => (r.body as { text: string }).text);

  beforeEach(async () => {
    const { db } = ctx();
    for (const table of ['notified_problems', 'notification_deliveries', 'notification_digests', 'order_changes', 'orders', 'sync_state'])
      await db(table).del();
    smtp.mails.length = 0;
    webhook.requests.length = 0;
    clock.set('2026-12-03T10:00:00Z');
    await updateSettings(
      db,
      {
        notifySmtpHost: '127.0.0.1',
        notifySmtpPort: smtp.port,
        notifySmtpSecurity: 'none',
        notifySmtpUser: LOGIN.user,
        notifyEmailFrom: 'woo-sage@shop.example.com',
        notifyEmailTo: ['support@shop.example.com', 'owner@shop.example.com'],
        notifyEveryMinutes: 30,
        notifyLinkBaseUrl: BASE,
      },
      'test',
    );
  });

  it('when orders are held, failed or changed after export, then one digest by email and webhook lists each with its problem and link, and the next round sends nothing again', async () => {
    const { db } = ctx();
    await insertOrderRow(db, { id: 5001, state: 'held', last_error: 'The billing email matches 2 Sage accounts (SMITH01, SMITH02).' });
    await insertOrderRow(db, { id: 5002, state: 'failed', last_error: 'Sage rejected the document: account ACME01 is on hold' });
    await insertOrderRow(db, { id: 5003, state: 'delivered' });
    await flagOrderChange(db, {
      orderId: 5003,
      at: clock.now(),
      summary: 'status processing → cancelled',
      action: 'cancel sales order 5003 (account JONES01) in Sage',
    });
    await insertOrderRow(db, { id: 5004, state: 'waiting' });

    const report = await runNotifications(deps());
    expect(report).toMatchObject({ digest: { problems: 3 }, failed: [] });
    expect(report.sent.map((s) => s.channel).sort()).toEqual(['email', 'webhook']);

    expect(smtp.mails).toHaveLength(1);
    const mail = smtp.mails[0]!;
    expect(mail).toMatchObject({
      from: 'woo-sage@shop.example.com',
      to: ['support@shop.example.com', 'owner@shop.example.com'],
      user: LOGIN.user,
      subject: 'woo-sage: 3 orders need attention (1 held, 1 failed, 1 changed after export)',
    });
    expect(mail.text).toContain('- Order 5001: The billing email matches 2 Sage accounts (SMITH01, SMITH02).\n');
    expect(mail.text).toContain(`  ${BASE}/#/orders?search=5001&order=5001\n`);
    expect(mail.text).toContain('- Order 5002: Sage rejected the document: account ACME01 is on hold\n');
    expect(mail.text).toContain(
      '- Order 5003: status processing → cancelled. To do in Sage: cancel sales order 5003 (account JONES01) in Sage\n',
    );
    expect(mail.text).not.toContain('5004');

    expect(webhook.requests).toHaveLength(1);
    expect(webhook.requests[0]!.contentType).toBe('application/json');
    expect(Object.keys(webhook.requests[0]!.body as object)).toEqual(['text']);
    expect(webhookTexts()[0]).toContain(
      `• <${BASE}/#/orders?search=5002&order=5002|Order 5002>: Sage rejected the document: account ACME01 is on hold`,
    );

    clock.advance(60 * 60_000);
    expect(await runNotifications(deps())).toEqual({ sent: [], failed: [] });
    expect(smtp.mails).toHaveLength(1);
    expect(webhook.requests).toHaveLength(1);
  });

  it('when a new problem comes before notifyEveryMinutes have passed, then it waits for the next digest, which tells only it', async () => {
    const { db } = ctx();
    await insertOrderRow(db, { id: 5101, state: 'held', last_error: 'no account' });
    await runNotifications(deps());
    await insertOrderRow(db, { id: 5102, state: 'failed', last_error: 'disk full after 10 attempts' });

    clock.advance(29 * 60_000);
    await runNotifications(deps());
    expect(smtp.mails).toHaveLength(1);

    clock.advance(60_000);
    const report = await runNotifications(deps());
    expect(report.digest?.problems).toBe(1);
    expect(smtp.mails).toHaveLength(2);
    expect(smtp.mails[1]!.subject).toBe('woo-sage: 1 order needs attention (1 failed)');
    expect(smtp.mails[1]!.text).not.toContain('5101');
  });

  it('when the mail server refuses, then the email is tried again after its backoff (not before) with the same digest, and the webhook is not sent twice', async () => {
    const { db } = ctx();
    await insertOrderRow(db, { id: 5201, state: 'held', last_error: 'no account' });
    smtp.refuseNext(1);
    const { lines, logger } = captureLogger();
    const first = await runNotifications(deps({ logger }));
    expect(first.sent).toEqual([{ digestId: first.digest!.id, channel: 'webhook' }]);
    expect(first.failed).toEqual([
      { digestId: first.digest!.id, channel: 'email', error: expect.stringContaining('451'), retryAt: '2026-12-03T10:01:00.000Z' },
    ]);
    expect(lines.join('')).toContain('notification not sent; trying again later');
    expect(lines.join('')).not.toContain(LOGIN.password);

    clock.advance(30_000);
    await runNotifications(deps());
    expect(smtp.mails).toHaveLength(0);

    clock.advance(30_000);
    const retry = await runNotifications(deps());
    expect(retry.sent).toEqual([{ digestId: first.digest!.id, channel: 'email' }]);
    expect(smtp.mails).toHaveLength(1);
    expect(smtp.mails[0]!.text).toContain('- Order 5201: no account');
    expect(webhook.requests).toHaveLength(1);
  });

  it('when a channel keeps failing, then it is given up after its last attempt with an error in the log, and later digests still go', async () => {
    const { db } = ctx();
    await insertOrderRow(db, { id: 5301, state: 'held', last_error: 'no account' });
    webhook.failNext(500, 3);
    const { lines, logger } = captureLogger();
    const policy = { attempts: 3, baseDelayMs: 60_000, factor: 2, maxDelayMs: 60_000, jitter: 0 };
    for (let i = 0; i < 3; i++) {
      await runNotifications(deps({ logger, retryPolicy: policy }));
      clock.advance(60_000);
    }
    expect(webhook.requests.map((r) => r.refused)).toEqual([true, true, true]);
    const delivery = await db('notification_deliveries').where({ channel: 'webhook' }).first();
    expect(delivery).toMatchObject({ state: 'failed', attempts: 3, last_error: 'webhook: the webhook answered HTTP 500: invalid_payload' });
    expect(lines.join('')).toContain('notification not sent, and given up');
    expect(lines.join('')).not.toContain('s3cr3tT0ken');

    await insertOrderRow(db, { id: 5302, state: 'held', last_error: 'no account either' });
    clock.advance(30 * 60_000);
    await runNotifications(deps({ logger, retryPolicy: policy }));
    expect(webhookTexts()).toHaveLength(1);
    expect(webhookTexts()[0]).toContain('Order 5302');
  });

  it('when a run stops before sending (a crash, the receiver down), then a restart sends the recorded digest once and tells its problems in no other', async () => {
    const { db } = ctx();
    await insertOrderRow(db, { id: 5401, state: 'held', last_error: 'no account' });
    // The digest is recorded, then the process "dies" before any channel took it: no channel at all works.
    const down = { smtpPassword: LOGIN.password, notifyWebhookUrl: 'http://127.0.0.1:9/unreachable' };
    smtp.refuseNext(1);
    await runNotifications(deps({ secrets: down }));
    expect(smtp.mails).toHaveLength(0);

    clock.advance(2 * 60_000);
    const restarted = await runNotifications(deps({ owner: 'instance-restarted' }));
    expect(restarted.digest).toBeUndefined();
    expect(restarted.sent.map((s) => s.channel).sort()).toEqual(['email', 'webhook']);
    expect(smtp.mails).toHaveLength(1);
    expect(webhookTexts()).toHaveLength(1);
    expect(await db('notification_digests').count({ n: '*' }).first()).toMatchObject({ n: 1 });
  });

  it('when two instances notify at the same moment, then exactly one digest goes out on each channel', async () => {
    const { db } = ctx();
    await insertOrderRow(db, { id: 5501, state: 'held', last_error: 'no account' });
    const reports = await Promise.all([runNotifications(deps({ owner: 'instance-a' })), runNotifications(deps({ owner: 'instance-b' }))]);
    expect(reports.filter((r) => r.digest).length).toBe(1);
    expect(smtp.mails).toHaveLength(1);
    expect(webhook.requests).toHaveLength(1);
  });

  it('when a reason carries markup and line breaks from the shop, then the webhook cannot ping anyone and the email cannot grow fake lines', async () => {
    const { db } = ctx();
    await insertOrderRow(db, { id: 5601, state: 'held', last_error: 'Buyer "<!channel> & Co"\n- Order 1: all fine' });
    await runNotifications(deps());
    expect(webhookTexts()[0]).toContain('Order 5601>: Buyer "&lt;!channel&gt; &amp; Co" - Order 1: all fine');
    expect(webhookTexts()[0]).not.toContain('<!channel>');
    expect(smtp.mails[0]!.text).toContain('- Order 5601: Buyer "<!channel> & Co" - Order 1: all fine\n');
    expect(smtp.mails[0]!.text).not.toMatch(/^- Order 1:/m);
  });

  it('when no channel is set up, then nothing is recorded, so the first digest after setting one up tells what is outstanding', async () => {
    const { db } = ctx();
    await updateSettings(db, { notifyEmailTo: [] }, 'test');
    await insertOrderRow(db, { id: 5701, state: 'held', last_error: 'no account' });
    expect(await runNotifications(deps({ secrets: {} }))).toMatchObject({ skipped: 'no-channel', sent: [] });
    expect(await db('notified_problems').count({ n: '*' }).first()).toMatchObject({ n: 0 });
    const report = await runNotifications(deps());
    expect(report.digest?.problems).toBe(1);
  });

  it('when serve runs, then its notify job checks every minute and sends the digest, separately from the sync', async () => {
    const { db } = ctx();
    await insertOrderRow(db, { id: 5801, state: 'failed', last_error: 'disk full' });
    const jobs = serviceJobs({
      db,
      // The notify job never talks to the store; the sync job (not run here) would.
      client: createWooClient({ url: 'http://127.0.0.1:9', consumerKey: 'ck_unused', consumerSecret: 'cs_unused' }),
      clock,
      logger: captureLogger().logger,
      storeId: 'test-store',
      outboxDir: '/nonexistent',
      owner: 'serve-1',
      notifySecrets: { smtpPassword: LOGIN.password, notifyWebhookUrl: webhook.url },
    });
    const notify = jobs.find((j) => j.name === 'notify')!;
    expect(await notify.schedule()).toBe(NOTIFY_SCHEDULE);
    await notify.run();
    expect(smtp.mails.map((m) => m.subject)).toEqual(['woo-sage: 1 order needs attention (1 failed)']);
    expect(webhook.requests).toHaveLength(1);
  });
});
