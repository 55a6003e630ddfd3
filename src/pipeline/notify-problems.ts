import type { Knex } from 'knex';
import { acquireLease, releaseLease, renewLease } from '../db/leases.ts';
import { currentProblems, dueDeliveries, lastDigestAt, recordDeliveryAttempt, recordDigest, untoldProblems } from '../db/notifications.ts';
import type { Clock } from '../domain/clock.ts';
import { backoffDelay, canRetry, NOTIFY_RETRY_POLICY, type RetryPolicy } from '../domain/retry-policy.ts';
import type { Logger } from '../log/logger.ts';
import { configuredChannels, type ChannelName, type ChannelSecrets } from '../notify/channels.ts';
import { buildDigest } from '../notify/digest-text.ts';
import { getSettings } from '../settings/store.ts';

/** Held by the instance that notifies, so several instances on one database never send a digest twice. */
export const NOTIFY_LEASE = 'lease.notify';

export interface NotifyDeps {
  db: Knex;
  clock: Clock;
  logger: Logger;
  secrets: ChannelSecrets;
  /** Identifies this instance in the lease. */
  owner: string;
  leaseTtlMs?: number;
  retryPolicy?: RetryPolicy;
  random?: () => number;
}

export interface NotifyReport {
  /** Why nothing was done: another instance is notifying, or no channel is set up. */
  skipped?: 'another-instance' | 'no-channel';
  /** The digest written this time, and how many problems it tells. */
  digest?: { id: number; problems: number };
  sent: Array<{ digestId: number; channel: ChannelName }>;
  failed: Array<{ digestId: number; channel: ChannelName; error: string; retryAt: string | null }>;
}

/**
 * One round of notifications: when the last digest is at least notifyEveryMinutes old, the order
 * problems nobody has been told about become a new digest (recorded with the problems it tells in
 * one transaction, before anything is sent); then every delivery due is sent, each channel on its
 * own, a failed one tried again after a backoff. Sending happens after the commit, so a crash
 * in between sends a digest again rather than never; the problems are not told in another digest.
 */
export async function runNotifications(deps: NotifyDeps): Promise<NotifyReport> {
  const { db, clock, logger } = deps;
  const ttlMs = deps.leaseTtlMs ?? 5 * 60_000;
  const report: NotifyReport = { sent: [], failed: [] };
  const lease = () => ({ name: NOTIFY_LEASE, owner: deps.owner, ttlMs, now: clock.now() });
  if (!(await acquireLease(db, lease()))) return { ...report, skipped: 'another-instance' };
  try {
    const settings = await getSettings(db);
    const channels = configuredChannels(settings, deps.secrets);
    const now = clock.now();
    if (channels.length > 0) {
      const last = await lastDigestAt(db);
      if (last === undefined || Date.parse(last) + settings.notifyEveryMinutes * 60_000 <= now.getTime()) {
        const untold = await untoldProblems(db, await currentProblems(db));
        if (untold.length > 0) {
          const text = buildDigest(untold, settings.notifyLinkBaseUrl);
          const id = await recordDigest(db, { at: now, text, problems: untold, channels: channels.map((c) => c.name) });
          if (id !== undefined) report.digest = { id, problems: untold.length };
        }
      }
    } else {
      report.skipped = 'no-channel';
    }
    for (const delivery of await dueDeliveries(db, now)) {
      // A lease lost while sending (a very slow server) leaves the rest to whoever holds it now.
      if (!(await renewLease(db, lease()))) break;
      const log = logger.child({ digestId: delivery.digestId, channel: delivery.channel, attempt: delivery.attempts + 1 });
      const channel = channels.find((c) => c.name === delivery.channel);
      try {
        if (!channel) throw new Error(`${delivery.channel}: no longer set up in the settings or environment`);
        await channel.send(delivery.text);
        await recordDeliveryAttempt(db, delivery, { at: clock.now(), sent: true });
        report.sent.push({ digestId: delivery.digestId, channel: delivery.channel });
        log.info('notification sent');
      } catch (err) {
        const error = err instanceof Error ? err.message : String(err);
        const policy = deps.retryPolicy ?? NOTIFY_RETRY_POLICY;
        const attempts = delivery.attempts + 1;
        const retryAt =
          channel && canRetry(policy, attempts)
            ? new Date(clock.now().getTime() + backoffDelay(policy, attempts, deps.random ?? Math.random))
            : null;
        await recordDeliveryAttempt(db, delivery, { at: clock.now(), sent: false, error, retryAt });
        report.failed.push({ digestId: delivery.digestId, channel: delivery.channel, error, retryAt: retryAt?.toISOString() ?? null });
        if (retryAt) log.warn({ error, retryAt: retryAt.toISOString() }, 'notification not sent; trying again later');
        else log.error({ error }, 'notification not sent, and given up: the problems it told are on the dashboard');
      }
    }
    return report;
  } finally {
    await releaseLease(db, NOTIFY_LEASE, deps.owner, clock.now());
  }
}
