import type { Knex } from 'knex';
import type { Clock } from '../domain/clock.ts';
import { DELIVERY_RETRY_POLICY, type RetryPolicy } from '../domain/retry-policy.ts';
import { claimJobs } from '../db/claim-jobs.ts';
import {
  completeBatch,
  findBatch,
  leaseBatch,
  listUnfinishedFolderBatches,
  markBatchStaged,
  postponeBatch,
  type ExportBatch,
} from '../db/export-batches.ts';
import { listJobsOfBatch, type ExportJob } from '../db/export-jobs.ts';
import { releaseLapsedOffers } from '../db/lapsed-offers.ts';
import { rejectJobsOfBatch, releaseOpenBatch } from '../db/release-batch.ts';
import { newWorkerId } from '../db/leases.ts';
import { checkDocument } from '../sage/check-document.ts';
import { wrapCompany } from '../sage/company-xml.ts';
import {
  discardStaged,
  prepareOutbox,
  publishStaged,
  stagingDir,
  sweepAbandonedTemporaries,
  writeFileDurably,
  type OutboxModes,
} from './outbox-files.ts';

/** Points between the steps of a delivery; tests throw here to simulate a crash at each one. */
export type DeliveryStep = 'claimed' | 'staged-file' | 'staged' | 'published-file' | 'completed';

export interface DeliverOptions {
  outboxDir: string;
  /** Permissions of the files and folders written (default 0640 / 0750). */
  modes?: OutboxModes;
  clock: Clock;
  /** Documents per batch (default 100). */
  maxPerBatch?: number;
  /** Most batches per run (default 1000). */
  maxBatches?: number;
  /** Identifies this process in leases (default host:pid:random). */
  workerId?: string;
  /** How long a batch stays this worker's before another may finish it (default 5 minutes). */
  leaseMs?: number;
  afterStep?: (step: DeliveryStep, detail: { batchId: number; file?: string }) => void | Promise<void>;
  /** How a batch that could not be written is retried (default DELIVERY_RETRY_POLICY). */
  retryPolicy?: RetryPolicy;
  /** The jitter's random draw (tests pin it). */
  random?: () => number;
}

export interface DeliveredBatch {
  id: number;
  name: string;
  files: string[];
  documents: number;
  recovered: boolean;
}

export interface DeliveryError {
  batchId: number;
  message: string;
  /** When the documents are tried again (null: another deliverer has the batch, or none is left to retry). */
  retryAt: string | null;
  /** Jobs failed for good: their attempts are used up, or their document is unusable. */
  failedJobs: number[];
}

export interface DeliveryReport {
  batches: DeliveredBatch[];
  documents: number;
  errors: DeliveryError[];
  /** Jobs failed for good before a file was written (unusable documents). */
  rejected: Array<{ jobId: number; problem: string }>;
}

/** A hook stopped the run (a simulated crash): it is not a delivery error and nothing is recorded. */
class DeliveryAborted extends Error {}

/** Another deliverer took the batch over (this one was too slow): it is theirs to finish. */
class LeaseLostError extends Error {}

async function step(options: DeliverOptions, at: DeliveryStep, detail: { batchId: number; file?: string }): Promise<void> {
  try {
    await options.afterStep?.(at, detail);
  } catch (err) {
    throw new DeliveryAborted(err instanceof Error ? err.message : String(err), { cause: err });
  }
}

export const defaultWorkerId = newWorkerId;

/**
 * Delivers queued documents to the outbox folder, batch by batch, exactly once even across crashes:
 *  1. claim jobs into a batch (committed);
 *  2. write the batch's files complete into the staging folder (temp name, fsync, rename);
 *  3. record the batch as staged (committed) — only now may files become visible;
 *  4. move the files into the outbox by rename, customers first, so the customers file is complete
 *     before the sales-orders file that needs it appears;
 *  5. mark the jobs delivered (committed).
 * A run first finishes batches an earlier run left: an `open` batch is staged again from the
 * database (nothing of it was visible); a `staged` batch moves whatever is still staged (a file no
 * longer staged was moved before the crash and is never written twice).
 */
export async function deliverToFolder(db: Knex, options: DeliverOptions): Promise<DeliveryReport> {
  const workerId = options.workerId ?? defaultWorkerId();
  const leaseMs = options.leaseMs ?? 5 * 60_000;
  const report: DeliveryReport = { batches: [], documents: 0, errors: [], rejected: [] };
  /** Returns whether the run may go on with the next batch. */
  const finish = async (batch: ExportBatch, recovered: boolean) => {
    try {
      const delivered = await finishBatch(db, batch, workerId, options, report);
      report.batches.push({ id: batch.id, name: batch.name, files: delivered.files, documents: delivered.documents, recovered });
      report.documents += delivered.documents;
      return true;
    } catch (err) {
      if (err instanceof DeliveryAborted) throw err;
      const message = err instanceof Error ? err.message : String(err);
      if (err instanceof LeaseLostError) {
        report.errors.push({ batchId: batch.id, message, retryAt: null, failedJobs: [] });
        return true;
      }
      report.errors.push(await backOff(db, batch.id, workerId, message, options));
      // An I/O error (a full disk, a missing folder) would hit the next batch too: stop here; the
      // documents behind were not tried, so they keep their attempts.
      return false;
    }
  };

  await sweepAbandonedTemporaries(options.outboxDir);
  // Documents an importer fetched but never acknowledged come back to this folder.
  await releaseLapsedOffers(db, options.clock.now());
  for (const unfinished of await listUnfinishedFolderBatches(db, options.clock.now())) {
    if (!(await leaseBatch(db, unfinished.id, workerId, options.clock.now(), leaseMs, unfinished.lockedBy))) continue;
    const batch = await findBatch(db, unfinished.id);
    if (batch && !(await finish(batch, true))) return report;
  }

  for (let n = 0; n < (options.maxBatches ?? 1000); n += 1) {
    const claimed = await claimJobs(db, {
      workerId,
      channel: 'folder',
      now: options.clock.now(),
      limit: options.maxPerBatch ?? 100,
      leaseMs,
    });
    if (!claimed) break;
    await step(options, 'claimed', { batchId: claimed.batchId });
    const batch = await findBatch(db, claimed.batchId);
    if (!batch || !(await finish(batch, false))) break;
  }
  return report;
}

