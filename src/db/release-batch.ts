import type { Knex } from 'knex';
import { toUtcIso } from '../domain/clock.ts';
import { backoffDelay, canRetry, type RetryPolicy } from '../domain/retry-policy.ts';
import { failJobs, jobToFail } from './fail-jobs.ts';
import { withTransactionRetry } from './transaction-retry.ts';

export interface ReleaseRequest {
  batchId: number;
  workerId: string;
  /** Why the batch could not be written (the I/O error). */
  message: string;
  now: Date;
  policy: RetryPolicy;
  random: () => number;
}

export interface ReleaseOutcome {
  /** Jobs back in the queue, each with when it is tried again. */
  retrying: Array<{ jobId: number; nextAttemptAt: string }>;
  /** Jobs that had used their attempts: failed for a person. */
  failed: number[];
}

/**
 * A folder batch that failed before its files were recorded as staged (nothing of it is visible)
 * is taken apart: each job goes back to the queue to be tried after its backoff, or fails once it
 * has used its attempts (`max_attempts`, the policy's limit when it was queued), and the batch row
 * goes. Only while this worker holds the lease; null when another deliverer has taken it over.
 */
export async function releaseOpenBatch(db: Knex, request: ReleaseRequest): Promise<ReleaseOutcome | null> {
  const { batchId, workerId, now } = request;
  const message = request.message.slice(0, 2000);
  return withTransactionRetry(db, async (trx) => {
    const batch = await trx('export_batches').where({ id: batchId, locked_by: workerId, state: 'open' }).first('id');
    if (!batch) return null;
    const rows = await trx('export_jobs').where({ batch_id: batchId, state: 'claimed' }).orderBy('id', 'asc');
    const outcome: ReleaseOutcome = { retrying: [], failed: [] };
    const exhausted: Record<string, unknown>[] = [];
    for (const row of rows) {
      const attempts = Number(row.attempts);
      const limit = Math.min(Number(row.max_attempts), request.policy.attempts);
      if (!canRetry({ attempts: limit }, attempts)) {
        exhausted.push(row);
        continue;
      }
      const nextAttemptAt = toUtcIso(new Date(now.getTime() + backoffDelay(request.policy, attempts, request.random)));
      await trx('export_jobs')
        .where({ id: row.id })
        .update({
          state: 'queued',
          batch_id: null,
          locked_by: null,
          locked_until: null,
          next_attempt_at: nextAttemptAt,
          last_error: `attempt ${attempts} of ${limit} failed: ${message}`.slice(0, 2000),
          updated_at: toUtcIso(now),
        });
      outcome.retrying.push({ jobId: Number(row.id), nextAttemptAt });
    }
    for (const row of exhausted) {
      await failJobs(trx, [jobToFail(row)], `delivery failed after ${Number(row.attempts)} attempts: ${message}`, now);
      outcome.failed.push(Number(row.id));
    }
    await trx('export_batches').where({ id: batchId }).delete();
    return outcome;
  });
}

/**
 * Takes jobs whose document is unusable out of a batch before its files are written, failing them
 * at once (retrying cannot mend a document). Jobs of the batch that needed one of them (a sales
 * order and its new customer) go back to the queue without using an attempt; they wait there,
 * and their orders show why. Only while this worker holds the batch's lease.
 */
export async function rejectJobsOfBatch(
  db: Knex,
  input: { batchId: number; workerId: string; rejects: ReadonlyArray<{ jobId: number; problem: string }>; now: Date },
): Promise<boolean> {
  if (input.rejects.length === 0) return true;
  return withTransactionRetry(db, async (trx) => {
    const batch = await trx('export_batches').where({ id: input.batchId, locked_by: input.workerId, state: 'open' }).first('id');
    if (!batch) return false;
    const rejected = input.rejects.map((r) => r.jobId);
    // Released first, so that failing a customer finds the sales orders now waiting for it.
    await trx('export_jobs')
      .where({ batch_id: input.batchId, state: 'claimed' })
      .whereIn('depends_on_job_id', rejected)
      .update({
        state: 'queued',
        batch_id: null,
        locked_by: null,
        locked_until: null,
        attempts: trx.raw('attempts - 1'),
        updated_at: toUtcIso(input.now),
      });
    for (const reject of input.rejects) {
      const row = await trx('export_jobs').where({ id: reject.jobId, batch_id: input.batchId, state: 'claimed' }).first();
      if (row) await failJobs(trx, [jobToFail(row)], `its document is unusable: ${reject.problem}`, input.now);
    }
    const left = await trx('export_jobs').where({ batch_id: input.batchId }).count({ n: '*' }).first();
    await trx('export_batches')
      .where({ id: input.batchId })
      .update({ documents: Number((left as { n?: number | string } | undefined)?.n ?? 0) });
    return true;
  });
}
