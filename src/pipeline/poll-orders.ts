import { advanceOrdersCursor, BIN_CURSOR, ORDERS_CURSOR, readOrdersCursor } from '../db/cursor.ts';
import { storeOrderPage, type InboxOutcome } from '../db/inbox.ts';
import { listPendingCustomerIds } from '../db/woo-customers.ts';
import { AppError } from '../domain/errors.ts';
import { pageOrdersByModified, type OrderBatch } from '../woo/order-pager.ts';
import { CustomerFetchQueue } from './poll-customers.ts';
import { addProblems, type SyncSummary } from './sync-summary.ts';
import type { SyncRun } from './sync-run.ts';

/** Each run re-reads this much before the cursor: saves committed late or stamped by a node whose clock lags. */
export const DEFAULT_OVERLAP_MS = 5 * 60_000;

export class FirstSyncNeedsStartError extends AppError {
  constructor() {
    super(
      'FIRST_SYNC_NEEDS_SINCE',
      'this is the first sync of this database: say how far back to read with --since DATE (e.g. --since 2026-01-01); orders modified since then are imported, and the ones in an import status are exported to Sage',
      400,
    );
  }
}

export class StoreMismatchError extends AppError {
  constructor(known: string, given: string) {
    super(
      'STORE_MISMATCH',
      `this database holds the orders of ${known}, not ${given}; order ids of two stores must not mix in one inbox: use a separate DATABASE_URL for each store`,
      409,
      { known, given },
    );
  }
}

const RANK = { unchanged: 0, changed: 1, new: 2 } as const;
const DISPOSITION_COUNT = { waiting: 'waiting', held: 'held', flagged: 'changedAfterExport' } as const;

/**
 * The summary's order counts, kept current as pages are stored. An order read twice in one run
 * (the overlap, a tie, an edit while paging) counts once: as the most telling of what happened to
 * its content (new > changed > unchanged) and where it went last.
 */
class OutcomeTally {
  private readonly content = new Map<number, InboxOutcome['content']>();
  private readonly disposition = new Map<number, NonNullable<InboxOutcome['disposition']>>();

  constructor(private readonly counts: SyncSummary['orders']) {}

  add(outcome: InboxOutcome): void {
    const before = this.content.get(outcome.id);
    if (before === undefined) this.counts.seen++;
    if (before === undefined || RANK[outcome.content] > RANK[before]) {
      if (before !== undefined) this.counts[before]--;
      this.counts[outcome.content]++;
      this.content.set(outcome.id, outcome.content);
    }
    if (!outcome.disposition) return;
    const previous = this.disposition.get(outcome.id);
    if (previous && previous !== 'kept') this.counts[DISPOSITION_COUNT[previous]]--;
    if (outcome.disposition !== 'kept') this.counts[DISPOSITION_COUNT[outcome.disposition]]++;
    this.disposition.set(outcome.id, outcome.disposition);
  }
}

/**
 * Yields what `source` yields, asking it for the next item as soon as one is handed out: the store
 * prepares the next page while this one is stored. Only reading runs ahead; the caller still
 * stores pages (and moves the cursor) one after the other, so a failure loses nothing. A failed
 * read-ahead surfaces when its turn comes.
 */
export async function* readAhead<T>(source: AsyncIterable<T>): AsyncGenerator<T> {
  const iterator = source[Symbol.asyncIterator]();
  let next = iterator.next();
  try {
    for (;;) {
      const result = await next;
      if (result.done) return;
      next = iterator.next();
      next.catch(() => undefined);
      yield result.value;
    }
  } finally {
    // The caller stopped early (a failed page): the source is closed once its read finishes.
    void iterator.return?.(undefined)?.catch(() => undefined);
  }
}

/**
 * The poll stage: pages through orders modified since the cursor (minus an overlap window), stores
 * each page in the inbox and moves the cursor in the same transaction, then fetches the profiles
 * of the logged-in buyers in batches. A failure leaves the cursor at the last page stored.
 */
