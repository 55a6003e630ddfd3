import type { Knex } from 'knex';
import { booksCredits, booksCurrencies, booksOrderPages, type BooksOrderRow } from '../db/books-queries.ts';
import { SENT_STATES } from '../db/export-jobs.ts';
import { daysBetween, LedgerBuilder, type BooksOrder } from '../domain/books/ledger.ts';
import { checkBooksRequest, type BooksRequest } from '../domain/books/period.ts';
import type { BooksLedger } from '../domain/books/types.ts';
import type { DiscountMode } from '../domain/pricing/types.ts';
import type { TaxRate } from '../domain/pricing/tax-rate.ts';
import { whyNotDue } from '../domain/settle-rule.ts';
import { DocumentAmountsError, documentAmounts, sageRateTable, type DocumentAmounts } from '../sage/document-amounts.ts';
import { getSettings } from '../settings/store.ts';

export interface BooksOptions extends BooksRequest {
  /** List the orders behind every not-in-Sage amount, difference and refund to credit. */
  details?: boolean;
  now: Date;
}

interface Reading {
  rates: ReadonlyMap<number, TaxRate>;
  mode: DiscountMode;
}

function read(xml: string, reading: Reading): { amounts: DocumentAmounts } | { error: string } {
  try {
    return { amounts: documentAmounts(xml, reading.rates, reading.mode) };
  } catch (err) {
    if (err instanceof DocumentAmountsError) return { error: err.message };
    throw err;
  }
}

/**
 * The books for a period, from stored data only (no store request): every order created in it,
 * by the shop's local day, against what Sage computes from the documents delivered to it (the
 * importer's arithmetic with the current `sageTaxRates` and `couponDiscountAs`). One currency at a
 * time: the one asked for, else the one most of the period's orders are in.
 */
export async function buildBooks(db: Knex, options: BooksOptions): Promise<BooksLedger> {
  const request = checkBooksRequest(options);
  const range = { from: request.from, to: request.to };
  const settings = await getSettings(db);
  const reading: Reading = { rates: sageRateTable(settings.sageTaxRates), mode: settings.couponDiscountAs };
  const currencies = await booksCurrencies(db, range);
  const currency = request.currency ?? currencies.find((c) => c.currency !== null)?.currency ?? null;
  const builder = new LedgerBuilder({
    withDetails: options.details === true,
    days: request.from && request.to ? daysBetween(request.from, request.to) : [],
  });

  const booksOrder = (row: BooksOrderRow, credits: { sentMinor: number; pendingMinor: number }): BooksOrder => {
    const waiting = row.state === 'waiting' || row.state === 'received';
    return {
      id: row.id,
      number: row.number,
      day: row.day,
      status: row.status,
      state: row.state,
      wooGrossMinor: row.totalMinor ?? 0,
      refundsMinor: row.refundsMinor,
      flagged: row.changedAfterExport,
      changeSummary: row.changeSummary,
      lastError: row.lastError,
      rule: row.rule,
      statusExported: settings.importStatuses.includes(row.status),
      waitingReason: waiting ? whyNotDue(row, settings, options.now) : null,
      delivered: row.sentDocument === null ? undefined : read(row.sentDocument, reading),
      credits,
    };
  };

  for await (const page of booksOrderPages(db, range, currency)) {
    const credits = new Map<number, { sentMinor: number; pendingMinor: number }>();
    const refunded = page.filter((r) => r.refundsMinor > 0).map((r) => r.id);
    for (const credit of refunded.length ? await booksCredits(db, refunded) : []) {
      const amounts = read(credit.document, reading);
      if (!('amounts' in amounts)) continue; // an unreadable credit note credits nothing that can be shown
      const entry = credits.get(credit.orderId) ?? { sentMinor: 0, pendingMinor: 0 };
      if ((SENT_STATES as readonly string[]).includes(credit.state)) entry.sentMinor += amounts.amounts.gross;
      else entry.pendingMinor += amounts.amounts.gross;
      credits.set(credit.orderId, entry);
    }
    for (const row of page) builder.add(booksOrder(row, credits.get(row.id) ?? { sentMinor: 0, pendingMinor: 0 }));
  }
  return builder.result({
    currency,
    from: request.from,
    to: request.to,
    otherCurrencies: currencies
      .filter((c): c is { currency: string; orders: number } => c.currency !== null && c.currency !== currency)
      .map((c) => ({ currency: c.currency, orders: c.orders })),
  });
}
