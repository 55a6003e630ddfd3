import fs from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runScenario, type ShopOrder } from './helpers/books-scenario.ts';
import { runWooSage } from './helpers/cli.ts';
import { Client, createTestUser, startTestApp, type TestApp } from './helpers/http.ts';
import { tempOutbox } from './helpers/outbox.ts';
import { describeEachDialect } from './helpers/test-db.ts';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

const ORDERS: ShopOrder[] = [
  {
    id: 7401,
    cart: { lines: [{ price: '10.00', quantity: 2, rate: 20 }], pricesIncludeTax: false, roundAtSubtotal: false },
    fate: 'delivered',
    localCreated: '2026-07-01T09:00:00',
    refundMinor: 0,
  },
  {
    id: 7402,
    cart: { lines: [{ price: '5.00', quantity: 1, rate: 20 }], pricesIncludeTax: false, roundAtSubtotal: false },
    fate: 'held',
    localCreated: '2026-07-02T09:00:00',
    refundMinor: 0,
  },
];

describeEachDialect('woo-sage books and GET /api/books', (ctx) => {
  let env: NodeJS.ProcessEnv;
  let server: TestApp;
  beforeAll(async () => {
    const outbox = tempOutbox();
    dirs.push(outbox);
    await runScenario(ctx().db, ORDERS, outbox);
    env = { DATABASE_URL: ctx().url, OUTBOX_DIR: outbox, LOG_LEVEL: 'silent' };
    server = await startTestApp(ctx().db, ctx().url);
  });
  afterAll(() => server?.close());

  it('when run with --json, then it prints the CONTRACT shape: currency, from, to, days and totals in minor units', async () => {
    const { code, stdout } = await runWooSage(['books', '--json'], env);
    expect(code).toBe(0);
    const books = JSON.parse(stdout);
    expect(Object.keys(books)).toEqual(expect.arrayContaining(['currency', 'from', 'to', 'days', 'totals']));
    expect(books).toMatchObject({ currency: 'GBP', from: '2026-07-01', to: '2026-07-02', balanced: true });
    expect(books.days[0]).toEqual({
      date: '2026-07-01',
      orders: 1,
      wooGrossMinor: 2400,
      sageGrossMinor: 2400,
      notInSage: { held: 0, waiting: 0, queued: 0, failed: 0, statusNotExported: 0, cancelled: 0 },
      differenceMinor: 0,
      refundsMinor: 0,
      creditedMinor: 0,
      refundsFlaggedMinor: 0,
      vatByTaxCode: { '1': { netMinor: 2000, vatMinor: 400 } },
    });
    expect(books.totals).toMatchObject({ wooGrossMinor: 3000, sageGrossMinor: 2400, notInSage: { held: 600 }, differenceMinor: 0 });
    expect(books.totals.date).toBeUndefined();
    expect(books.details).toBeUndefined();
  });

  it('when run as text with --details, then the table, the verdict and each order behind an amount are printed', async () => {
    const { code, stdout } = await runWooSage(['books', '--from', '2026-07-01', '--to', '2026-07-02', '--details'], env);
    expect(code).toBe(0);
    expect(stdout).toContain('balanced: every penny of the shop is in Sage or accounted for');
    expect(stdout).toMatch(/2026-07-02\s+7402\s+held\s+6\.00\s+held\s+assign|2026-07-02\s+7402\s+held\s+6\.00\s+held\s+reprocess/);
  });

  it('when run with --csv, then it prints a spreadsheet with a byte order mark and CRLF lines; --details --csv prints the orders', async () => {
    const days = await runWooSage(['books', '--csv'], env);
    expect(days.stdout.startsWith('\uFEFFdate,currency,orders,')).toBe(true);
    expect(days.stdout.split('\r\n').map((l) => l.split(',')[0])).toEqual(['\uFEFFdate', '2026-07-01', '2026-07-02', 'total', '']);
    const orders = await runWooSage(['books', '--csv', '--details'], env);
    expect(orders.stdout.split('\r\n')[1]).toMatch(/^2026-07-02,7402,7402,held,GBP,6\.00,6\.00,,processing,held,/);
  });

  it('when the dates or options are unusable, then it exits 2 naming the problem', async () => {
    const bad = await runWooSage(['books', '--from', '2026-13-01'], env);
    expect(bad).toMatchObject({ code: 2, stderr: expect.stringContaining('from: "2026-13-01" is not a date (YYYY-MM-DD)') });
    expect((await runWooSage(['books', '--json', '--csv'], env)).code).toBe(2);
  });

  it('when the API is asked with details, then it answers the same ledger with the orders; without a session it refuses', async () => {
    const client = new Client(server.url);
    expect((await client.get('/api/books')).status).toBe(401);
    await client.login(await createTestUser(ctx().db, 'support'));
    const res = await client.get('/api/books?from=2026-07-02&to=2026-07-02&details=true');
    expect(res.status).toBe(200);
    expect(res.body.days.map((d: { date: string }) => d.date)).toEqual(['2026-07-02']);
    expect(res.body.details).toEqual([expect.objectContaining({ orderId: 7402, part: 'held', amountMinor: 600 })]);
    const bad = await client.get('/api/books?from=2026-07-03&to=2026-07-01');
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('from: 2026-07-03 is after to: 2026-07-01');
  });
});
