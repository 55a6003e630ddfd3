import type { Knex } from 'knex';
import type { Clock } from '../domain/clock.ts';
import type { Logger } from '../log/logger.ts';
import { deliverToFolder } from '../pipeline/deliver-to-folder.ts';
import type { ChannelSecrets } from '../notify/channels.ts';
import { runNotifications } from '../pipeline/notify-problems.ts';
import { runSync, SyncFailedError } from '../pipeline/run-sync.ts';
import { ALL_STAGES } from '../pipeline/stages.ts';
import { getSettings } from '../settings/store.ts';
import type { WooClient } from '../woo/client.ts';
import type { ScheduledJob } from './scheduler.ts';
import type { OutboxModes } from '../pipeline/outbox-files.ts';

export interface ServiceJobDeps {
  db: Knex;
  client: WooClient;
  clock: Clock;
  logger: Logger;
  storeId: string;
  outboxDir: string;
  outboxModes?: OutboxModes;
  /** Where the very first sync of this database starts (later runs continue from the cursor). */
  since?: Date;
  /** Identifies this instance in leases and delivery claims. */
  owner: string;
  leaseTtlMs?: number;
  /** SMTP password and webhook address for the notification digests (from the environment). */
  notifySecrets?: ChannelSecrets;
}

/** Notifications are checked every minute; settings.notifyEveryMinutes spaces the digests themselves. */
export const NOTIFY_SCHEDULE = '* * * * *';

/**
 * The scheduled work of `serve`, both on `pollSchedule`:
 * - `sync`: poll → allocate → queue → deliver → write-back, under the sync lease, so with several
 *   instances on one MySQL exactly one polls at a time and another takes over when it dies;
 * - `deliver`: every instance also delivers queued documents, claiming them with SKIP LOCKED, so
 *   delivery continues while the poller is busy or gone;
 * - `notify`: every minute, under its own lease, a digest of new order problems when one is due and
 *   the retries of digests not yet sent. A job of its own, so a slow mail server never holds up a sync.
 */
export function serviceJobs(deps: ServiceJobDeps): ScheduledJob[] {
  const pollSchedule = async () => (await getSettings(deps.db)).pollSchedule;
  let warnedFirstSync = false;
  return [
    {
      name: 'sync',
      schedule: pollSchedule,
      async run() {
        try {
          await runSync({
            db: deps.db,
            client: deps.client,
            clock: deps.clock,
            logger: deps.logger,
            storeId: deps.storeId,
            since: deps.since,
            outboxDir: deps.outboxDir,
            outboxModes: deps.outboxModes,
            owner: deps.owner,
            leaseTtlMs: deps.leaseTtlMs,
            stages: ALL_STAGES,
          });
        } catch (err) {
          if (!(err instanceof SyncFailedError)) throw err;
          if (err.code === 'SYNC_RUNNING') {
            deps.logger.debug('another instance holds the sync lease; this one only delivers');
          } else if (err.code === 'FIRST_SYNC_NEEDS_SINCE') {
            if (!warnedFirstSync) {
              deps.logger.warn(
                'no orders synced yet: start serve with --since DATE (or run `woo-sage sync --since DATE` once) to say how far back to read',
              );
            }
            warnedFirstSync = true;
          }
          // Other failures were logged by runSync with their reason; the next tick tries again.
        }
      },
    },
    {
      name: 'deliver',
      schedule: pollSchedule,
      async run() {
        const report = await deliverToFolder(deps.db, {
          outboxDir: deps.outboxDir,
          modes: deps.outboxModes,
          clock: deps.clock,
          workerId: deps.owner,
          leaseMs: deps.leaseTtlMs,
        });
        if (report.documents > 0) deps.logger.info({ documents: report.documents, batches: report.batches.length }, 'documents delivered');
        for (const error of report.errors) {
          deps.logger.error({ batchId: error.batchId, error: error.message, retryAt: error.retryAt }, 'delivery failed');
          for (const jobId of error.failedJobs) deps.logger.child({ jobId, batchId: error.batchId }).error('document failed for good');
        }
        for (const rejected of report.rejected)
          deps.logger.child({ jobId: rejected.jobId }).error({ problem: rejected.problem }, 'document rejected');
      },
    },
    {
      name: 'notify',
      schedule: () => NOTIFY_SCHEDULE,
      async run() {
        try {
          await runNotifications({
            db: deps.db,
            clock: deps.clock,
            logger: deps.logger,
            secrets: deps.notifySecrets ?? {},
            owner: deps.owner,
          });
        } catch (err) {
          // The database itself failed; the next minute tries again. Failed sends were logged per channel.
          deps.logger.error({ error: err instanceof Error ? err.message : String(err) }, 'notifications could not be checked');
        }
      },
    },
  ];
}
