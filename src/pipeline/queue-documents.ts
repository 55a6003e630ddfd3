import type { Knex } from 'knex';
import type { Clock } from '../domain/clock.ts';
import {
  customerJobKey,
  findJobByKey,
  insertJobIfAbsent,
  listJobsOfOrder,
  requeueJob,
  salesOrderJobKey,
  SENT_STATES,
  type ExportJob,
  type JobState,
} from '../db/export-jobs.ts';
import { transitionOrder } from '../db/order-events.ts';
import { buildCustomer, renderCustomerDocument, type NewAccountInput } from '../sage/customer-xml.ts';
import type { DocumentHold } from '../sage/field-rules.ts';
import { buildSalesOrder, renderSalesOrder, type BuildSalesOrderInput, type SalesOrderSettings } from '../sage/sales-order-xml.ts';
import type { WooOrder } from '../woo/schemas.ts';

export interface QueueOrderInput {
  orderId: number;
  order: WooOrder;
  /** The Sage account the order was allocated to. */
  accountCode: string;
  /** Set when the allocation created (reserved) this account for the order's buyer. */
  newAccount?: NewAccountInput | null;
  settings: SalesOrderSettings;
  clock: Clock;
  actor?: string;
  categoriesOf?: BuildSalesOrderInput['categoriesOf'];
}

export type QueueOrderResult =
  | { status: 'queued'; salesOrderJobId: number; customerJobId: number | null; requeued: boolean; warnings: string[] }
  /** The documents could not be written: the caller holds the order with this reason. */
  | { status: 'held'; hold: DocumentHold }
  /** The sales order is being delivered or has been: it is never sent twice. */
  | { status: 'already-sent'; salesOrderJobId: number; state: JobState };

/**
 * Queues an allocated order's documents inside the caller's transaction (the same one that stored
 * the allocation): the new account's Customer document, once per account however many orders it
 * gets, and the SalesOrder, once per order. The sales order waits for the customer until that is
 * delivered. The order moves to `queued`. Reprocessing reuses the same job (same key, same Id):
 * a document that has left for Sage is never queued again.
 */
export async function queueOrderDocuments(trx: Knex.Transaction | Knex, input: QueueOrderInput): Promise<QueueOrderResult> {
  const at = input.clock.now();
  const actor = input.actor ?? 'sync';
  const existing = await findJobByKey(trx, salesOrderJobKey(input.orderId));
  if (existing && (SENT_STATES.includes(existing.state) || existing.state === 'claimed')) {
    return { status: 'already-sent', salesOrderJobId: existing.id, state: existing.state };
  }

  // Everything is built before anything is written: a hold leaves the queue untouched.
  const plan = await planCustomer(trx, input);
  if (plan.status === 'held') return plan;
  const built = buildSalesOrder({
    order: input.order,
    accountCode: input.accountCode,
    customerId: plan.documentId,
    settings: input.settings,
    categoriesOf: input.categoriesOf,
  });
  if (!built.ok) return { status: 'held', hold: built.hold };
  const document = renderSalesOrder(built.document);

  const customer = await applyCustomer(trx, input, plan, at);
  const dependsOn = customer.job && !SENT_STATES.includes(customer.job.state) ? customer.job.id : null;
  let salesOrderJobId: number;
  let requeued = false;
  if (existing) {
    await requeueJob(trx, existing.id, {
      accountCode: input.accountCode,
      document,
      documentId: built.document.id,
      dependsOnJobId: dependsOn,
      warnings: built.warnings,
      at,
    });
    salesOrderJobId = existing.id;
    requeued = true;
  } else {
    const { job } = await insertJobIfAbsent(trx, {
      jobKey: salesOrderJobKey(input.orderId),
      kind: 'sales_order',
      orderId: input.orderId,
      accountCode: input.accountCode,
      documentId: built.document.id,
      dependsOnJobId: dependsOn,
      document,
      warnings: built.warnings,
      at,
    });
    salesOrderJobId = job.id;
  }

  const order = await trx('orders').where({ id: input.orderId }).first('content_hash');
  const warnings = [...customer.warnings, ...built.warnings];
  await transitionOrder(trx, {
    orderId: input.orderId,
    to: 'queued',
    reason:
      customer.job && customer.created
        ? `sales order queued with new account ${input.accountCode}`
        : `sales order queued for account ${input.accountCode}`,
    actor,
    at,
    patch: { last_error: null, ...(order ? { exported_hash: order.content_hash } : {}) },
  });
  return { status: 'queued', salesOrderJobId, customerJobId: customer.job?.id ?? null, requeued, warnings };
}

