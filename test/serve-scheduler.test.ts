import { afterEach, expect, it } from 'vitest';
import { loadConfig } from '../config/env.ts';
import { startService, type RunningService } from '../src/main.ts';
import { startSandbox, type Sandbox } from '../src/sandbox/sandbox.ts';
import { updateSettings } from '../src/settings/store.ts';
import { deliverWebhookPing } from '../src/sandbox/webhook-ping.ts';
import { signWebhookBody } from '../src/woo/webhook-signature.ts';
import { captureLogger } from './helpers/capture-logger.ts';
import { Client, createTestUser, TEST_SCRYPT } from './helpers/http.ts';
import { describeEachDialect } from './helpers/test-db.ts';

const WEBHOOK_SECRET = 'whsec-serve-test';

async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describeEachDialect('serve with a store', (ctx) => {
  let sandbox: Sandbox | undefined;
  let service: RunningService | undefined;
  afterEach(async () => {
    await service?.stop('test over');
    await sandbox?.close();
    service = undefined;
    sandbox = undefined;
  });

  async function start(options: { syncOnStart?: boolean; reconcileEveryMs?: number } = {}) {
    sandbox = await startSandbox({ orders: 40, startAt: '2026-01-05T09:00:00Z', secondsPerOrder: 60 });
    const { db, url } = ctx();
    await db('orders').delete();
    await db('sync_state').delete();
    await updateSettings(db, { settleMinutes: 0, pollSchedule: '0 0 1 1 *' }, 'test');
    const outbox = `${process.env.TMPDIR ?? '/tmp'}/woo-sage-serve-${Date.now()}-${Math.random().toString(16).slice(2)}`;
    const config = loadConfig({ DATABASE_URL: url, OUTBOX_DIR: outbox, WOO_WEBHOOK_SECRET: WEBHOOK_SECRET });
    const log = captureLogger('debug');
    service = await startService(config, {
      logger: log.logger,
      port: 0,
      host: '127.0.0.1',
      app: { auth: { scrypt: TEST_SCRYPT } },
      store: { url: sandbox.url, consumerKey: sandbox.consumerKey, consumerSecret: sandbox.consumerSecret },
      since: new Date('2026-01-01T00:00:00Z'),
      ...options,
    });
    return { db, log, service };
  }

  it('when serve starts with a store, then it syncs at once: orders are allocated, queued and delivered', async () => {
    const { db } = await start();
    const delivered = await waitFor('delivered orders', async () => {
      const row = await db('orders').where({ state: 'delivered' }).count({ n: '*' }).first();
      return Number(row?.n) > 0 && Number(row?.n);
    });
    expect(delivered).toBeGreaterThan(0);
    expect(Number((await db('orders').count({ n: '*' }).first())?.n)).toBe(40);
  });

  it('when a signed webhook arrives, then the store is polled now; a bad signature is refused', async () => {
    const { log, service } = await start({ syncOnStart: false });
    const body = JSON.stringify({ id: 1001, status: 'processing' });
    const before = sandbox!.requests.total;
    const refused = await fetch(`${service.url}/webhooks/woocommerce`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-wc-webhook-signature': signWebhookBody(body, 'wrong secret') },
      body,
    });
    expect(refused.status).toBe(401);
    expect(sandbox!.requests.total).toBe(before);
    const accepted = await fetch(`${service.url}/webhooks/woocommerce`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-wc-webhook-signature': signWebhookBody(body, WEBHOOK_SECRET),
        'x-wc-webhook-topic': 'order.updated',
      },
      body,
    });
    expect(accepted.status).toBe(202);
    await waitFor('a poll of the store', async () => sandbox!.requests.orders > 0);
    await waitFor('the webhook log line', async () => log.lines.some((l) => l.includes('webhook received')));
  });

  it('when WooCommerce pings on saving a webhook (unsigned webhook_id=N, form-encoded), then it gets 200 and nothing is polled; an unsigned or badly signed delivery is still 401', async () => {
    const { log, service } = await start({ syncOnStart: false });
    const url = `${service.url}/webhooks/woocommerce`;
    const before = sandbox!.requests.total;
    expect(await deliverWebhookPing(url, 42)).toEqual({ ok: true, status: 200 });
    const answer = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'webhook_id=42',
    });
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ ping: true, webhookId: 42 });
    await waitFor('the ping log line', async () => log.lines.some((l) => l.includes('webhook ping from WooCommerce')));

    const refused: Array<Record<string, string>> = [
      // The ping's body with a signature is a delivery: the signature must be good.
      { 'content-type': 'application/x-www-form-urlencoded', 'x-wc-webhook-signature': signWebhookBody('webhook_id=42', 'wrong secret') },
      // An order payload without a signature is not a ping.
      { 'content-type': 'application/json' },
    ];
    for (const headers of refused) {
      const body = headers['content-type'] === 'application/json' ? JSON.stringify({ id: 1001 }) : 'webhook_id=42';
      const res = await fetch(url, { method: 'POST', headers, body });
      expect(res.status, JSON.stringify(headers)).toBe(401);
    }
    await new Promise((r) => setTimeout(r, 300));
    expect(sandbox!.requests.total).toBe(before);
    expect(log.lines.some((l) => l.includes('webhook received'))).toBe(false);
  });

  it('when the poll schedule changes in settings, then the scheduler picks it up without a restart', async () => {
    const { db, log } = await start({ syncOnStart: false, reconcileEveryMs: 100 });
    await updateSettings(db, { pollSchedule: '*/7 * * * *' }, 'owner');
    await waitFor('the new schedule', async () => log.lines.some((l) => l.includes('"expression":"*/7 * * * *"')));
  });

  it('when a signed-in user scrapes the metrics, then they show orders by state and the last poll', async () => {
    const { db, service } = await start();
    await waitFor('a successful poll', async () => (await db('sync_state').where({ name: 'poll.last_success' }).first()) !== undefined);
    const client = new Client(service.url);
    expect((await client.get('/metrics')).status).toBe(401);
    await client.login(await createTestUser(db, 'support'));
    const metrics = await client.get('/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.text).toMatch(/woo_sage_orders\{state="(waiting|queued|delivered)"\} [1-9]/);
    expect(metrics.text).toMatch(/woo_sage_last_successful_poll_timestamp_seconds 1\d{9}/);
    expect(metrics.text).toContain('woo_sage_export_queue_depth');
  });
});
