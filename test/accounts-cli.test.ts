import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { listAudit } from '../src/db/audit-log.ts';
import { runWooSage } from './helpers/cli.ts';
import { insertWooCustomer } from './helpers/allocation-rows.ts';
import { describeEachDialect } from './helpers/test-db.ts';

const fixture = (name: string) => path.join(import.meta.dirname, 'fixtures/sage', name);

/** A stand-in WooCommerce store that records what it is asked to change. */
interface Recorded {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
}
const requests: Recorded[] = [];
let store: http.Server;
let storeUrl = '';

beforeAll(async () => {
  store = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://store');
      requests.push({ method: req.method ?? '', path: url.pathname, query: url.searchParams, body: body ? JSON.parse(body) : null });
      const id = Number(/customers\/(\d+)/.exec(url.pathname)?.[1]);
      res.setHeader('content-type', 'application/json');
      if (id === 404) {
        res.statusCode = 404;
        return res.end(JSON.stringify({ code: 'woocommerce_rest_invalid_id', message: 'Invalid ID.', data: { status: 404 } }));
      }
      res.end(JSON.stringify({ id, meta_data: (JSON.parse(body || '{}') as { meta_data?: unknown[] }).meta_data ?? [] }));
    });
  });
  await new Promise<void>((resolve) => store.listen(0, '127.0.0.1', resolve));
  storeUrl = `http://127.0.0.1:${(store.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => store.close(() => resolve())));

describeEachDialect('woo-sage accounts', (ctx) => {
  const env = () => ({ DATABASE_URL: ctx().url, WOO_URL: storeUrl, WOO_CONSUMER_KEY: 'ck_test', WOO_CONSUMER_SECRET: 'cs_secret_value' });

  it('when an export is imported from the command line, then the summary says what changed', async () => {
    const result = await runWooSage(['accounts', 'import', fixture('customers-export.xml'), '--actor', 'cli:test'], env());
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      'imported 3 customer(s) from customers-export.xml (new/modified customers): 3 new, 0 updated, 0 pending confirmed, 0 reactivated; 6 email address(es)',
    );
    const json = await runWooSage(['accounts', 'import', fixture('customers-export.xml'), '--json'], env());
    expect(JSON.parse(json.stdout)).toMatchObject({ customers: 3, created: 0, updated: 3 });
  });

  it('when the export is malformed or hostile, then the command exits 2 naming the problem', async () => {
    for (const [file, message] of [
      ['malformed.xml', 'malformed.xml: line 10, column'],
      ['billion-laughs.xml', 'DOCTYPE'],
      ['external-entity.xml', 'DOCTYPE'],
    ]) {
      const result = await runWooSage(['accounts', 'import', fixture(file!)], env());
      expect(result.code, file).toBe(2);
      expect(result.stderr).toContain(message);
      expect(result.stderr).toContain('nothing was imported');
    }
    expect((await runWooSage(['accounts', 'import', '/nonexistent.xml'], env())).stderr).toContain(
      '/nonexistent.xml: the file cannot be read',
    );
  });

  it("when a customer is linked, then the store receives the code in the customer's meta and the link is recorded", async () => {
    const { db } = ctx();
    await runWooSage(['accounts', 'import', fixture('customers-export.xml')], env());
    await insertWooCustomer(db, 26, null, { email: 'joe@zynk.com' });
    requests.length = 0;
    const result = await runWooSage(['accounts', 'link', '26', 'joe001', '--actor', 'cli:ann'], env());
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('customer 26 linked to JOE001 (Zynk Software Limited); before: none');
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({
      method: 'PUT',
      path: '/wp-json/wc/v3/customers/26',
      body: { meta_data: [{ key: 'sage_account_code', value: 'JOE001' }] },
    });
    // Over plain http the library signs with OAuth 1.0a: the secret itself never travels.
    expect(requests[0]!.query.get('oauth_consumer_key')).toBe('ck_test');
    expect(requests[0]!.query.toString()).not.toContain('cs_secret_value');
    expect((await listAudit(db, { action: 'customer.link' }))[0]).toMatchObject({ actor: 'cli:ann', after: 'JOE001' });

    const links = await runWooSage(['accounts', 'links', '--status', 'linked', '--json'], env());
    expect(JSON.parse(links.stdout)).toMatchObject({ total: 1, rows: [{ customerId: 26, profileCode: 'JOE001', status: 'linked' }] });
  });

  it('when the store refuses the link, then the command fails with the store message and no secret', async () => {
    await runWooSage(['accounts', 'import', fixture('customers-export.xml')], env());
    const result = await runWooSage(['accounts', 'link', '404', 'JOE001'], env());
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('the store rejected PUT customers/404 (HTTP 404 woocommerce_rest_invalid_id: Invalid ID.)');
    expect(result.stderr).not.toContain('cs_secret_value');
  });

  it('when the code is unknown or malformed, then it exits 2 without calling the store', async () => {
    requests.length = 0;
    const unknown = await runWooSage(['accounts', 'link', '26', 'NOPE99'], env());
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('NOPE99 is not in the Sage account mirror');
    const bad = await runWooSage(['accounts', 'link', 'abc', 'JOE001'], env());
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('CUSTOMER_ID must be a WooCommerce customer id');
    expect(requests).toEqual([]);
  });

  it('when the store is not configured, then link says which variables are missing', async () => {
    const result = await runWooSage(['accounts', 'link', '26', 'JOE001'], { DATABASE_URL: ctx().url });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('WOO_URL: required');
  });

  it('when an account is shown, then its emails and status are printed', async () => {
    await runWooSage(['accounts', 'import', fixture('customers-export.xml')], env());
    const result = await runWooSage(['accounts', 'show', 'doe001'], env());
    expect(JSON.parse(result.stdout)).toMatchObject({ code: 'DOE001', status: 'active', emails: ['john.doe@example.com'] });
    expect((await runWooSage(['accounts', 'show', 'ZZZ'], env())).code).toBe(2);
  });
});
