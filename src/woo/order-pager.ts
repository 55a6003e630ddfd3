import { silentLogger, type Logger } from '../log/logger.ts';
import { MAX_PER_PAGE, type OrdersPage, type OrdersPageQuery } from './client.ts';
import { WooUnavailableError, WooUnsupportedStoreError } from './errors.ts';
import { wooGmtToIso } from './schemas.ts';

export interface OrdersSource {
  fetchOrdersPage(query: OrdersPageQuery): Promise<OrdersPage>;
}

export interface OrderBatch {
  /** Raw orders as the store sent them. The same order may come again in a later batch. */
  items: unknown[];
  /** Restarting with modified_after = this instant loses nothing read so far: the cursor to store. */
  resumeAfter: Date;
  /** X-WP-Total of the first request: how many orders were modified after the start. */
  estimatedTotal: number | undefined;
}

export interface PagerOptions {
  /** Read orders modified strictly after this instant. */
  after: Date;
  perPage?: number;
  logger?: Logger;
  sleep?: (ms: number) => Promise<void>;
  now?: () => Date;
  /** Re-reads of a tied second allowed when its orders keep changing under us. */
  maxTieRestarts?: number;
  /** Page through the orders in the bin instead (the store's default listing leaves them out). */
  status?: 'trash';
}

const SECOND = 1000;

/** An order's date_modified_gmt in whole epoch seconds, or undefined when unreadable. */
export function modifiedSecondOf(raw: unknown): number | undefined {
  const text = (raw as { date_modified_gmt?: unknown } | null)?.date_modified_gmt;
  if (typeof text !== 'string') return undefined;
  const iso = wooGmtToIso(text);
  return iso === undefined ? undefined : Math.floor(Date.parse(iso) / SECOND);
}

const atSecond = (sec: number) => new Date(sec * SECOND);

/**
 * Every order modified after `after`, exactly as needed to survive ties and concurrent edits.
 *
 * Keyset paging, not page numbers: each request asks for the first page of orders modified after
 * the last second fully read. WooCommerce times have one-second resolution and orders tie, so the
 * boundary second is re-read each time (duplicates are harmless: the inbox ignores unchanged
 * orders). An order edited while we page gets a new, later time and comes at the end; nothing
 * unedited ever shifts, so nothing is skipped, which page-number paging cannot promise.
 *
 * When a whole page shares one second (a bulk edit), that second is read on its own, ordered by
 * id, with page numbers. Only orders leaving the second (edited now) can shift those pages, and
 * they also lower X-WP-Total, so a changed total re-reads the second. Orders can only enter a
 * second while it is the store's current one, so the store's clock must have passed it first.
 */
export async function* pageOrdersByModified(source: OrdersSource, options: PagerOptions): AsyncGenerator<OrderBatch> {
  const perPage = options.perPage ?? MAX_PER_PAGE;
  const logger = options.logger ?? silentLogger;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const now = options.now ?? (() => new Date());
  let after = Math.floor(options.after.getTime() / SECOND);
  let estimatedTotal: number | undefined;
  let first = true;
  let serverTime: Date | undefined;
  const status = options.status ? { status: options.status } : {};

  for (;;) {
    const page = await source.fetchOrdersPage({ modifiedAfter: atSecond(after), orderby: 'modified', page: 1, perPage, ...status });
    serverTime = page.serverTime ?? serverTime;
    if (first) estimatedTotal = page.total;
    first = false;
    const seconds = page.items.map(modifiedSecondOf).filter((s): s is number => s !== undefined);
    checkKeysetPage(seconds, after);
    if (page.items.length < perPage) {
      const last = seconds.length ? Math.max(...seconds) - 1 : after;
      yield { items: page.items, resumeAfter: atSecond(Math.max(after, last)), estimatedTotal };
      return;
    }
    if (seconds.length === 0) {
      throw new WooUnsupportedStoreError(
        'the store sent a full page of orders without a readable date_modified_gmt; cannot page by modification time',
      );
    }
    const lowest = seconds[0]!;
    const highest = seconds[seconds.length - 1]!;
    if (lowest === highest) {
      serverTime = yield* readTiedSecond(highest);
      after = highest;
    } else {
      yield { items: page.items, resumeAfter: atSecond(highest - 1), estimatedTotal };
      after = highest - 1;
    }
  }

  async function* readTiedSecond(sec: number): AsyncGenerator<OrderBatch, Date | undefined> {
    let clock = serverTime;
    for (let wait = 0; wait < 3 && Math.floor((clock ?? now()).getTime() / SECOND) <= sec; wait++) {
      // The second is still the store's present: orders may yet join it.
      await sleep(Math.min(5 * SECOND, (sec + 1) * SECOND - (clock ?? now()).getTime() + SECOND));
      clock = undefined;
    }
    const maxRestarts = options.maxTieRestarts ?? 20;
    for (let pass = 0; ; pass++) {
      let baseline: number | undefined;
      let shifted = false;
      for (let pageNo = 1; ; pageNo++) {
        const page = await source.fetchOrdersPage({
          modifiedAfter: atSecond(sec - 1),
          modifiedBefore: atSecond(sec + 1),
          orderby: 'id',
          page: pageNo,
          perPage,
          ...status,
        });
        clock = page.serverTime ?? clock;
        const seconds = page.items.map(modifiedSecondOf).filter((s): s is number => s !== undefined);
        if (seconds.some((s) => s !== sec)) {
          throw new WooUnsupportedStoreError('the store ignores modified_before (WooCommerce 5.8 or newer is needed)');
        }
        if (pageNo === 1) baseline = page.total;
        else if (page.total !== undefined && baseline !== undefined && page.total !== baseline) shifted = true;
        if (shifted) break;
        yield { items: page.items, resumeAfter: atSecond(sec - 1), estimatedTotal };
        if (page.items.length < perPage) break;
      }
      if (!shifted) return clock;
      if (pass >= maxRestarts) {
        throw new WooUnavailableError(`orders modified at ${atSecond(sec).toISOString()} kept changing while being read; try again`, {});
      }
      logger.info({ second: atSecond(sec).toISOString(), pass }, 'orders left a tied second while it was read; reading it again');
    }
  }
}

function checkKeysetPage(seconds: number[], after: number): void {
  if (seconds.some((s) => s <= after)) {
    throw new WooUnsupportedStoreError(
      'the store ignores modified_after (it returned orders modified before the date asked for); WooCommerce 5.8 or newer is needed',
    );
  }
  for (let i = 1; i < seconds.length; i++) {
    if (seconds[i]! < seconds[i - 1]!) {
      throw new WooUnsupportedStoreError('the store does not sort orders by modification time (orderby=modified); cannot page safely');
    }
  }
}
