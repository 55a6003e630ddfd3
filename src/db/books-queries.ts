import type { Knex } from 'knex';
import { SENT_STATES } from './export-jobs.ts';

/** The days of the books to read, inclusive (YYYY-MM-DD); open-ended when absent. */
export interface BooksRange {
  from?: string;
  to?: string;
}

/** One order of the books with its sales order's state, and the document when Sage has it. */
export interface BooksOrderRow {
  id: number;
  number: string | null;
  status: string;
  state: string;
  day: string;
  totalMinor: number | null;
  refundsMinor: number;
  changedAfterExport: boolean;
  changeSummary: string | null;
  lastError: string | null;
  rule: string | null;
  dateModified: string;
  customerId: number;
  customerPending: boolean;
  /** The stored sales order, only when it has been delivered (or imported). */
  sentDocument: string | null;
}

export interface CreditRow {
  orderId: number;
  state: string;
  document: string;
}

function inRange(query: Knex.QueryBuilder, range: BooksRange, column: string): Knex.QueryBuilder {
  query.whereNotNull(column);
  if (range.from) query.where(column, '>=', range.from);
  if (range.to) query.where(column, '<=', range.to);
  return query;
}

/** Orders of the period by currency, most first (an order without one counts as the shop's). */
export async function booksCurrencies(db: Knex, range: BooksRange): Promise<Array<{ currency: string | null; orders: number }>> {
  const rows: Array<Record<string, unknown>> = await inRange(db('orders'), range, 'books_day')
    .select('currency')
    .count({ n: '*' })
    .groupBy('currency');
  return rows
    .map((r) => ({ currency: (r.currency as string | null) ?? null, orders: Number(r.n) }))
    .sort((a, b) => b.orders - a.orders || String(a.currency).localeCompare(String(b.currency)));
}

/**
 * Pages through the period's orders in (day, id) order, `pageSize` at a time, each joined with its
 * sales order: reads only indexed columns and the delivered documents, never the payloads.
 */
export async function* booksOrderPages(
  db: Knex,
  range: BooksRange,
  currency: string | null,
  pageSize = 1000,
): AsyncGenerator<BooksOrderRow[]> {
  let after: { day: string; id: number } | undefined;
  for (;;) {
    const query = inRange(
      db('orders as o').leftJoin('export_jobs as j', function () {
        this.on('j.order_id', '=', 'o.id').andOn('j.kind', '=', db.raw('?', ['sales_order']));
      }),
      range,
      'o.books_day',
    )
      .where((q) => {
        q.whereNull('o.currency');
        if (currency !== null) q.orWhere('o.currency', currency);
      })
      .orderBy([
        { column: 'o.books_day', order: 'asc' },
        { column: 'o.id', order: 'asc' },
      ])
      .limit(pageSize)
      .select(
        'o.id',
        'o.number',
        'o.status',
        'o.state',
        'o.books_day',
        'o.total_minor',
        'o.refunds_minor',
        'o.changed_after_export',
        'o.change_summary',
        'o.last_error',
        'o.rule',
        'o.date_modified',
        'o.customer_id',
        'o.customer_pending',
        db.raw('CASE WHEN j.state IN (?, ?) THEN j.document ELSE NULL END AS sent_document', [...SENT_STATES]),
      );
    if (after) {
      const { day, id } = after;
      // The plain bound on the day lets the database start the index range at this page's day
      // (an OR alone can make MariaDB scan from the start on every page).
      query
        .where('o.books_day', '>=', day)
        .where((q) => q.where('o.books_day', '>', day).orWhere((q2) => q2.where('o.books_day', day).andWhere('o.id', '>', id)));
    }
    const rows: Array<Record<string, unknown>> = await query;
    if (rows.length === 0) return;
    const page = rows.map(toRow);
    const last = page[page.length - 1]!;
    after = { day: last.day, id: last.id };
    yield page;
    if (rows.length < pageSize) return;
  }
}

function toRow(r: Record<string, unknown>): BooksOrderRow {
  const text = (v: unknown) => (v === null || v === undefined ? null : String(v));
  return {
    id: Number(r.id),
    number: text(r.number),
    status: String(r.status),
    state: String(r.state),
    day: String(r.books_day),
    totalMinor: r.total_minor === null || r.total_minor === undefined ? null : Number(r.total_minor),
    refundsMinor: Number(r.refunds_minor ?? 0),
    changedAfterExport: Boolean(Number(r.changed_after_export)),
    changeSummary: text(r.change_summary),
    lastError: text(r.last_error),
    rule: text(r.rule),
    dateModified: String(r.date_modified),
    customerId: Number(r.customer_id),
    customerPending: Boolean(Number(r.customer_pending)),
    sentDocument: text(r.sent_document),
  };
}

/** The credit notes of these orders that are delivered or on their way (held and failed ones credit nothing). */
export async function booksCredits(db: Knex, orderIds: readonly number[]): Promise<CreditRow[]> {
  const out: CreditRow[] = [];
  for (let i = 0; i < orderIds.length; i += 500) {
    const rows = await db('export_jobs')
      .where('kind', 'credit_note')
      .whereIn('order_id', orderIds.slice(i, i + 500))
      .whereIn('state', ['queued', 'claimed', ...SENT_STATES])
      .select('order_id', 'state', 'document');
    for (const r of rows) out.push({ orderId: Number(r.order_id), state: String(r.state), document: String(r.document) });
  }
  return out;
}