export async function pollOrders(run: SyncRun): Promise<void> {
  const { db, client, clock, logger, storeId } = run.deps;
  const summary = run.summary;
  const cursor = await readOrdersCursor(db);
  const overlapMs = run.deps.overlapMs ?? DEFAULT_OVERLAP_MS;
  if (cursor && cursor.store !== storeId) throw new StoreMismatchError(cursor.store, storeId);
  let start: Date;
  if (run.deps.since) start = run.deps.since;
  else if (cursor) start = new Date(Date.parse(cursor.modifiedAfter) - overlapMs);
  else throw new FirstSyncNeedsStartError();
  summary.cursor.from = start.toISOString();

  const customers = new CustomerFetchQueue({ db, client, clock, logger, profileMetaKey: run.settings.profileMetaKey });
  // Profiles a failed run did not get to fetch.
  customers.add(await listPendingCustomerIds(db));
  const tally = new OutcomeTally(summary.orders);
  const noteCustomers = () => {
    summary.customers = { fetched: customers.fetchedCount, missing: customers.missingCount };
    addProblems(summary, customers.problems.splice(0));
  };
  const requestsAtStart = client.requestCount;

  const storePage = async (batch: OrderBatch, cursor: typeof ORDERS_CURSOR | typeof BIN_CURSOR) => {
    const stored = await db.transaction(async (trx) => {
      const result = await storeOrderPage(trx, batch.items, { settings: run.settings, at: clock.now(), actor: 'sync' });
      const next = await advanceOrdersCursor(trx, { modifiedAfter: batch.resumeAfter, store: storeId }, clock.now(), cursor);
      return { result, next };
    });
    if (cursor === ORDERS_CURSOR) summary.cursor.to = stored.next.modifiedAfter;
    summary.pages++;
    // Counted page by page, so the summary of a run that fails later still says what it stored.
    for (const o of stored.result.outcomes) tally.add(o);
    summary.orders.skipped += stored.result.skipped;
    addProblems(summary, stored.result.problems);
    customers.add(stored.result.pendingCustomerIds);
    await customers.flush(false);
    noteCustomers();
    summary.storeRequests = client.requestCount - requestsAtStart;
    if (cursor === ORDERS_CURSOR) {
      run.deps.onProgress?.({ ordersSeen: summary.orders.seen, estimatedTotal: batch.estimatedTotal, pages: summary.pages });
    }
    await run.heartbeat();
  };

  const paging = { logger, sleep: run.deps.sleep, now: () => clock.now() };
  for await (const batch of readAhead(pageOrdersByModified(client, { ...paging, after: start }))) await storePage(batch, ORDERS_CURSOR);

  // An order moved to the bin leaves the store's listing, so the bin is read on its own (usually
  // one empty page) with its own cursor: one deleted before it settled is then never exported,
  // one deleted after its export is flagged for a person. Read after the listing, so an order
  // binned while the listing was read is in it; a failure here leaves the bin's cursor at the last
  // page stored, like the listing's.
  const bin = run.deps.since ? undefined : await readOrdersCursor(db, BIN_CURSOR);
  const binStart = bin && bin.store === storeId ? new Date(Date.parse(bin.modifiedAfter) - overlapMs) : start;
  for await (const batch of readAhead(pageOrdersByModified(client, { ...paging, after: binStart, status: 'trash' }))) {
    if (batch.items.length > 0) await storePage(batch, BIN_CURSOR);
  }
  // The bin was read to its end after the listing: every order binned before the listing's cursor
  // has been seen, so the bin's cursor moves up to it (an empty bin would otherwise never move it).
  if (summary.cursor.to) {
    const listed = new Date(summary.cursor.to);
    await db.transaction((trx) => advanceOrdersCursor(trx, { modifiedAfter: listed, store: storeId }, clock.now(), BIN_CURSOR));
  }
  await customers.flush(true);
  noteCustomers();

  const o = summary.orders;
  summary.storeRequests = client.requestCount - requestsAtStart;
  summary.stages.poll = { ...o, pages: summary.pages, customersFetched: customers.fetchedCount };
}
