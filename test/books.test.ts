import fs from 'node:fs';
import { afterAll, beforeEach, expect, it } from 'vitest';
import { NOT_IN_SAGE_PARTS } from '../src/domain/books/types.ts';
import { buildBooks } from '../src/pipeline/books.ts';
import { booksOrderPages } from '../src/db/books-queries.ts';
import { down as dropBooksColumns, up as addBooksColumns } from '../migrations/20261203170100_add_orders_books_columns.ts';
import { booksClock, clearScenario, runScenario, type ShopOrder } from './helpers/books-scenario.ts';
import { insertOrderRow } from './helpers/factories.ts';
import { tempOutbox } from './helpers/outbox.ts';
import { describeEachDialect } from './helpers/test-db.ts';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

const cart = (price: string, quantity = 1, rate: number | null = 20): ShopOrder['cart'] => ({
  lines: [{ price, quantity, rate }],
  pricesIncludeTax: false,
  roundAtSubtotal: false,
  shipping: { cost: '4.95', rate: 20 },
});

/** One order of each fate over two local days; order 7002 was placed at 00:30 local, 23:30 UTC the day before. */
const ORDERS: ShopOrder[] = [
  { id: 7001, cart: cart('10.00', 2), fate: 'delivered', localCreated: '2026-07-01T09:00:00', refundMinor: 0 },
  { id: 7002, cart: cart('3.33', 3), fate: 'delivered', localCreated: '2026-07-02T00:30:00', refundMinor: 500 },
  { id: 7003, cart: cart('7.50', 1, 5), fate: 'held', localCreated: '2026-07-01T11:00:00', refundMinor: 0 },
  { id: 7004, cart: cart('12.00'), fate: 'waiting', localCreated: '2026-07-01T12:00:00', refundMinor: 0 },
  { id: 7005, cart: cart('19.99'), fate: 'statusNotExported', localCreated: '2026-07-02T13:00:00', refundMinor: 0 },
  { id: 7006, cart: cart('5.00', 4, 0), fate: 'queued', localCreated: '2026-07-02T14:00:00', refundMinor: 0 },
  { id: 7007, cart: cart('8.25'), fate: 'failed', localCreated: '2026-07-02T15:00:00', refundMinor: 0 },
  { id: 7008, cart: cart('1.00', 9, null), fate: 'cancelled', localCreated: '2026-07-02T16:00:00', refundMinor: 0 },
];

