import WooCommerceRestApiModule from '@woocommerce/woocommerce-rest-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../src/sandbox/sandbox.ts';

type Api = { get(endpoint: string, params?: object): Promise<any>; put(endpoint: string, data: object): Promise<any> };
const Library = ((WooCommerceRestApiModule as any).default ?? WooCommerceRestApiModule) as new (o: object) => Api;

let sandbox: Sandbox;
let api: Api;

beforeAll(async () => {
  sandbox = await startSandbox({
    seed: 21,
    orders: 230,
    customers: 60,
    startAt: '2026-02-01T10:00:00Z',
    secondsPerOrder: 10,
    tieOrder: 'stable',
  });
  api = new Library({ url: sandbox.url, consumerKey: sandbox.consumerKey, consumerSecret: sandbox.consumerSecret, version: 'wc/v3' });
});
afterAll(async () => {
  await sandbox.close();
});

const status = (p: Promise<any>) => p.then((r) => r.status).catch((e) => e.response?.status);

describe('the sandbox speaks WooCommerce REST v3 (driven by the npm client)', () => {
  it('when orders are listed, then it pages with X-WP-Total(Pages), a Link header, and [] past the end', async () => {
    const first = await api.get('orders', { per_page: 100, orderby: 'id', order: 'asc' });
    expect(first.headers['x-wp-total']).toBe('230');
    expect(first.headers['x-wp-totalpages']).toBe('3');
    expect(first.headers.link).toContain('rel="next"');
    expect(first.data.map((o: any) => o.id).slice(0, 3)).toEqual([1001, 1003, 1005]);
    const past = await api.get('orders', { per_page: 100, page: 4 });
    expect(past.data).toEqual([]);
  });

  it('when per_page is above 100 or a date is not a date, then it is a 400 naming the parameter', async () => {
    const err = await api.get('orders', { per_page: 101 }).catch((e) => e.response);
    expect(err.status).toBe(400);
    expect(err.data).toMatchObject({
      code: 'rest_invalid_param',
      data: { params: { per_page: 'per_page must be between 1 (inclusive) and 100 (inclusive)' } },
    });
    expect(await status(api.get('orders', { modified_after: 'yesterday' }))).toBe(400);
  });

  it('when filtered by modification window, status, customer or include, then only those orders come back', async () => {
    const window = await api.get('orders', {
      modified_after: '2026-02-01T10:00:09',
      modified_before: '2026-02-01T10:00:31',
      dates_are_gmt: true,
      orderby: 'modified',
      order: 'asc',
    });
    expect(window.data.map((o: any) => o.date_modified_gmt)).toEqual(['2026-02-01T10:00:10', '2026-02-01T10:00:20', '2026-02-01T10:00:30']);
    const processing = await api.get('orders', { status: 'processing', per_page: 100 });
    expect(processing.data.every((o: any) => o.status === 'processing')).toBe(true);
    const some = await api.get('orders', { include: '1001,1005', orderby: 'include' });
    expect(some.data.map((o: any) => o.id)).toEqual([1001, 1005]);
    const one = await api.get('orders/1003');
    expect(one.data.id).toBe(1003);
    expect(await status(api.get('orders/1002'))).toBe(404);
  });

  it('when customers are listed, then only the "customer" role shows unless role=all, and customer 0 is a 404', async () => {
    const all = await api.get('customers', { per_page: 100, role: 'all' });
    const customers = await api.get('customers', { per_page: 100 });
    expect(Number(all.headers['x-wp-total'])).toBe(60);
    expect(customers.data.every((c: any) => c.role === 'customer')).toBe(true);
    expect(customers.data.length).toBeLessThan(60);
    expect(await status(api.get('customers/0'))).toBe(404);
  });

  it('when a request carries no or bad credentials, then it is a 401 the way WooCommerce words it', async () => {
    const anonymous = await fetch(`${sandbox.url}/wp-json/wc/v3/orders`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ code: 'woocommerce_rest_cannot_view', message: 'Sorry, you cannot list resources.' });
    const wrongKey = new Library({ url: sandbox.url, consumerKey: 'ck_nope', consumerSecret: sandbox.consumerSecret, version: 'wc/v3' });
    const err = await wrongKey.get('orders').catch((e) => e.response);
    expect(err.data).toMatchObject({ code: 'woocommerce_rest_authentication_error', message: 'Consumer key is invalid.' });
  });

  it('when the Link header’s next URL is followed (as naive clients do), then the store refuses it: it carries a used signature and nonce', async () => {
    const first = await api.get('orders', { per_page: 50 });
    const next = /<([^>]+)>; rel="next"/.exec(first.headers.link)![1]!;
    expect(next).toContain('oauth_nonce=');
    const replay = await fetch(next);
    expect(replay.status).toBe(401);
    expect(await replay.json()).toMatchObject({ code: 'woocommerce_rest_authentication_error' });
  });

  it('when the shop changes an order, then its modification time moves and it lists last', async () => {
    sandbox.store.modifyOrder(1001, (o) => void (o.status = 'completed'));
    const last = await api.get('orders', { orderby: 'modified', order: 'desc', per_page: 1 });
    expect(last.data[0]).toMatchObject({ id: 1001, status: 'completed' });
  });

  it('when an order is moved to the bin, then listings leave it out (as status=any does) and status=trash lists it', async () => {
    sandbox.store.modifyOrder(1003, (o) => void (o.status = 'trash'));
    const ids = async (params: object) =>
      (await api.get('orders', { orderby: 'modified', order: 'asc', per_page: 100, ...params })).data.map((o: any) => o.id);
    const all = [...(await ids({})), ...(await ids({ page: 2 })), ...(await ids({ page: 3 }))];
    expect(all).toHaveLength(229);
    expect(all).not.toContain(1003);
    expect(await ids({ status: 'trash' })).toEqual([1003]);
    sandbox.store.modifyOrder(1003, (o) => void (o.status = 'processing')); // restored from the bin
    expect((await api.get('orders', { orderby: 'modified', order: 'desc', per_page: 1 })).data[0].id).toBe(1003);
    expect(await ids({ status: 'trash' })).toEqual([]);
  });
});
