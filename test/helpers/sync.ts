import type { Knex } from 'knex';
import { systemClock, type Clock } from '../../src/domain/clock.ts';
import { silentLogger } from '../../src/log/logger.ts';
import { runSync, SyncFailedError, type SyncDeps } from '../../src/pipeline/run-sync.ts';
import type { SyncSummary } from '../../src/pipeline/sync-summary.ts';
import type { Sandbox } from '../../src/sandbox/sandbox.ts';
import { sandboxClient } from './woo.ts';

/** Empties what a sync writes, so tests in one file do not see each other's orders. */
export async function resetInbox(db: Knex): Promise<void> {
  await db('order_events').del();
  await db('orders').del();
  await db('woo_customers').del();
  await db('sync_state').del();
}

/** Empties what a full sync (poll → process → deliver) writes: the inbox, the outbox tables and the accounts it created. */
export async function resetPipeline(db: Knex): Promise<void> {
  await resetInbox(db);
  await db('export_jobs').del();
  await db('export_batches').del();
  await db('account_code_writebacks').del();
  const created = db('sage_accounts').where({ origin: 'created' }).select('code');
  await db('sage_account_emails').whereIn('account_code', created).del();
  await db('sage_accounts').where({ origin: 'created' }).del();
}

export interface SyncAgainst {
  db: Knex;
  sandbox: Sandbox;
  since?: Date;
  clock?: Clock;
  consumerSecret?: string;
  attempts?: number;
  extra?: Partial<SyncDeps>;
}

/** One sync run against a sandbox; a failed run's error is returned, not thrown. */
export async function syncOnce(o: SyncAgainst): Promise<{ summary: SyncSummary; error?: SyncFailedError }> {
  const { client } = sandboxClient(o.sandbox, { consumerSecret: o.consumerSecret, retry: { attempts: o.attempts ?? 4 } });
  try {
    const summary = await runSync({
      db: o.db,
      client,
      clock: o.clock ?? systemClock,
      logger: silentLogger,
      storeId: o.sandbox.url,
      since: o.since,
      sleep: async () => undefined,
      ...o.extra,
    });
    return { summary };
  } catch (err) {
    if (err instanceof SyncFailedError) return { summary: err.summary, error: err };
    throw err;
  }
}
