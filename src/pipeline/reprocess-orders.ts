import type { Knex } from 'knex';
import { recordAudit } from '../db/audit-log.ts';
import { dialectOf } from '../db/connection.ts';
import { findJobByKey, salesOrderJobKey, SENT_STATES } from '../db/export-jobs.ts';
import { transitionOrder } from '../db/order-events.ts';
import { withTransactionRetry } from '../db/transaction-retry.ts';
import type { Clock } from '../domain/clock.ts';
import { EXPORTED_STATES, type OrderState } from '../domain/order-state.ts';
import { settlePlan, whyNotDue } from '../domain/settle-rule.ts';
import type { Settings } from '../settings/schema.ts';
import { getSettings } from '../settings/store.ts';
import { processSettledOrder } from './process-orders.ts';

/** Which orders: these ids, and/or every failed one, and/or every held one. */
export interface ReprocessSelection {
  ids?: readonly number[];
  allFailed?: boolean;
  held?: boolean;
}

export interface ReprocessOptions {
  clock: Clock;
  /** Who asked (recorded in each order's history and the audit log). */
  actor: string;
  /** Why, in a person's words (recorded with the actor). */
  reason?: string;
  /** Work out what would happen, then undo it: nothing changes. */
  dryRun?: boolean;
  /** At most this many orders per call (the rest are reported as `more`). */
  limit?: number;
  /** Current settings; read from the database when absent. */
  settings?: Settings;
}

export type ReprocessOutcome =
  /** Allocated again and its documents queued (under the keys it had). */
  | 'queued'
  /** Re-evaluated and still held: `reason` says why. */
  | 'held'
  /** Back to waiting, not processed now: its status is not exported, it is settling, or its buyer's profile is not fetched yet. */
  | 'waiting'
  /** Its sales order has left (or is leaving) for Sage: not exported again. */
  | 'already-sent'
  | 'not-found'
  /** Could not be processed (an error); it is left where it was put. */
  | 'error';

export interface ReprocessResult {
  orderId: number;
  outcome: ReprocessOutcome;
  /** The state before, and after (the same when nothing changed). */
  from: OrderState | null;
  to: OrderState | null;
  rule: string | null;
  accountCode: string | null;
  reason: string;
  warnings: string[];
}

export interface ReprocessReport {
  dryRun: boolean;
  results: ReprocessResult[];
  /** More orders matched the selection than `limit`: run again for the rest. */
  more: boolean;
}

/** Thrown to undo a dry run's transaction after its outcome was read. */
class DryRunRollback extends Error {
  constructor(readonly result: ReprocessResult) {
    super('dry run');
  }
}

/**
 * Support's "try again": each order goes back to `waiting` (its hold, decision and error cleared;
 * the event records who asked and why) and is processed at once with the current settings and
 * Sage account mirror, e.g. after linking its buyer or fixing a tax mapping. Documents keep their
 * job keys: a failed or cancelled sales order is queued again under its key (so Sage's duplicate
 * check on the Id still holds), and an order whose sales order was delivered is left alone.
 * One order failing never stops the others.
 */
export async function reprocessOrders(db: Knex, selection: ReprocessSelection, options: ReprocessOptions): Promise<ReprocessReport> {
  const settings = options.settings ?? (await getSettings(db));
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  const ids = await selectOrders(db, selection, limit + 1);
  const chosen = ids.slice(0, limit);
  const report: ReprocessReport = { dryRun: options.dryRun === true, results: [], more: ids.length > chosen.length };
  for (const orderId of chosen) {
    let result: ReprocessResult;
    try {
      result = options.dryRun ? await dryRun(db, orderId, settings, options) : await reprocessOne(db, orderId, settings, options);
    } catch (err) {
      result = { ...blank(orderId, null), outcome: 'error', reason: err instanceof Error ? err.message : String(err) };
    }
    report.results.push(result);
  }
  if (!options.dryRun && report.results.length > 0) {
    const counts: Record<string, number> = {};
    for (const r of report.results) counts[r.outcome] = (counts[r.outcome] ?? 0) + 1;
    await recordAudit(db, {
      at: options.clock.now(),
      actor: options.actor,
      action: 'orders.reprocess',
      subject: report.results.length === 1 ? `order.${report.results[0]!.orderId}` : 'orders',
      details: { selection: describeSelection(selection), reason: options.reason ?? null, orders: report.results.length, outcomes: counts },
    });
  }
  return report;
}

