import type { Knex } from 'knex';
import { toUtcIso } from '../domain/clock.ts';
import { flagOrderChange } from './order-changes.ts';
import { transitionOrder } from './order-events.ts';

/** What failing a job needs to know of it. */
export interface JobToFail {
  id: number;
  kind: string;
  orderId: number | null;
  accountCode: string | null;
  documentId: string | null;
}

const ERROR_LIMIT = 2000;

export function jobToFail(row: Record<string, unknown>): JobToFail {
  return {
    id: Number(row.id),
    kind: String(row.kind),
    orderId: row.order_id === null || row.order_id === undefined ? null : Number(row.order_id),
    accountCode: row.account_code === null || row.account_code === undefined ? null : String(row.account_code),
    documentId: row.document_id === null || row.document_id === undefined ? null : String(row.document_id),
  };
}

/**
 * Fails jobs for good (their attempts are used up, or the document itself is wrong) and makes that
 * visible where a person looks: a sales order's order becomes `failed` with the error; the orders
 * waiting for a failed new customer become `failed` naming the account; a credit note that cannot
 * be delivered flags its order for a person. Runs inside the caller's transaction.
 */
export async function failJobs(
  trx: Knex.Transaction,
  jobs: readonly JobToFail[],
  message: string,
  now: Date,
  actor = 'delivery',
): Promise<void> {
  if (jobs.length === 0) return;
  const text = message.slice(0, ERROR_LIMIT);
  await trx('export_jobs')
    .whereIn(
      'id',
      jobs.map((j) => j.id),
    )
    .update({ state: 'failed', last_error: text, batch_id: null, locked_by: null, locked_until: null, updated_at: toUtcIso(now) });

  const failOrder = async (orderId: number, reason: string) => {
    const order = await trx('orders').where({ id: orderId }).first('state');
    if (!order || !['queued', 'allocated'].includes(String(order.state))) return;
    await transitionOrder(trx, { orderId, to: 'failed', reason, actor, at: now, patch: { last_error: reason.slice(0, ERROR_LIMIT) } });
  };
  for (const job of jobs) {
    if (job.kind === 'sales_order' && job.orderId !== null) {
      await failOrder(job.orderId, `sales order not delivered: ${text}`);
    } else if (job.kind === 'customer') {
      const waiting = await trx('export_jobs')
        .where({ depends_on_job_id: job.id, kind: 'sales_order', state: 'queued' })
        .select('order_id');
      for (const row of waiting) {
        if (row.order_id !== null)
          await failOrder(Number(row.order_id), `waiting for new Sage account ${job.accountCode ?? ''}, which was not delivered: ${text}`);
      }
    } else if (job.kind === 'credit_note' && job.orderId !== null) {
      await flagOrderChange(trx, {
        orderId: job.orderId,
        at: now,
        summary: `credit note ${job.documentId ?? `job ${job.id}`} not delivered: ${text}`,
        action: 'fix the cause and reprocess the order, or enter the credit note in Sage by hand',
      });
    }
  }
}
