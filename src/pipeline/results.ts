import type { Knex } from 'knex';
import { recordAudit } from '../db/audit-log.ts';
import { findJobById, findJobByKey, salesOrderJobKey, setJobState, toJob, type ExportJob } from '../db/export-jobs.ts';
import { flagOrderChange } from '../db/order-changes.ts';
import { transitionOrder } from '../db/order-events.ts';
import { toUtcIso, type Clock } from '../domain/clock.ts';
import { NotFoundError } from '../domain/errors.ts';
import type { ImportResult, ResultOutcome } from '../sage/results-file.ts';

export interface ResultsOptions {
  clock: Clock;
  actor: string;
}

export interface ResultsReport {
  imported: number;
  failed: number;
  /** Already in that state: nothing to do. */
  unchanged: number;
  /** Results that match no document sent to Sage, with why. */
  unmatched: Array<{ documentId: string; reason: string }>;
  /** Sales orders whose order moved, and where to. */
  orders: Array<{ orderId: number; state: 'imported' | 'failed' }>;
  /** Accounts Sage confirmed by importing their Customer document. */
  confirmedAccounts: string[];
}

const emptyReport = (): ResultsReport => ({ imported: 0, failed: 0, unchanged: 0, unmatched: [], orders: [], confirmedAccounts: [] });

/**
 * Applies the importer's results: each document becomes imported or failed; a sales order's order
 * follows (a failure carries the importer's message as the order's error); an imported Customer
 * confirms its pending account. Each result is applied on its own, so one bad line never stops
 * the rest.
 */
export async function applyImportResults(db: Knex, results: readonly ImportResult[], options: ResultsOptions): Promise<ResultsReport> {
  const report = emptyReport();
  for (const result of results) {
    await db.transaction(async (trx) => {
      const found = await findDocument(trx, result);
      if ('reason' in found) {
        report.unmatched.push({ documentId: result.documentId, reason: found.reason });
        return;
      }
      await applyOne(trx, found.job, result.outcome, result.message, options, report);
    });
  }
  await recordAudit(db, {
    at: options.clock.now(),
    actor: options.actor,
    action: 'results.import',
    subject: 'export_jobs',
    details: { imported: report.imported, failed: report.failed, unchanged: report.unchanged, unmatched: report.unmatched.length },
  });
  return report;
}

/**
 * A person's mark for one order ("Sage has it" / "Sage rejected it"). Marking an order imported
 * also confirms the new customer it was waiting for: Sage cannot hold the order without the account.
 */
export async function markOrderResult(
  db: Knex,
  input: { orderId: number; outcome: ResultOutcome; message?: string } & ResultsOptions,
): Promise<ResultsReport> {
  const report = emptyReport();
  await db.transaction(async (trx) => {
    const job = await findJobByKey(trx, salesOrderJobKey(input.orderId));
    if (!job) throw new NotFoundError(`order ${input.orderId} has no sales order document in the outbox`, { orderId: input.orderId });
    if (job.state === 'queued' || job.state === 'cancelled') {
      throw new NotFoundError(`order ${input.orderId}'s sales order has not been delivered (it is ${job.state})`, {
        orderId: input.orderId,
        state: job.state,
      });
    }
    const message = input.message ?? `marked ${input.outcome} by ${input.actor}`;
    if (input.outcome === 'imported' && job.dependsOnJobId !== null) {
      const customer = await findJobById(trx, job.dependsOnJobId);
      if (customer && ['delivered', 'claimed'].includes(customer.state)) await applyOne(trx, customer, 'imported', message, input, report);
    }
    await applyOne(trx, job, input.outcome, message, input, report);
    await recordAudit(trx, {
      at: input.clock.now(),
      actor: input.actor,
      action: 'results.mark',
      subject: `order.${input.orderId}`,
      before: job.state,
      after: input.outcome,
      details: { message },
    });
  });
  return report;
}

async function findDocument(trx: Knex.Transaction, result: ImportResult): Promise<{ job: ExportJob } | { reason: string }> {
  const query = trx('export_jobs').where({ document_id: result.documentId });
  if (result.kind) query.andWhere({ kind: result.kind });
  const rows = (await query.orderBy('id', 'asc')).map(toJob);
  if (rows.length === 0) return { reason: `no ${result.kind?.replace('_', ' ') ?? 'document'} with Id ${result.documentId} was sent` };
  const job = rows.find((r) => r.kind === 'sales_order') ?? rows[0]!;
  if (job.state === 'queued') return { reason: `document ${result.documentId} has not been delivered yet` };
  if (job.state === 'cancelled') return { reason: `document ${result.documentId} was cancelled before delivery` };
  return { job };
}

async function applyOne(
  trx: Knex.Transaction,
  job: ExportJob,
  outcome: ResultOutcome,
  message: string,
  options: ResultsOptions,
  report: ResultsReport,
) {
  const now = options.clock.now();
  if (job.state === outcome && (job.resultMessage ?? '') === message) {
    report.unchanged += 1;
    return;
  }
  if (outcome === 'imported') {
    await setJobState(trx, job.id, 'imported', now, { importedAt: toUtcIso(now), resultMessage: message || null, lastError: null });
    report.imported += 1;
  } else {
    const error = message || 'rejected by the importer (no message)';
    await setJobState(trx, job.id, 'failed', now, { lastError: error, resultMessage: error, importedAt: null });
    report.failed += 1;
  }
  if (job.kind === 'customer' && outcome === 'imported' && job.accountCode) {
    const confirmed = await trx('sage_accounts')
      .where({ code: job.accountCode, status: 'pending' })
      .update({ status: 'active', confirmed_at: toUtcIso(now), updated_at: toUtcIso(now) });
    if (confirmed > 0) report.confirmedAccounts.push(job.accountCode);
  }
  if (job.kind === 'credit_note' && job.orderId !== null && outcome === 'failed') {
    await flagOrderChange(trx, {
      orderId: job.orderId,
      at: now,
      summary: `credit note ${job.documentId ?? job.id} rejected by Sage: ${message || 'no message'}`,
      action: 'fix the cause and reprocess the order (the credit note is sent again under its Id), or enter it in Sage by hand',
    });
  }
  if (job.kind === 'sales_order' && job.orderId !== null) {
    const order = await trx('orders').where({ id: job.orderId }).first('id');
    if (!order) return;
    await transitionOrder(trx, {
      orderId: job.orderId,
      to: outcome,
      reason:
        outcome === 'imported' ? `imported into Sage${message ? `: ${message}` : ''}` : `Sage import failed: ${message || 'no message'}`,
      actor: options.actor,
      at: now,
      patch: { last_error: outcome === 'failed' ? `Sage import failed: ${message || 'no message'}` : null },
    });
    report.orders.push({ orderId: job.orderId, state: outcome });
  }
}
