import { leaseHolder, newWorkerId, releaseLease, renewLease, takeLease } from '../db/leases.ts';
import { countOrdersByState } from '../db/order-queries.ts';
import { writeLastPoll } from '../db/poll-status.ts';
import { AppError } from '../domain/errors.ts';
import { getSettings } from '../settings/store.ts';
import { pollOrders } from './poll-orders.ts';
import { emptySummary, type SyncSummary } from './sync-summary.ts';
import type { SyncDeps, SyncRun, SyncStage } from './sync-run.ts';

// The types of a sync live beside it (the stages import them); callers of runSync find them here too.
export type { PollProgress, SyncDeps, SyncRun, SyncStage } from './sync-run.ts';

/**
 * The stages of one sync, in order. Later stages are one line each here, e.g.
 * `{ name: 'process', run: processSettledOrders }` (allocate → render → queue) and
 * `{ name: 'deliver', run: deliverBatches }`; each reports counts in `summary.stages[name]`.
 */
export const SYNC_STAGES: readonly SyncStage[] = [{ name: 'poll', run: pollOrders }];

export const SYNC_LEASE = 'lease.sync';
const DEFAULT_LEASE_TTL_MS = 10 * 60_000;

/** A run that failed: carries the summary of what it did before failing. */
export class SyncFailedError extends AppError {
  constructor(
    readonly summary: SyncSummary,
    cause: unknown,
  ) {
    const app = cause instanceof AppError ? cause : undefined;
    super(app?.code ?? 'SYNC_FAILED', cause instanceof Error ? cause.message : String(cause), app?.status ?? 500, app?.details ?? {});
  }
}

export class SyncAlreadyRunningError extends AppError {
  constructor(holder: { owner: string; expiresAt: string } | undefined) {
    super(
      'SYNC_RUNNING',
      `another sync is running${holder ? ` (${holder.owner}, lease until ${holder.expiresAt})` : ''}; this one did nothing`,
      409,
    );
  }
}

/** One sync: poll → inbox → the later stages, under a lease so two never overlap. */
export async function runSync(deps: SyncDeps): Promise<SyncSummary> {
  const started = deps.clock.now();
  const summary = emptySummary(deps.storeId, started);
  const owner = deps.owner ?? newWorkerId();
  const requestsAtStart = deps.client.requestCount;
  const lease = () => ({ name: SYNC_LEASE, owner, ttlMs: deps.leaseTtlMs ?? DEFAULT_LEASE_TTL_MS, now: deps.clock.now() });
  const finish = async () => {
    const finished = deps.clock.now();
    summary.finishedAt = finished.toISOString();
    summary.durationMs = finished.getTime() - started.getTime();
    summary.storeRequests = deps.client.requestCount - requestsAtStart;
    try {
      summary.inbox = await countOrdersByState(deps.db);
    } catch {
      // The counts are a courtesy; a failing database has already failed the run.
    }
  };
  if (!(await takeLease(deps.db, lease()))) {
    const error = new SyncAlreadyRunningError(await leaseHolder(deps.db, SYNC_LEASE, deps.clock.now()));
    summary.error = { code: error.code, message: error.message };
    await finish();
    throw new SyncFailedError(summary, error);
  }
  const heartbeat = async () => {
    if (!(await renewLease(deps.db, lease()))) throw new SyncAlreadyRunningError(await leaseHolder(deps.db, SYNC_LEASE, deps.clock.now()));
  };
  try {
    const run: SyncRun = { deps, settings: deps.settings ?? (await getSettings(deps.db)), summary, heartbeat };
    for (const stage of deps.stages ?? SYNC_STAGES) {
      deps.logger.debug({ stage: stage.name }, 'sync stage');
      await stage.run(run);
    }
    summary.ok = true;
  } catch (err) {
    summary.error = { code: err instanceof AppError ? err.code : 'SYNC_FAILED', message: err instanceof Error ? err.message : String(err) };
    deps.logger.error({ code: summary.error.code, message: summary.error.message }, 'sync failed');
    await finish();
    throw new SyncFailedError(summary, err);
  } finally {
    await releaseLease(deps.db, SYNC_LEASE, owner, deps.clock.now()).catch(() => undefined);
  }
  await finish();
  // What the dashboard and /metrics show as the last successful poll.
  await writeLastPoll(deps.db, { at: new Date(summary.finishedAt), durationMs: summary.durationMs, orders: summary.orders.seen }).catch(
    (err) => deps.logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'could not record the last successful poll'),
  );
  deps.logger.info(
    { orders: summary.orders, pages: summary.pages, storeRequests: summary.storeRequests, ms: summary.durationMs },
    'sync finished',
  );
  return summary;
}
