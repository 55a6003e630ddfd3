import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { updateSettings } from '../src/settings/store.ts';
import { runWooSage } from './helpers/cli.ts';
import { Client, createTestUser, startTestApp, type TestApp } from './helpers/http.ts';
import { startSmtpReceiver, startWebhookReceiver, type SmtpReceiver, type WebhookReceiver } from './helpers/notification-receivers.ts';
import { describeEachDialect } from './helpers/test-db.ts';

const LOGIN = { user: 'alerts', password: 'pw-for-the-mail-server' };

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

describeEachDialect('a test notification from the settings page and the CLI', (ctx) => {
  let server: TestApp;
  let owner: Client;
  let support: Client;
  beforeAll(async () => {
    server = await startTestApp(ctx().db, ctx().url, { env: { SMTP_PASSWORD: LOGIN.password, NOTIFY_WEBHOOK_URL: webhook.url } });
    owner = new Client(server.url);
    await owner.login(await createTestUser(ctx().db, 'owner'));
    support = new Client(server.url);
    await support.login(await createTestUser(ctx().db, 'support'));
  });
  afterAll(() => server.close());
  beforeEach(async () => {
    smtp.mails.length = 0;
    webhook.requests.length = 0;
    await updateSettings(
      ctx().db,
      {
        notifySmtpHost: '127.0.0.1',
        notifySmtpPort: smtp.port,
        notifySmtpSecurity: 'none',
        notifySmtpUser: LOGIN.user,
        notifyEmailFrom: 'woo-sage@shop.example.com',
        notifyEmailTo: ['support@shop.example.com'],
        notifyLinkBaseUrl: 'https://admin.shop.example.com/',
      },
      'test',
    );
  });

  it('when an owner asks for a test message, then every channel gets one, the answer says so per channel, and it is audited', async () => {
    const res = await owner.post('/api/notifications/test');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      results: [
        { channel: 'email', ok: true },
        { channel: 'webhook', ok: true },
      ],
    });
    expect(smtp.mails).toHaveLength(1);
    expect(smtp.mails[0]).toMatchObject({ subject: 'woo-sage: test message', to: ['support@shop.example.com'], user: LOGIN.user });
    expect(smtp.mails[0]!.text).toContain('https://admin.shop.example.com/#/orders?search=1001&order=1001');
    expect(webhook.requests).toHaveLength(1);
    expect(webhook.requests[0]!.body).toEqual({ text: expect.stringContaining('This is a test message from woo-sage') });
    const audit = await owner.get('/api/audit?action=notifications.test');
    expect(audit.body.entries).toHaveLength(1);
  });

  it('when one channel fails, then the answer names it and why, without the webhook address or the SMTP password', async () => {
    webhook.failNext(403, 1);
    const res = await owner.post('/api/notifications/test');
    expect(res.status).toBe(200);
    expect(res.body.results).toEqual([
      { channel: 'email', ok: true },
      { channel: 'webhook', ok: false, error: 'webhook: the webhook answered HTTP 403: invalid_payload' },
    ]);
    expect(JSON.stringify(res.body)).not.toContain('s3cr3tT0ken');
  });

  it('when a support user asks, then 403, and nothing is sent', async () => {
    const res = await support.post('/api/notifications/test');
    expect(res.status).toBe(403);
    expect(smtp.mails).toHaveLength(0);
  });

  it('when the CLI is asked (notify test), then it sends on every channel and prints one line each; a failing one makes it exit 1', async () => {
    const env = { DATABASE_URL: ctx().url, SMTP_PASSWORD: LOGIN.password, NOTIFY_WEBHOOK_URL: webhook.url };
    const ok = await runWooSage(['notify', 'test'], env);
    expect(ok).toMatchObject({ code: 0, stdout: 'email: test message sent\nwebhook: test message sent' });
    expect(smtp.mails).toHaveLength(1);

    const wrongPassword = await runWooSage(['notify', 'test', '--json'], { ...env, SMTP_PASSWORD: 'not-it' });
    expect(wrongPassword.code).toBe(1);
    const { results } = JSON.parse(wrongPassword.stdout) as { results: Array<{ channel: string; ok: boolean; error?: string }> };
    expect(results[0]).toMatchObject({ channel: 'email', ok: false, error: expect.stringMatching(/^email: 127\.0\.0\.1:\d+ EAUTH/) });
    expect(wrongPassword.stdout).not.toContain('not-it');
  });

  it('when nothing is set up, then the CLI says what to set (exit 2)', async () => {
    await updateSettings(ctx().db, { notifyEmailTo: [] }, 'test');
    const res = await runWooSage(['notify', 'test'], { DATABASE_URL: ctx().url });
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('no notification channel is set up: set notifyEmailTo');
  });
});
