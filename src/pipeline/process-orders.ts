import path from 'node:path';
import type { Knex } from 'knex';
import { describeDbError } from '../db/db-errors.ts';
import type { Clock } from '../domain/clock.ts';
import type { Settings } from '../settings/schema.ts';
import { deliverToFolder } from './deliver-to-folder.ts';
import { exportRefunds } from './export-refunds.ts';
import { processChunk, type ProcessOutcome } from './process-chunk.ts';
import type { SyncRun, SyncStage } from './sync-run.ts';
import { selectSettledOrders, type SettledOrder } from './settle.ts';
import { addProblems, MAX_LISTED_FILES } from './sync-summary.ts';

/**
 * One settled order, in one transaction: allocate its Sage account (reserving a new one if the
 * rules say so), then queue its documents. If the documents cannot be written (an unmapped tax
 * rate, totals Sage cannot reproduce…) the order is held with that reason; the allocation stays.
 * An order whose content changed since it was selected is left for the next run. One event records
 * the allocation and the queueing together (its reason names both).
 */
export async function processSettledOrder(
  db: Knex,
  settled: Pick<SettledOrder, 'id' | 'contentHash' | 'payload'>,
  context: { settings: Settings; clock: Clock; actor: string },
): Promise<ProcessOutcome> {
  const [outcome] = await processChunk(db, [settled], context);
  return outcome!;
}

/** Orders per transaction in the sync: big enough to amortise a commit, small enough to retry. */
export const PROCESS_CHUNK_SIZE = 200;

/**
 * The sync stage after the poll: every settled order is allocated and queued (or held with its
 * reason), a chunk of orders per transaction, oldest first. A chunk that fails is rolled back and
 * its orders are processed one by one, so one bad order never stops the others: its error is
 * listed and it stays where it was.
 */
export async function processSettledOrders(run: SyncRun): Promise<void> {
  const { db, clock, logger } = run.deps;
  const counts: Record<string, number> = { queued: 0, held: 0, failed: 0 };
  const context = { settings: run.settings, clock, actor: 'sync' };
  const record = (result: ProcessOutcome) => {
    const key = result.outcome === 'waiting' ? WAITING_FOR_SAGE_ACCOUNTS : result.outcome;
    counts[key] = (counts[key] ?? 0) + 1;
    if (result.rule) counts[`rule ${result.rule}`] = (counts[`rule ${result.rule}`] ?? 0) + 1;
    if (result.outcome === 'held') addProblems(run.summary, [{ orderId: result.orderId, reason: result.reason }]);
    if (result.flagged) {
      counts.flagged = (counts.flagged ?? 0) + 1;
      addProblems(run.summary, [{ orderId: result.orderId, reason: result.flagged }]);
    }
  };
  const chunkSize = run.deps.processChunkSize ?? PROCESS_CHUNK_SIZE;
  // The next chunk is read while this one is processed: it lies after this one (keyset), so this
  // chunk's writes cannot change it, and each order is checked again inside its transaction.
  const select = (after: SettledOrder | undefined) => {
    const next = selectSettledOrders(db, run.settings, clock, chunkSize, after);
    next.catch(() => undefined);
    return next;
  };
  let upcoming = select(undefined);
  for (;;) {
    const chunk = await upcoming;
    if (chunk.length === 0) break;
    upcoming = select(chunk.at(-1));
    let results: ProcessOutcome[] | undefined;
    try {
      results = await processChunk(db, chunk, context);
    } catch (err) {
      // The database's own words: a driver's message holds the whole statement and its values.
      logger.warn({ orders: chunk.length, err: describeDbError(err) }, 'chunk failed; processing its orders one by one');
    }
    if (results) results.forEach(record);
    else {
      for (const settled of chunk) {
        try {
          record(await processSettledOrder(db, settled, context));
        } catch (err) {
          counts.failed! += 1;
          const reason = describeDbError(err);
          logger.error({ orderId: settled.id, err: reason }, 'order could not be processed');
          addProblems(run.summary, [{ orderId: settled.id, reason: `not processed: ${reason}` }]);
        }
      }
    }
    await run.heartbeat();
  }
  run.summary.stages.process = counts;
  const waiting = counts[WAITING_FOR_SAGE_ACCOUNTS] ?? 0;
  if (waiting > 0) run.summary.notices.push(sageAccountsNotice(waiting));
}

const WAITING_FOR_SAGE_ACCOUNTS = 'waiting for Sage customers';

/** What an owner must do before orders that need a new account can go. */
export function sageAccountsNotice(orders: number): string {
  return (
    `${orders} order(s) need a new Sage account and wait: import your Sage customers first ` +
    '(woo-sage accounts import FILE.xml, or woo-sage accounts import --empty if Sage has no customers yet); the next sync then takes them'
  );
}

/** The delivery stage: queued documents to OUTBOX_DIR (skipped when the run has no outbox folder). */
export async function deliverQueuedDocuments(run: SyncRun): Promise<void> {
  const outboxDir = run.deps.outboxDir;
  if (!outboxDir) return;
  const report = await deliverToFolder(run.deps.db, { outboxDir, modes: run.deps.outboxModes, clock: run.deps.clock });
  run.summary.stages.deliver = {
    documents: report.documents,
    files: report.batches.reduce((n, b) => n + b.files.length, 0),
    errors: report.errors.length,
    rejected: report.rejected.length,
  };
  const files = report.batches.flatMap((b) => b.files);
  run.summary.outbox = { dir: path.resolve(outboxDir), filesWritten: files.length, files: files.slice(0, MAX_LISTED_FILES) };
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
