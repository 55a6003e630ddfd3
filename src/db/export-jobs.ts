import type { Knex } from 'knex';
import { toUtcIso } from '../domain/clock.ts';
import { DELIVERY_RETRY_POLICY } from '../domain/retry-policy.ts';

export type JobKind = 'customer' | 'sales_order' | 'credit_note';
/**
 * queued → claimed (in a batch) → delivered → imported | failed; cancelled before delivery; held:
 * a credit note that cannot be written to the penny (its `last_error` says why) waits for a person.
 */
export type JobState = 'queued' | 'claimed' | 'delivered' | 'imported' | 'failed' | 'cancelled' | 'held';

/** States in which a document has left for the importer: it is never sent again. */
export const SENT_STATES: readonly JobState[] = ['delivered', 'imported'];

export interface ExportJob {
  id: number;
  jobKey: string;
  kind: JobKind;
  orderId: number | null;
  accountCode: string | null;
  documentId: string | null;
  dependsOnJobId: number | null;
  document: string;
  state: JobState;
  attempts: number;
  maxAttempts: number;
  nextAttemptAt: string;
  lockedBy: string | null;
  batchId: number | null;
  lastError: string | null;
  resultMessage: string | null;
  warnings: string[];
  createdAt: string;
  updatedAt: string;
  deliveredAt: string | null;
  importedAt: string | null;
}

type Db = Knex | Knex.Transaction;

export const salesOrderJobKey = (orderId: number) => `sales_order:${orderId}`;
export const customerJobKey = (accountCode: string) => `customer:${accountCode}`;
export const creditNoteJobKey = (refundId: number) => `credit_note:${refundId}`;

export function toJob(row: Record<string, unknown>): ExportJob {
  const optionalNumber = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  const optionalText = (v: unknown) => (v === null || v === undefined ? null : String(v));
  return {
    id: Number(row.id),
    jobKey: String(row.job_key),
    kind: row.kind as JobKind,
    orderId: optionalNumber(row.order_id),
    accountCode: optionalText(row.account_code),
    documentId: optionalText(row.document_id),
    dependsOnJobId: optionalNumber(row.depends_on_job_id),
    document: String(row.document),
    state: row.state as JobState,
    attempts: Number(row.attempts),
    maxAttempts: Number(row.max_attempts ?? DELIVERY_RETRY_POLICY.attempts),
    nextAttemptAt: String(row.next_attempt_at),
    lockedBy: optionalText(row.locked_by),
    batchId: optionalNumber(row.batch_id),
    lastError: optionalText(row.last_error),
    resultMessage: optionalText(row.result_message),
    warnings: row.warnings ? (JSON.parse(String(row.warnings)) as string[]) : [],
    createdAt: String(row.created_at),
    updatedAt: String(row.updated_at),
    deliveredAt: optionalText(row.delivered_at),
    importedAt: optionalText(row.imported_at),
  };
}

export async function findJobByKey(db: Db, jobKey: string): Promise<ExportJob | undefined> {
  const row = await db('export_jobs').where({ job_key: jobKey }).first();
  return row ? toJob(row) : undefined;
}

export async function findJobById(db: Db, id: number): Promise<ExportJob | undefined> {
  const row = await db('export_jobs').where({ id }).first();
  return row ? toJob(row) : undefined;
}

export async function listJobsOfBatch(db: Db, batchId: number): Promise<ExportJob[]> {
  const rows = await db('export_jobs').where({ batch_id: batchId }).orderBy('id', 'asc');
  return rows.map(toJob);
}

export async function listJobsOfOrder(db: Db, orderId: number): Promise<ExportJob[]> {
  const rows = await db('export_jobs').where({ order_id: orderId }).orderBy('id', 'asc');
  return rows.map(toJob);
}

export interface NewJob {
  jobKey: string;
  kind: JobKind;
  orderId: number | null;
  accountCode: string | null;
  documentId: string;
  dependsOnJobId: number | null;
  document: string;
  warnings: string[];
  at: Date;
  /** `held`: a document that cannot be written yet (`lastError` says why); it is never claimed. Default queued. */
  state?: 'queued' | 'held';
  lastError?: string | null;
}

