import fs from 'node:fs';
import fc from 'fast-check';
import { afterAll, expect, it } from 'vitest';
import { NOT_IN_SAGE_PARTS, type BooksDay } from '../src/domain/books/types.ts';
import { buildBooks } from '../src/pipeline/books.ts';
import { booksClock, clearScenario, FATES, runScenario, type ShopOrder, type StoredOrder } from './helpers/books-scenario.ts';
import { tempOutbox } from './helpers/outbox.ts';
import { readSalesOrders } from './helpers/sage-xml.ts';
import { describeEachDialect } from './helpers/test-db.ts';
import { cartArbitrary } from './helpers/woo-cart.ts';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

/** Local creation times over three days, around midnight too (where the UTC day is another). */
const localCreated = fc
  .tuple(fc.integer({ min: 1, max: 3 }), fc.constantFrom(0, 0, 1, 9, 13, 23), fc.integer({ min: 0, max: 59 }))
  .map(([day, hour, minute]) => `2026-07-0${day}T${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}:00`);

const shopOrders = fc
  .array(
    fc.record({
      cart: cartArbitrary,
      fate: fc.constantFrom(...FATES, 'delivered', 'delivered'),
      localCreated,
      refundMinor: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 5_000 })),
    }),
    { minLength: 1, maxLength: 8 },
  )
  .map((orders) => orders.map((o, i): ShopOrder => ({ ...o, id: 8000 + i })));

const notInSage = (d: BooksDay) => NOT_IN_SAGE_PARTS.reduce((s, p) => s + d.notInSage[p], 0);
const sum = (orders: StoredOrder[], f: (o: StoredOrder) => number) => orders.reduce((s, o) => s + f(o), 0);

describeEachDialect('books balance to the penny (property)', (ctx) => {
  it('when random orders end in random states with refunds, then every day balances and a penny changed in one stored document shows on its day and order', async () => {
    await fc.assert(
      fc.asyncProperty(shopOrders, async (orders) => {
        const { db } = ctx();
        await clearScenario(db);
        const outbox = tempOutbox();
        dirs.push(outbox);
        const stored = await runScenario(db, orders, outbox);
        const now = booksClock().now();
        const books = await buildBooks(db, { details: true, now });

        // WooCommerce side = Sage side + not in Sage + difference, and the difference is 0.
        expect(books.balanced).toBe(true);
        for (const day of [...books.days, books.totals]) {
          expect(day.differenceMinor).toBe(0);
          expect(day.wooGrossMinor).toBe(day.sageGrossMinor + notInSage(day));
          expect(Object.values(day.vatByTaxCode).reduce((s, v) => s + v.netMinor + v.vatMinor, 0)).toBe(day.sageGrossMinor);
        }
        // Each day and part holds exactly the model's orders.
        const days = [...new Set(stored.map((o) => o.day))].sort();
        expect(books.days.map((d) => d.date)).toEqual(days);
        for (const day of books.days) {
          const of = stored.filter((o) => o.day === day.date);
          expect(day.wooGrossMinor).toBe(sum(of, (o) => o.totalMinor));
          expect(day.sageGrossMinor).toBe(
            sum(
              of.filter((o) => o.fate === 'delivered'),
              (o) => o.totalMinor,
            ),
          );
          for (const part of NOT_IN_SAGE_PARTS)
            expect(day.notInSage[part]).toBe(
              sum(
                of.filter((o) => o.fate === part),
                (o) => o.totalMinor,
              ),
            );
          expect(day.refundsMinor).toBe(sum(of, (o) => o.refundMinor));
          expect(day.refundsFlaggedMinor).toBe(sum(of, (o) => o.refundMinor));
        }

        // A one-penny change to one delivered document: its day and only that order differ, by what Sage computes.
        const target = stored.find((o) => o.fate === 'delivered');
        if (!target) return;
        const job = await db('export_jobs')
          .where({ job_key: `sales_order:${target.id}` })
          .first();
        const before = String(job.document);
        const after = before.replace(/<UnitPrice>(\d+)\.(\d\d)<\/UnitPrice>/, (_m, units: string, cents: string) => {
          const minor = Number(units) * 100 + Number(cents) + 1;
          return `<UnitPrice>${Math.floor(minor / 100)}.${String(minor % 100).padStart(2, '0')}</UnitPrice>`;
        });
        expect(after).not.toBe(before);
        await db('export_jobs').where({ id: job.id }).update({ document: after });
        const sage = (xml: string) => Number(readSalesOrders(`<Company><SalesOrders>${xml}</SalesOrders></Company>`)[0]!.gross);
        const expected = sage(before) - sage(after);
        const changed = await buildBooks(db, { details: true, now });
        for (const day of changed.days) expect(day.differenceMinor).toBe(day.date === target.day ? expected : 0);
        expect(changed.details!.filter((d) => d.part === 'difference')).toEqual([
          expect.objectContaining({ orderId: target.id, date: target.day, amountMinor: expected }),
        ]);
        expect(expected).toBeLessThan(0);
      }),
      { numRuns: Number(process.env.BOOKS_PROPERTY_RUNS ?? 12), endOnFailure: true },
    );
  }, 240_000);
});