describeEachDialect('books ledger from the stored orders and documents', (ctx) => {
  let outbox: string;
  beforeEach(async () => {
    await clearScenario(ctx().db);
    outbox = tempOutbox();
    dirs.push(outbox);
  });

  it('when orders end in every state, then each day balances and every penny not in Sage is in its part', async () => {
    const { db } = ctx();
    const stored = await runScenario(db, ORDERS, outbox);
    const books = await buildBooks(db, { details: true, now: booksClock().now() });
    const total = (id: number) => stored.find((o) => o.id === id)!.totalMinor;

    expect(books).toMatchObject({ currency: 'GBP', from: '2026-07-01', to: '2026-07-02', balanced: true, otherCurrencies: [] });
    expect(books.days.map((d) => [d.date, d.orders])).toEqual([
      ['2026-07-01', 3],
      ['2026-07-02', 5],
    ]);
    const [first, second] = books.days;
    expect(first).toMatchObject({
      wooGrossMinor: total(7001) + total(7003) + total(7004),
      sageGrossMinor: total(7001),
      notInSage: { held: total(7003), waiting: total(7004), queued: 0, failed: 0, statusNotExported: 0, cancelled: 0 },
      differenceMinor: 0,
    });
    // 7002 was created at 00:30 on 2 July in the shop: its books day, though UTC still said 1 July.
    expect(second).toMatchObject({
      sageGrossMinor: total(7002),
      notInSage: { held: 0, waiting: 0, queued: total(7006), failed: total(7007), statusNotExported: total(7005), cancelled: total(7008) },
      differenceMinor: 0,
      refundsMinor: 500,
      creditedMinor: 0,
      refundsFlaggedMinor: 500,
    });
    for (const day of [...books.days, books.totals]) {
      const notIn = NOT_IN_SAGE_PARTS.reduce((s, p) => s + day.notInSage[p], 0);
      expect(day.wooGrossMinor).toBe(day.sageGrossMinor + notIn + day.differenceMinor);
      const vat = Object.values(day.vatByTaxCode).reduce((s, v) => s + v.netMinor + v.vatMinor, 0);
      expect(vat).toBe(day.sageGrossMinor);
    }
    // 20.00 + 4.95 carriage at 20 %: T1 net 24.95, VAT 4.99; 3 × 3.33 + 4.95 likewise.
    expect(first!.vatByTaxCode).toEqual({ '1': { netMinor: 2495, vatMinor: 499 } });
    expect(books.totals.wooGrossMinor).toBe(stored.reduce((s, o) => s + o.totalMinor, 0));

    const byOrder = new Map(books.details!.map((d) => [`${d.orderId}:${d.part}`, d]));
    expect(byOrder.get('7003:held')).toMatchObject({ amountMinor: total(7003), reason: expect.stringContaining('NOT-A-CODE!') });
    expect(byOrder.get('7007:failed')).toMatchObject({ action: 'reprocess', howTo: 'woo-sage orders reprocess 7007' });
    expect(byOrder.get('7005:statusNotExported')).toMatchObject({
      action: 'none',
      reason: expect.stringContaining('"on-hold" is not exported'),
    });
    expect(byOrder.get('7004:waiting')).toMatchObject({ action: 'none', reason: 'due: the next sync processes it' });
    expect(byOrder.get('7006:queued')?.action).toBe('none');
    expect(byOrder.get('7008:cancelled')?.action).toBe('none');
    expect(byOrder.get('7002:refundsFlagged')).toMatchObject({
      amountMinor: 500,
      action: 'credit',
      howTo: expect.stringContaining('orders ack 7002'),
    });
    expect(books.details!.filter((d) => d.part === 'difference')).toEqual([]);
  });

  it('when a delivered document is one penny off, then that day and that order show the difference, with the credit to raise', async () => {
    const { db } = ctx();
    await runScenario(db, ORDERS, outbox);
    const job = await db('export_jobs').where({ job_key: 'sales_order:7002' }).first();
    // 3 × 3.33 at T1 becomes 3 × 3.34 in the stored document: Sage books 3p more net (VAT on 10.02 still rounds to 2.00).
    await db('export_jobs')
      .where({ id: job.id })
      .update({ document: String(job.document).replace('<UnitPrice>3.33</UnitPrice>', '<UnitPrice>3.34</UnitPrice>') });
    const books = await buildBooks(db, { from: '2026-06-30', to: '2026-07-03', details: true, now: booksClock().now() });
    expect(books.days.map((d) => [d.date, d.differenceMinor])).toEqual([
      ['2026-06-30', 0],
      ['2026-07-01', 0],
      ['2026-07-02', -3],
      ['2026-07-03', 0],
    ]);
    expect(books.balanced).toBe(false);
    expect(books.totals.differenceMinor).toBe(-3);
    const differences = books.details!.filter((d) => d.part === 'difference');
    expect(differences).toEqual([
      expect.objectContaining({
        orderId: 7002,
        date: '2026-07-02',
        amountMinor: -3,
        action: 'credit',
        howTo: 'credit 0.03 in Sage, then woo-sage orders ack 7002',
      }),
    ]);
  });

  it('when a delivered document cannot be read, then its whole amount is a difference naming the field', async () => {
    const { db } = ctx();
    await runScenario(db, ORDERS.slice(0, 1), outbox);
    await db('export_jobs').where({ job_key: 'sales_order:7001' }).update({
      document:
        '<SalesOrder><Id>7001</Id><SalesOrderItems><Item><QtyOrdered>1.5</QtyOrdered><UnitPrice>1</UnitPrice><TaxCode>1</TaxCode></Item></SalesOrderItems></SalesOrder>',
    });
    const books = await buildBooks(db, { details: true, now: booksClock().now() });
    expect(books.totals.sageGrossMinor).toBe(0);
    expect(books.details).toEqual([
      expect.objectContaining({
        orderId: 7001,
        part: 'difference',
        action: 'correct',
        reason: expect.stringContaining('Item[1].QtyOrdered "1.5" is not a whole quantity'),
      }),
    ]);
  });

  it('when orders are in two currencies, then the books are in the main one and the other is named', async () => {
    const { db } = ctx();
    await runScenario(db, [...ORDERS.slice(0, 2), { ...ORDERS[3]!, id: 7101, cart: { ...ORDERS[3]!.cart, currency: 'EUR' } }], outbox);
    const books = await buildBooks(db, { now: booksClock().now() });
    expect(books.currency).toBe('GBP');
    expect(books.totals.orders).toBe(2);
    expect(books.otherCurrencies).toEqual([{ currency: 'EUR', orders: 1 }]);
    const euros = await buildBooks(db, { currency: 'eur', now: booksClock().now() });
    expect(euros).toMatchObject({ currency: 'EUR', totals: { orders: 1 }, otherCurrencies: [{ currency: 'GBP', orders: 2 }] });
  });

  it('when the orders are read a page at a time, then every order of the period comes once, by day then id', async () => {
    const { db } = ctx();
    await runScenario(db, ORDERS, outbox);
    const seen: number[] = [];
    for await (const page of booksOrderPages(db, {}, 'GBP', 3)) seen.push(...page.map((r) => r.id));
    expect(seen).toEqual([7001, 7003, 7004, 7002, 7005, 7006, 7007, 7008]);
  });

  it('when a period is asked for, then only its days are read and each one is listed', async () => {
    const { db } = ctx();
    await runScenario(db, ORDERS, outbox);
    const books = await buildBooks(db, { from: '2026-07-02', to: '2026-07-02', now: booksClock().now() });
    expect(books.days.map((d) => d.date)).toEqual(['2026-07-02']);
    expect(books.totals.orders).toBe(5);
    await expect(buildBooks(db, { from: '2026-07-03', to: '2026-07-01', now: new Date() })).rejects.toThrow(
      'from: 2026-07-03 is after to: 2026-07-01',
    );
    await expect(buildBooks(db, { from: '2026-02-30', now: new Date() })).rejects.toThrow('from: "2026-02-30" is not a date (YYYY-MM-DD)');
  });

  it('when the books columns are added to orders stored before them, then each gets its local day and refunds from its payload', async () => {
    const { db } = ctx();
    await dropBooksColumns(db);
    try {
      await insertOrderRow(db, {
        id: 7201,
        payload: JSON.stringify({
          id: 7201,
          date_created: '2026-03-29T00:30:00',
          date_created_gmt: '2026-03-28T23:30:00',
          refunds: [
            { id: 1, total: '-1.50' },
            { id: 2, total: '-0.25' },
          ],
        }),
      });
      await insertOrderRow(db, { id: 7202, payload: JSON.stringify({ id: 7202, date_created_gmt: '2026-03-28T23:30:00' }) });
      await insertOrderRow(db, { id: 7203, payload: 'not json', received_at: '2026-01-05T10:00:00.000Z' });
    } finally {
      await addBooksColumns(db);
    }
    const rows = await db('orders').whereIn('id', [7201, 7202, 7203]).orderBy('id').select('id', 'books_day', 'refunds_minor');
    expect(rows.map((r) => [Number(r.id), r.books_day, Number(r.refunds_minor)])).toEqual([
      [7201, '2026-03-29', 175],
      [7202, '2026-03-28', 0],
      [7203, '2026-01-05', 0],
    ]);
  });
});