/**
 * Inserts a job unless one with the same key exists (a repeated poll, or a second order of the same
 * new buyer); returns the job that holds the key and whether this call created it.
 */
export async function insertJobIfAbsent(db: Db, job: NewJob): Promise<{ job: ExportJob; created: boolean }> {
  const existing = await findJobByKey(db, job.jobKey);
  if (existing) return { job: existing, created: false };
  const at = toUtcIso(job.at);
  const inserted = await db('export_jobs')
    .insert({
      job_key: job.jobKey,
      kind: job.kind,
      order_id: job.orderId,
      account_code: job.accountCode,
      document_id: job.documentId,
      depends_on_job_id: job.dependsOnJobId,
      document: job.document,
      warnings: JSON.stringify(job.warnings),
      state: job.state ?? 'queued',
      last_error: job.lastError ?? null,
      attempts: 0,
      max_attempts: DELIVERY_RETRY_POLICY.attempts,
      next_attempt_at: at,
      created_at: at,
      updated_at: at,
    })
    .onConflict('job_key')
    .ignore();
  const row = await findJobByKey(db, job.jobKey);
  if (!row) throw new Error(`export job ${job.jobKey} vanished after insert`);
  // Another worker may have won the race for the key: MySQL then reports insert id 0.
  return { job: row, created: Number((inserted as number[])[0]) === row.id };
}

/**
 * Puts a job back in the queue with a fresh document (reprocess): the key, and so the Id, stay;
 * its attempts start again, since a person has acted on whatever made them fail.
 */
export async function requeueJob(
  db: Db,
  id: number,
  update: { document: string; documentId: string; dependsOnJobId: number | null; warnings: string[]; at: Date; accountCode?: string },
): Promise<void> {
  const at = toUtcIso(update.at);
  await db('export_jobs')
    .where({ id })
    .update({
      ...(update.accountCode !== undefined ? { account_code: update.accountCode } : {}),
      document: update.document,
      document_id: update.documentId,
      depends_on_job_id: update.dependsOnJobId,
      warnings: JSON.stringify(update.warnings),
      state: 'queued',
      attempts: 0,
      next_attempt_at: at,
      locked_by: null,
      locked_until: null,
      batch_id: null,
      last_error: null,
      result_message: null,
      updated_at: at,
    });
}

export async function setJobState(
  db: Db,
  id: number,
  state: JobState,
  at: Date,
  patch: { lastError?: string | null; resultMessage?: string | null; importedAt?: string | null } = {},
): Promise<void> {
  const update: Record<string, unknown> = { state, updated_at: toUtcIso(at) };
  if ('lastError' in patch) update.last_error = patch.lastError;
  if ('resultMessage' in patch) update.result_message = patch.resultMessage;
  if ('importedAt' in patch) update.imported_at = patch.importedAt;
  await db('export_jobs').where({ id }).update(update);
}

/** Counts of jobs per kind and state, for `outbox status`. */
export async function countJobs(db: Db): Promise<Array<{ kind: JobKind; state: JobState; count: number }>> {
  const rows = await db('export_jobs').select('kind', 'state').count({ count: '*' }).groupBy('kind', 'state').orderBy(['kind', 'state']);
  return rows.map((r: Record<string, unknown>) => ({ kind: r.kind as JobKind, state: r.state as JobState, count: Number(r.count) }));
}

/** A document that cannot be written now (a credit note that does not add up): held, never claimed, with why. */
export async function holdJob(db: Db, id: number, message: string, at: Date): Promise<void> {
  await db('export_jobs')
    .where({ id })
    .whereIn('state', ['queued', 'failed', 'held'])
    .update({
      state: 'held',
      last_error: message.slice(0, 2000),
      batch_id: null,
      locked_by: null,
      locked_until: null,
      updated_at: toUtcIso(at),
    });
}