type CustomerPlan =
  | {
      status: 'ok';
      /** The job that already holds the account's key, if any. */
      existing: ExportJob | undefined;
      /** The Customer document to (re)queue when the account is new. */
      rendered: { document: string; documentId: string; warnings: string[] } | null;
      /** The CustomerId the sales order names (null when Sage knows the account already). */
      documentId: string | null;
    }
  | { status: 'held'; hold: DocumentHold };

/**
 * The Customer document the sales order goes with: for a new account, built now (once per account
 * code); for an account this connector created earlier, the job that holds its key.
 */
async function planCustomer(trx: Knex.Transaction | Knex, input: QueueOrderInput): Promise<CustomerPlan> {
  const account = input.newAccount;
  const existing = await findJobByKey(trx, customerJobKey(account?.code ?? input.accountCode));
  const live = existing && existing.state !== 'cancelled' ? existing : undefined;
  if (!account) return { status: 'ok', existing, rendered: null, documentId: live?.documentId ?? null };
  const built = buildCustomer(account, { currency: input.order.currency });
  if (!built.ok) return { status: 'held', hold: built.hold };
  const rendered = { document: renderCustomerDocument(built.document), documentId: built.document.id, warnings: built.warnings };
  return { status: 'ok', existing, rendered, documentId: built.document.id };
}

async function applyCustomer(
  trx: Knex.Transaction | Knex,
  input: QueueOrderInput,
  plan: Extract<CustomerPlan, { status: 'ok' }>,
  at: Date,
): Promise<{ job: ExportJob | null; created: boolean; warnings: string[] }> {
  const { existing, rendered } = plan;
  if (!rendered) return { job: existing && existing.state !== 'cancelled' ? existing : null, created: false, warnings: [] };
  if (existing) {
    // A customer cancelled with its only order, or rejected by the importer, goes again with this order.
    if (existing.state === 'cancelled' || existing.state === 'failed') {
      await requeueJob(trx, existing.id, { ...rendered, dependsOnJobId: null, at });
      return { job: { ...existing, state: 'queued', documentId: rendered.documentId }, created: false, warnings: rendered.warnings };
    }
    return { job: existing, created: false, warnings: [] };
  }
  const { job, created } = await insertJobIfAbsent(trx, {
    jobKey: customerJobKey(input.newAccount!.code),
    kind: 'customer',
    orderId: input.orderId,
    accountCode: input.newAccount!.code,
    documentId: rendered.documentId,
    dependsOnJobId: null,
    document: rendered.document,
    warnings: rendered.warnings,
    at,
  });
  return { job, created, warnings: created ? rendered.warnings : [] };
}

export interface CancelResult {
  /** Jobs taken out of the queue. */
  cancelled: number[];
  /** Jobs in a batch being delivered or offered: they may reach Sage; a person must look. */
  inDelivery: number[];
  /** Jobs already delivered or imported: cancelling needs a decision in Sage. */
  sent: number[];
}

/**
 * Cancels an order's documents that have not left yet: its sales order, its credit notes, and the
 * customer created for it when no other live sales order needs that customer. Reports what could
 * not be cancelled.
 */
export async function cancelOrderDocuments(
  trx: Knex.Transaction | Knex,
  orderId: number,
  options: { clock: Clock; reason?: string },
): Promise<CancelResult> {
  const at = options.clock.now();
  const result: CancelResult = { cancelled: [], inDelivery: [], sent: [] };
  const jobs = await listJobsOfOrder(trx, orderId);
  const message = options.reason ?? 'order cancelled before delivery';
  const cancel = async (job: ExportJob) => {
    const changed = await trx('export_jobs')
      .where({ id: job.id })
      .whereIn('state', ['queued', 'failed', 'held'])
      .update({ state: 'cancelled', result_message: message, updated_at: at.toISOString() });
    if (changed === 1) result.cancelled.push(job.id);
    else result.inDelivery.push(job.id);
  };
  for (const job of jobs.filter((j) => j.kind === 'sales_order' || j.kind === 'credit_note')) {
    if (SENT_STATES.includes(job.state)) result.sent.push(job.id);
    else if (job.state === 'claimed') result.inDelivery.push(job.id);
    else if (job.state !== 'cancelled') await cancel(job);
  }
  for (const job of jobs.filter((j) => j.kind === 'customer' && j.state === 'queued')) {
    const needed = await trx('export_jobs').where({ depends_on_job_id: job.id }).whereNot('state', 'cancelled').first('id');
    if (!needed) await cancel(job);
  }
  return result;
}