/**
 * A batch that failed for a passing reason: nothing of it visible yet → its documents go back to
 * the queue after their backoff (or fail once their attempts are used up); files already staged →
 * the batch itself is finished later, after its backoff.
 */
async function backOff(db: Knex, batchId: number, workerId: string, message: string, options: DeliverOptions): Promise<DeliveryError> {
  const now = options.clock.now();
  const policy = options.retryPolicy ?? DELIVERY_RETRY_POLICY;
  const random = options.random ?? Math.random;
  const error: DeliveryError = { batchId, message, retryAt: null, failedJobs: [] };
  try {
    const batch = await findBatch(db, batchId);
    if (!batch || batch.lockedBy !== workerId) return error;
    if (batch.state === 'open') {
      const released = await releaseOpenBatch(db, { batchId, workerId, message, now, policy, random });
      if (released) {
        error.failedJobs = released.failed;
        error.retryAt = released.retrying.map((r) => r.nextAttemptAt).sort()[0] ?? null;
        if (batch.files.length === 0) await discardStaged(options.outboxDir, plannedNames(batch)).catch(() => undefined);
      }
    } else {
      error.retryAt = await postponeBatch(db, { batchId, workerId, message, now, policy, random });
    }
  } catch {
    // The database failing too: the batch keeps its lease until it runs out, then is finished.
  }
  return error;
}

/** The names a batch's files may have been staged under. */
function plannedNames(batch: Pick<ExportBatch, 'name'>): string[] {
  return FILE_PARTS.map((part) => `${batch.name}-${part.suffix}.xml`);
}

/**
 * The files of a batch, in the order they are moved into the outbox; the names sort the same way:
 * customers, then the sales orders that need them, then the credit notes for refunds.
 */
const FILE_PARTS = [
  { kind: 'customer', suffix: 'customers', section: 'customers' },
  { kind: 'sales_order', suffix: 'sales-orders', section: 'salesOrders' },
  { kind: 'credit_note', suffix: 'sales-refunds', section: 'invoices' },
] as const;

export function batchFiles(batch: Pick<ExportBatch, 'name'>, jobs: readonly ExportJob[]): Array<{ name: string; content: string }> {
  const files: Array<{ name: string; content: string }> = [];
  for (const part of FILE_PARTS) {
    const documents = jobs.filter((j) => j.kind === part.kind).map((j) => j.document);
    if (documents.length > 0) files.push({ name: `${batch.name}-${part.suffix}.xml`, content: wrapCompany({ [part.section]: documents }) });
  }
  return files;
}

async function finishBatch(
  db: Knex,
  batch: ExportBatch,
  workerId: string,
  options: DeliverOptions,
  report: DeliveryReport,
): Promise<{ files: string[]; documents: number }> {
  let files = batch.files;
  if (batch.state === 'open') {
    let jobs = (await listJobsOfBatch(db, batch.id)).filter((j) => j.state === 'claimed');
    const rejects = jobs.flatMap((job) => {
      const problem = checkDocument(job);
      return problem ? [{ jobId: job.id, problem }] : [];
    });
    if (rejects.length > 0) {
      if (!(await rejectJobsOfBatch(db, { batchId: batch.id, workerId, rejects, now: options.clock.now() }))) {
        throw new LeaseLostError(`batch ${batch.name}: lease lost before its documents were checked; another deliverer finishes it`);
      }
      report.rejected.push(...rejects);
      jobs = (await listJobsOfBatch(db, batch.id)).filter((j) => j.state === 'claimed');
    }
    const planned = batchFiles(batch, jobs);
    await prepareOutbox(options.outboxDir, options.modes);
    for (const file of planned) {
      await writeFileDurably(stagingDir(options.outboxDir), file.name, file.content, options.modes);
      await step(options, 'staged-file', { batchId: batch.id, file: file.name });
    }
    files = planned.map((f) => f.name);
    if (!(await markBatchStaged(db, batch.id, workerId, files, options.clock.now()))) {
      // Another deliverer took the batch over (this one was too slow). If it has finished, what
      // this one staged is a stray copy that must never be published.
      if ((await findBatch(db, batch.id))?.state === 'written') await discardStaged(options.outboxDir, files);
      throw new LeaseLostError(`batch ${batch.name}: lease lost before its files were recorded; another deliverer finishes it`);
    }
  }
  await step(options, 'staged', { batchId: batch.id });
  for (const file of files) {
    await publishStaged(options.outboxDir, file);
    await step(options, 'published-file', { batchId: batch.id, file });
  }
  const documents = await completeBatch(db, batch.id, workerId, options.clock.now(), {
    from: 'staged',
    to: 'written',
    actor: 'delivery',
    reason: `delivered to the outbox in ${files.join(', ') || batch.name}`,
  });
  await step(options, 'completed', { batchId: batch.id });
  return { files, documents };
}
