import type { Knex } from 'knex';
import { describeDbError } from '../db/db-errors.ts';
import { transitionOrder } from '../db/order-events.ts';
import { withTransactionRetry } from '../db/transaction-retry.ts';
import type { Rule } from '../domain/allocation/types.ts';
import type { Clock } from '../domain/clock.ts';
import type { Settings } from '../settings/schema.ts';
import { parseOrder } from '../woo/schemas.ts';
import { allocateOrder } from './allocate-order.ts';
import { deliverToFolder } from './deliver-to-folder.ts';
import { exportRefunds } from './export-refunds.ts';
import { queueOrderDocuments } from './queue-documents.ts';
import type { SyncRun, SyncStage } from './run-sync.ts';
import { selectSettledOrders, type SettledOrder } from './settle.ts';
import { addProblems } from './sync-summary.ts';

export interface ProcessOutcome {
  orderId: number;
  /** queued: documents in the outbox; held: a person must act; changed: the order moved on meanwhile. */
  outcome: 'queued' | 'held' | 'already-sent' | 'changed';
  rule: Rule | null;
  accountCode: string | null;
  reason: string;
  warnings: string[];
}

/**
 * One settled order, in one transaction: allocate its Sage account (reserving a new one if the
 * rules say so), then queue its documents. If the documents cannot be written (an unmapped tax
 * rate, totals Sage cannot reproduce…) the order is held with that reason; the allocation stays.
 * An order whose content changed since it was selected is left for the next run.
 */
export async function processSettledOrder(
  db: Knex,
  settled: Pick<SettledOrder, 'id' | 'contentHash' | 'payload'>,
  context: { settings: Settings; clock: Clock; actor: string },
): Promise<ProcessOutcome> {
  const { settings, clock, actor } = context;
  return withTransactionRetry(
    db,
    async (trx) => {
      const current = await trx('orders')
        .where({ id: settled.id, content_hash: settled.contentHash })
        .whereIn('state', ['waiting', 'received'])
        .first('id');
      const base = { orderId: settled.id, rule: null, accountCode: null, warnings: [] };
      if (!current) return { ...base, outcome: 'changed' as const, reason: 'changed since it was selected' };

      const { decision, newAccount } = await allocateOrder(
        trx,
        { id: settled.id, payload: settled.payload as object },
        settings,
        clock,
        actor,
      );
      const decided = { ...base, rule: decision.rule, accountCode: decision.accountCode };
      const parsed = parseOrder(settled.payload);
      if (!decision.accountCode || !parsed.ok) return { ...decided, outcome: 'held' as const, reason: decision.reason };

      const queued = await queueOrderDocuments(trx, {
        orderId: settled.id,
        order: parsed.value,
        accountCode: decision.accountCode,
        newAccount: newAccount ?? null,
        settings,
        clock,
        actor,
      });
      if (queued.status === 'held') {
        await transitionOrder(trx, {
          orderId: settled.id,
          to: 'held',
          reason: queued.hold.message,
          actor,
          at: clock.now(),
          patch: { last_error: queued.hold.message },
        });
        return { ...decided, outcome: 'held' as const, reason: queued.hold.message };
      }
      if (queued.status === 'already-sent')
        return { ...decided, outcome: 'already-sent' as const, reason: `sales order already ${queued.state}` };
      return { ...decided, outcome: 'queued' as const, reason: decision.reason, warnings: queued.warnings };
    },
    { readCommitted: true },
  );
}

/**
 * The sync stage after the poll: every settled order is allocated and queued (or held with its
 * reason). One order failing never stops the others: its error is listed and it stays where it was.
 */
export async function processSettledOrders(run: SyncRun): Promise<void> {
  const { db, clock, logger } = run.deps;
  const counts: Record<string, number> = { queued: 0, held: 0, failed: 0 };
  const tried = new Set<number>();
  for (;;) {
    const batch = (await selectSettledOrders(db, run.settings, clock)).filter((o) => !tried.has(o.id));
    if (batch.length === 0) break;
    for (const settled of batch) {
      tried.add(settled.id);
      try {
        const result = await processSettledOrder(db, settled, { settings: run.settings, clock, actor: 'sync' });
        counts[result.outcome] = (counts[result.outcome] ?? 0) + 1;
        if (result.rule) counts[`rule ${result.rule}`] = (counts[`rule ${result.rule}`] ?? 0) + 1;
        if (result.outcome === 'held') addProblems(run.summary, [{ orderId: result.orderId, reason: result.reason }]);
      } catch (err) {
        counts.failed! += 1;
        const reason = describeDbError(err);
        logger.error({ orderId: settled.id, err: reason }, 'order could not be processed');
        addProblems(run.summary, [{ orderId: settled.id, reason: `not processed: ${reason}` }]);
      }
      await run.heartbeat();
    }
  }
  run.summary.stages.process = counts;
}

/** The delivery stage: queued documents to OUTBOX_DIR (skipped when the run has no outbox folder). */
export async function deliverQueuedDocuments(run: SyncRun): Promise<void> {
  const outboxDir = run.deps.outboxDir;
  if (!outboxDir) return;
  const report = await deliverToFolder(run.deps.db, { outboxDir, clock: run.deps.clock });
  run.summary.stages.deliver = {
    documents: report.documents,
    files: report.batches.reduce((n, b) => n + b.files.length, 0),
    errors: report.errors.length,
    rejected: report.rejected.length,
  };
  addProblems(run.summary, [
    ...report.errors.map((e) => ({
      reason: `delivery of batch ${e.batchId} failed: ${e.message}${e.retryAt ? `; tried again after ${e.retryAt}` : ''}${e.failedJobs.length ? `; ${e.failedJobs.length} document(s) failed after their last attempt` : ''}`,
    })),
    ...report.rejected.map((r) => ({ reason: `document ${r.jobId} not delivered: ${r.problem}` })),
  ]);
}

/**
 * The stages after the poll that turn settled orders into delivered documents. `sync` and `demo`
 * run `[...SYNC_STAGES, ...EXPORT_STAGES]`.
 */
export const EXPORT_STAGES: readonly SyncStage[] = [
  { name: 'process', run: processSettledOrders },
  { name: 'refunds', run: exportRefunds },
  { name: 'deliver', run: deliverQueuedDocuments },
];
