import type { Knex } from 'knex';
import type { Clock } from '../domain/clock.ts';
import type { Logger } from '../log/logger.ts';
import { clearCustomerPending, upsertWooCustomers } from '../db/woo-customers.ts';
import { MAX_PER_PAGE, type WooClient } from '../woo/client.ts';
import type { SyncProblem } from './sync-summary.ts';

/**
 * Customer profiles for the orders waiting on them, fetched in batches of up to 100 ids
 * (`customers?include=…`), never one request per order. Ids already fetched in this run are not
 * fetched again. Each batch is stored with the orders' pending flag cleared in one transaction.
 */
export class CustomerFetchQueue {
  private readonly pending = new Set<number>();
  private readonly fetched = new Set<number>();
  /** Fetched earlier in this run: their new orders only need the pending flag cleared. */
  private readonly refetchNotNeeded = new Set<number>();
  fetchedCount = 0;
  missingCount = 0;
  readonly problems: SyncProblem[] = [];

  constructor(private readonly deps: { db: Knex; client: WooClient; clock: Clock; logger: Logger; profileMetaKey: string }) {}

  add(ids: Iterable<number>): void {
    for (const id of ids) {
      if (id <= 0) continue;
      if (this.fetched.has(id)) this.refetchNotNeeded.add(id);
      else this.pending.add(id);
    }
  }

  /** Fetches full batches now; with `all`, the remainder too. */
  async flush(all: boolean): Promise<void> {
    if (this.refetchNotNeeded.size > 0) {
      await clearCustomerPending(this.deps.db, [...this.refetchNotNeeded]);
      this.refetchNotNeeded.clear();
    }
    while (this.pending.size >= MAX_PER_PAGE || (all && this.pending.size > 0)) {
      const batch = [...this.pending].slice(0, MAX_PER_PAGE);
      const result = await this.deps.client.fetchCustomers(batch);
      await this.deps.db.transaction(async (trx) => {
        await upsertWooCustomers(trx, result.customers, this.deps.profileMetaKey, this.deps.clock.now());
        await clearCustomerPending(trx, batch);
      });
      for (const id of batch) {
        this.pending.delete(id);
        this.fetched.add(id);
      }
      this.fetchedCount += result.customers.length;
      this.missingCount += result.missing.length;
      for (const id of result.missing) {
        this.problems.push({ customerId: id, reason: 'no longer exists in WooCommerce; its orders are allocated without a profile code' });
      }
      for (const bad of result.invalid) this.problems.push({ customerId: bad.id, reason: `profile could not be read: ${bad.reason}` });
      this.deps.logger.debug({ customers: batch.length, missing: result.missing.length }, 'customer profiles fetched');
    }
  }
}