function describeSelection(selection: ReprocessSelection): Record<string, unknown> {
  return { ids: selection.ids?.slice(0, 50) ?? [], allFailed: selection.allFailed === true, held: selection.held === true };
}

async function selectOrders(db: Knex, selection: ReprocessSelection, limit: number): Promise<number[]> {
  const ids = [...new Set(selection.ids ?? [])];
  const states = [...(selection.allFailed ? ['failed'] : []), ...(selection.held ? ['held'] : [])];
  if (states.length > 0 && ids.length < limit) {
    const query = db('orders').whereIn('state', states).orderBy('id', 'asc').select('id');
    if (Number.isFinite(limit)) query.limit(limit + ids.length);
    for (const row of await query) {
      const id = Number(row.id);
      if (!ids.includes(id)) ids.push(id);
    }
  }
  return ids.slice(0, Number.isFinite(limit) ? limit : undefined);
}

function blank(orderId: number, from: OrderState | null): ReprocessResult {
  return { orderId, outcome: 'not-found', from, to: from, rule: null, accountCode: null, reason: '', warnings: [] };
}

function requested(options: ReprocessOptions): string {
  return `reprocess requested by ${options.actor}${options.reason ? ` (${options.reason})` : ''}`;
}

/** Back to waiting, in the caller's transaction. Returns a final result when the order cannot be reprocessed. */
async function reset(
  trx: Knex.Transaction,
  orderId: number,
  settings: Settings,
  options: ReprocessOptions,
): Promise<{ done: ReprocessResult } | { row: Record<string, unknown>; from: OrderState; settled: string | null }> {
  const query = trx('orders').where({ id: orderId });
  // MySQL: the row stays locked until the order is back to waiting, so a sync cannot slip in between.
  if (dialectOf(trx) === 'mysql') query.forUpdate();
  const row = await query.first(
    'id',
    'state',
    'status',
    'date_modified',
    'content_hash',
    'payload',
    'customer_pending',
    'customer_id',
    'last_error',
  );
  if (!row) return { done: { ...blank(orderId, null), reason: `order ${orderId} is not in the inbox (has it been synced yet?)` } };
  const from = String(row.state) as OrderState;
  const job = await findJobByKey(trx, salesOrderJobKey(orderId));
  if ((job && (SENT_STATES.includes(job.state) || job.state === 'claimed')) || EXPORTED_STATES.includes(from)) {
    const how =
      job?.state === 'claimed'
        ? 'is being delivered right now'
        : `was ${job?.state ?? from}${job?.deliveredAt ? ` on ${job.deliveredAt}` : ''}`;
    let credits = '';
    const stuck = await trx('export_jobs')
      .where({ order_id: orderId, kind: 'credit_note' })
      .whereIn('state', ['held', 'failed'])
      .count({ n: '*' })
      .first();
    const stuckCount = Number((stuck as { n?: number | string } | undefined)?.n ?? 0);
    if (stuckCount > 0 && settings.exportRefunds) {
      // The refunds stage builds them again (same keys) at the next sync, from the refunds as the store has them then.
      await trx('orders').where({ id: orderId }).update({ refunds_pending: true });
      credits = `; its ${stuckCount} held or failed credit note(s) are tried again at the next sync`;
    }
    return {
      done: {
        ...blank(orderId, from),
        outcome: 'already-sent',
        reason: `not exported again: its sales order ${how}; a change now needs a person in Sage${credits}`,
        accountCode: job?.accountCode ?? null,
      },
    };
  }
  const plan = settlePlan(String(row.status), String(row.date_modified), settings, options.clock.now());
  const reason = `${requested(options)}; ${plan.reason}`;
  await transitionOrder(trx, {
    orderId,
    to: 'waiting',
    reason,
    actor: options.actor,
    at: options.clock.now(),
    patch: { decision: null, rule: null, account_code: null, last_error: null, settle_at: plan.settleAt, awaiting_accounts: false },
  });
  // Already waiting without an error: the transition records nothing, but the request belongs in the history.
  if (from === 'waiting' && row.last_error === null) {
    await trx('order_events').insert({
      order_id: orderId,
      at: options.clock.now().toISOString(),
      from_state: 'waiting',
      to_state: 'waiting',
      reason,
      actor: options.actor,
    });
  }
  return { row, from, settled: plan.settleAt };
}

