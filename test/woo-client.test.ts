import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../src/sandbox/sandbox.ts';
import { createWooClient } from '../src/woo/client.ts';
import { WooAuthError, WooRequestError, WooUnavailableError } from '../src/woo/errors.ts';
import { sandboxClient } from './helpers/woo.ts';

let sandbox: Sandbox;
const since = new Date('2026-01-01T00:00:00Z');
const firstPage = { modifiedAfter: since, orderby: 'modified' as const, page: 1, perPage: 100 };

beforeAll(async () => {
  sandbox = await startSandbox({ seed: 11, orders: 150, customers: 260, startAt: '2026-01-05T08:00:00Z', secondsPerOrder: 20 });
});
afterAll(async () => {
  await sandbox.close();
});

function expectNoSecrets(err: unknown) {
  const text = `${String((err as Error).message)} ${JSON.stringify((err as { details?: unknown }).details)}`;
  expect(text).not.toContain(sandbox.consumerKey);
  expect(text).not.toContain(sandbox.consumerSecret);
  expect(text).not.toContain('oauth_signature');
}

describe('WooCommerce client against the sandbox over loopback HTTP', () => {
  it('when a page of orders is fetched, then the orders, totals and the store clock come back', async () => {
    const { client } = sandboxClient(sandbox);
    const page = await client.fetchOrdersPage(firstPage);
    expect(page.items).toHaveLength(100);
    expect(page.total).toBe(150);
    expect(page.totalPages).toBe(2);
    expect(page.serverTime).toBeInstanceOf(Date);
    expect(client.requestCount).toBe(1);
  });

  it('when the store rate-limits with Retry-After, then the client waits at least that long and goes on', async () => {
    const { client, sleeps } = sandboxClient(sandbox);
    sandbox.faults.inject({ fault: { kind: 'rate-limit', retryAfterSeconds: 7 }, match: { resource: 'orders' }, times: 2 });
    const page = await client.fetchOrdersPage(firstPage);
    expect(page.items).toHaveLength(100);
    expect(sleeps).toHaveLength(2);
    expect(sleeps.every((ms) => ms >= 7000)).toBe(true);
    expect(client.requestCount).toBe(3);
  });

  it.each([
    ['a 503', { kind: 'status', status: 503 }],
    ['a cut-off body', { kind: 'truncate' }],
    ['a PHP notice before the JSON', { kind: 'malformed-json' }],
    ['a dropped connection', { kind: 'reset' }],
  ] as const)('when the store sends %s, then the request is retried with growing waits and succeeds', async (_name, fault) => {
    const { client, sleeps } = sandboxClient(sandbox, { retry: { baseDelayMs: 100 } });
    sandbox.faults.inject({ fault, match: { resource: 'orders' }, times: 2 });
    const page = await client.fetchOrdersPage(firstPage);
    expect(page.items).toHaveLength(100);
    expect(sleeps).toHaveLength(2);
    expect(sleeps[1]!).toBeGreaterThanOrEqual(100);
    expect(sleeps[0]!).toBeLessThanOrEqual(100);
  });

  it('when the store is slower than the timeout, then the request is retried', async () => {
    const { client, sleeps } = sandboxClient(sandbox, { timeoutMs: 150 });
    sandbox.faults.inject({ fault: { kind: 'delay', ms: 600 }, match: { resource: 'orders' }, times: 1 });
    await expect(client.fetchOrdersPage(firstPage)).resolves.toMatchObject({ total: 150 });
    expect(sleeps).toHaveLength(1);
  });

  it('when the store keeps failing, then the client gives up after its attempts with a clear error', async () => {
    const { client } = sandboxClient(sandbox, { retry: { attempts: 3 } });
    const fault = sandbox.faults.inject({ fault: { kind: 'status', status: 502 }, match: { resource: 'orders' }, times: Infinity });
    const err = await client.fetchOrdersPage(firstPage).catch((e: unknown) => e);
    fault.remove();
    expect(err).toBeInstanceOf(WooUnavailableError);
    expect((err as Error).message).toMatch(/^the store did not answer GET orders \(HTTP 502.*\) after 3 attempts$/);
    expect(fault.fired).toBe(3);
    expectNoSecrets(err);
  });

  it('when Retry-After is longer than a run waits, then it stops at once and says so', async () => {
    const { client, sleeps } = sandboxClient(sandbox);
    sandbox.faults.inject({ fault: { kind: 'rate-limit', retryAfterSeconds: 3600 }, match: { resource: 'orders' } });
    await expect(client.fetchOrdersPage(firstPage)).rejects.toThrow(/asks us to wait 3600 s/);
    expect(sleeps).toEqual([]);
  });

  it('when the secret is wrong, then it stops at once: the keys are wrong, and they are never shown', async () => {
    const { client } = sandboxClient(sandbox, { consumerSecret: 'cs_wrong_secret_123' });
    const before = sandbox.requests.total;
    const err = await client.fetchOrdersPage(firstPage).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WooAuthError);
    expect((err as Error).message).toContain(
      'the store refused our API keys for GET orders (HTTP 401 woocommerce_rest_authentication_error: Invalid signature',
    );
    expect((err as Error).message).toContain('check WOO_CONSUMER_KEY and WOO_CONSUMER_SECRET');
    expect((err as Error).message).not.toContain('cs_wrong_secret_123');
    expect(sandbox.requests.total - before).toBe(1);
    expectNoSecrets(err);
  });

  it('when a firewall answers 403 with a web page, then the message says it may be a firewall', async () => {
    const { client } = sandboxClient(sandbox);
    sandbox.faults.inject({ fault: { kind: 'status', status: 403, body: '<html>Access denied</html>' }, match: { resource: 'orders' } });
    await expect(client.fetchOrdersPage(firstPage)).rejects.toThrow(/HTTP 403\).*firewall/);
  });

  it('when the store rejects a parameter, then it is not retried and the store’s words are kept', async () => {
    const { client, sleeps } = sandboxClient(sandbox);
    sandbox.faults.inject({
      fault: { kind: 'status', status: 400, body: { code: 'rest_invalid_param', message: 'Invalid parameter(s): status' } },
      match: { resource: 'orders' },
    });
    const err = await client.fetchOrdersPage(firstPage).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WooRequestError);
    expect((err as Error).message).toBe('the store rejected GET orders (HTTP 400 rest_invalid_param: Invalid parameter(s): status)');
    expect(sleeps).toEqual([]);
    expect(client.requestCount).toBe(1);
  });

  it('when 250 customers are fetched, then it takes 3 requests of at most 100, other roles included, deleted ones reported', async () => {
    const { client } = sandboxClient(sandbox);
    const ids = [...Array.from({ length: 249 }, (_, i) => i + 1), 9999];
    const before = sandbox.requests.customers;
    const result = await client.fetchCustomers(ids);
    expect(sandbox.requests.customers - before).toBe(3);
    expect(result.customers.map((c) => c.id).sort((a, b) => a - b)).toEqual(ids.slice(0, 249));
    expect(result.customers.some((c) => (c as { role?: string }).role !== 'customer')).toBe(true);
    expect(result.missing).toEqual([9999]);
  });

  it('when a customer meta key is written, then an existing key is updated in place and a new one is added', async () => {
    const { client } = sandboxClient(sandbox);
    const withCode = Array.from({ length: 260 }, (_, i) => i + 1).find((id) => sandbox.store.customerFacts(id).profileCode !== undefined)!;
    const updated = await client.updateCustomerMeta(withCode, 'sage_account_code', 'NEWCODE1');
    expect(updated.meta_data.filter((m) => m.key === 'sage_account_code')).toEqual([expect.objectContaining({ value: 'NEWCODE1' })]);
    const added = await client.updateCustomerMeta(withCode, 'another_key', 'x');
    expect(added.meta_data.map((m) => m.key)).toContain('another_key');
    expect(sandbox.store.getCustomer(withCode)?.meta_data).toEqual(added.meta_data);
    await expect(client.updateCustomerMeta(99_999, 'sage_account_code', 'X')).rejects.toThrow(/HTTP 404 woocommerce_rest_invalid_id/);
  });

  it('when the key may only read, then a write is refused as a key problem', async () => {
    const readOnly = await startSandbox({ seed: 11, orders: 5, keyPermissions: 'read' });
    try {
      const { client } = sandboxClient(readOnly);
      await expect(client.fetchOrdersPage(firstPage)).resolves.toBeDefined();
      await expect(client.updateCustomerMeta(1, 'sage_account_code', 'X')).rejects.toThrow(
        /does not have write permissions.*Read\/Write permission/,
      );
    } finally {
      await readOnly.close();
    }
  });

  it('when the keys are asked whether they may write, then a POST to a route WooCommerce lacks tells, and nothing is written', async () => {
    const readOnly = await startSandbox({ seed: 11, orders: 5, keyPermissions: 'read' });
    try {
      await expect(sandboxClient(readOnly).client.keysMayWrite()).resolves.toBe(false);
      await expect(sandboxClient(sandbox).client.keysMayWrite()).resolves.toBe(true);
    } finally {
      await readOnly.close();
    }
  });

  it('when WOO_URL names a page, then the guess redirect is not offered as the address to use', async () => {
    const client = createWooClient(
      { url: `${sandbox.url}/shop`, consumerKey: sandbox.consumerKey, consumerSecret: sandbox.consumerSecret },
      { retry: { attempts: 1 } },
    );
    const err = await client.fetchOrdersPage(firstPage).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WooRequestError);
    expect((err as Error).message).toContain(`redirect to the page ${sandbox.url}/shop/`);
    expect((err as Error).message).toContain('not the address to use');
    expect((err as Error).message).not.toContain('set WOO_URL');
    expectNoSecrets(err);
  });

  it('when the permalinks are Plain, then the 404 page is named as not the REST API instead of a bare rejection', async () => {
    const plain = await startSandbox({ seed: 11, orders: 5, site: { permalinks: 'plain' } });
    try {
      const err = await sandboxClient(plain)
        .client.fetchOrdersPage(firstPage)
        .catch((e: unknown) => e);
      expect((err as Error).message).toMatch(/\(HTTP 404\): WOO_URL\/wp-json answers with a page, not WordPress's REST API/);
    } finally {
      await plain.close();
    }
  });
});
