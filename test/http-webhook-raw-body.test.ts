import { afterAll, beforeAll, expect, it } from 'vitest';
import { signWebhookBody } from '../src/woo/webhook-signature.ts';
import { Client, startTestApp, type TestApp } from './helpers/http.ts';
import { describeEachDialect } from './helpers/test-db.ts';

const SECRET = 'webhook secret for the raw-body test';
// Exactly as WooCommerce may send it: pretty-printed, with a multi-byte character and a trailing newline.
const PRETTY = '{\n    "id": 4711,\n    "status": "processing",\n    "billing": { "company": "Café &amp; Co" }\n}\n';

describeEachDialect('the webhook route verifies the raw bytes', (ctx) => {
  let server: TestApp;
  const polls: string[] = [];
  beforeAll(async () => {
    server = await startTestApp(ctx().db, ctx().url, {
      env: { WOO_WEBHOOK_SECRET: SECRET },
      triggers: { requestSync: (reason) => void polls.push(reason) },
    });
  });
  afterAll(() => server.close());

  const send = (body: string, signature: string, contentType = 'application/json') =>
    new Client(server.url).request('POST', '/webhooks/woocommerce', {
      rawBody: body,
      headers: { 'content-type': contentType, 'x-wc-webhook-signature': signature, 'x-wc-webhook-topic': 'order.updated' },
    });

  it('when a pretty-printed JSON body is signed over its exact bytes, then it is accepted and a poll is asked for', async () => {
    polls.length = 0;
    const res = await send(PRETTY, signWebhookBody(PRETTY, SECRET));
    expect(res.status).toBeGreaterThanOrEqual(200);
    expect(res.status).toBeLessThan(300);
    expect(polls).toEqual(['webhook order.updated']);
  });

  it('when the signature was made over the same JSON re-serialised (parsed, then compact), then it is refused and nothing is polled', async () => {
    polls.length = 0;
    const compact = JSON.stringify(JSON.parse(PRETTY));
    const res = await send(PRETTY, signWebhookBody(compact, SECRET));
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('WEBHOOK_SIGNATURE_INVALID');
    expect(polls).toEqual([]);
  });

  it('when the body is sent with another content type, then the same raw bytes are still what is verified', async () => {
    polls.length = 0;
    const res = await send(PRETTY, signWebhookBody(PRETTY, SECRET), 'text/plain; charset=utf-8');
    expect(res.status).toBeLessThan(300);
    expect(polls).toHaveLength(1);
  });
});