/** Why a waiting order is not processed now, or null when it is eligible. */
function notEligible(row: Record<string, unknown>, settings: Settings, now: Date): string | null {
  const why = whyNotDue(
    {
      status: String(row.status),
      dateModified: String(row.date_modified),
      customerId: Number(row.customer_id),
      customerPending: Boolean(Number(row.customer_pending)),
    },
    settings,
    now,
  );
  return why === null ? null : `waiting: ${why}`;
}

async function reprocessOne(db: Knex, orderId: number, settings: Settings, options: ReprocessOptions): Promise<ReprocessResult> {
  const reset_ = await withTransactionRetry(db, (trx) => reset(trx, orderId, settings, options));
  if ('done' in reset_) return reset_.done;
  return processNow(db, orderId, reset_.row, reset_.from, settings, options);
}

async function processNow(
  db: Knex,
  orderId: number,
  row: Record<string, unknown>,
  from: OrderState,
  settings: Settings,
  options: ReprocessOptions,
): Promise<ReprocessResult> {
  const waiting = notEligible(row, settings, options.clock.now());
  if (waiting) return { ...blank(orderId, from), outcome: 'waiting', to: 'waiting', reason: waiting };
  const processed = await processSettledOrder(
    db,
    { id: orderId, contentHash: String(row.content_hash), payload: JSON.parse(String(row.payload)) },
    { settings, clock: options.clock, actor: options.actor },
  );
  await cancelOrphanedCustomers(db, orderId, options.clock.now());
  const to = ((await db('orders').where({ id: orderId }).first('state'))?.state ?? null) as OrderState | null;
  const outcome: ReprocessOutcome =
    processed.outcome === 'changed' ? 'waiting' : processed.outcome === 'already-sent' ? 'already-sent' : processed.outcome;
  const reason =
    processed.outcome === 'changed'
      ? 'waiting: it changed in WooCommerce meanwhile; the next sync takes it from here'
      : processed.outcome === 'already-sent'
        ? `not exported again: ${processed.reason}`
        : processed.reason;
  return {
    orderId,
    outcome,
    from,
    to,
    rule: processed.rule,
    accountCode: processed.accountCode,
    reason,
    warnings: processed.warnings,
  };
}

/**
 * A new customer this order created, that no live sales order needs any more (the order now goes
 * to an existing account, e.g. after support linked its buyer): cancelled before it reaches Sage.
 */
async function cancelOrphanedCustomers(db: Knex | Knex.Transaction, orderId: number, now: Date): Promise<void> {
  const customers = await db('export_jobs').where({ order_id: orderId, kind: 'customer', state: 'queued' }).select('id');
  for (const customer of customers) {
    const needed = await db('export_jobs').where({ depends_on_job_id: customer.id }).whereNotIn('state', ['cancelled']).first('id');
    if (needed) continue;
    await db('export_jobs')
      .where({ id: customer.id, state: 'queued' })
      .update({ state: 'cancelled', result_message: `no longer needed: order ${orderId} was reprocessed`, updated_at: now.toISOString() });
  }
}

async function dryRun(db: Knex, orderId: number, settings: Settings, options: ReprocessOptions): Promise<ReprocessResult> {
  try {
    await db.transaction(async (trx) => {
      const reset_ = await reset(trx, orderId, settings, options);
      if ('done' in reset_) throw new DryRunRollback(reset_.done);
      // processSettledOrder opens a nested transaction (a savepoint) inside this one.
      throw new DryRunRollback(await processNow(trx as unknown as Knex, orderId, reset_.row, reset_.from, settings, options));
    });
  } catch (err) {
    if (err instanceof DryRunRollback) return err.result;
    throw err;
  }
  throw new Error('dry run was not rolled back');
}
