import type { Knex } from 'knex';
import { toUtcIso } from '../domain/clock.ts';
import { EXPORTED_STATES, type OrderState } from '../domain/order-state.ts';
import { settlePlan, type SettleSettings } from '../domain/settle-rule.ts';
import { booksDayOf, refundedMinorOf } from '../woo/books-facts.ts';
import { adviseOnChange } from '../woo/change-advice.ts';
import { describeOrderChange } from '../woo/change-summary.ts';
import { orderContentHash } from '../woo/content-hash.ts';
import { sameForSage } from '../woo/sage-projection.ts';
import { readOrder, type OrderFacts } from '../woo/order-facts.ts';
import { appendSummary, insertOrderChange, summaryLine } from './order-changes.ts';
import { transitionOrder } from './order-events.ts';

/**
 * The inbox: orders upserted by WooCommerce id with a content hash.
 * - unchanged content → nothing at all;
 * - new → `waiting` (or `held` when the payload cannot be used, with the reason);
 * - changed before export → re-evaluated: back to `waiting`, hold and decision cleared;
 * - changed after export (a sales order was queued) → the state stays, the order is flagged
 *   `changed_after_export` with what changed, for a person to decide; a change to nothing Sage
 *   holds (a store-wide setting rewriting the REST output) is stored and recorded, not flagged;
 * - changed while cancelled here → stays cancelled, the change recorded.
 */
export interface InboxContext {
  /** exportRefunds only shapes the advice given with a change after export; profileMetaKey is part of what Sage holds. */
  settings: SettleSettings & { exportRefunds?: boolean; profileMetaKey: string };
  at: Date;
  actor: string;
}

export interface InboxProblem {
  orderId?: number;
  reason: string;
}

/** What happened to one order: its content was new, changed or the same; where it went. */
export interface InboxOutcome {
  id: number;
  content: 'new' | 'changed' | 'unchanged';
  /** waiting / held: (re-)evaluated; flagged: changed after export; kept: changed while cancelled, or in nothing Sage holds. */
  disposition?: 'waiting' | 'held' | 'flagged' | 'kept';
}

export interface InboxResult {
  outcomes: InboxOutcome[];
  /** Orders without a usable id: reported, not stored. */
  skipped: number;
  /** Logged-in customers whose profile must now be fetched. */
  pendingCustomerIds: number[];
  problems: InboxProblem[];
}

interface ExistingRow {
  content_hash: string;
  state: OrderState;
  exported_hash: string | null;
  change_summary: string | null;
  last_error: string | null;
  account_code: string | null;
}
const AFTER_EXPORT_STATES: readonly OrderState[] = ['queued', ...EXPORTED_STATES];

function columns(facts: OrderFacts, raw: unknown, hash: string, at: string): Record<string, unknown> {
  return {
    number: facts.number,
    status: facts.status,
    customer_id: facts.customerId,
    billing_email: facts.billingEmail,
    billing_name: facts.billingName,
    currency: facts.currency,
    total_minor: facts.totalMinor,
    date_created: facts.dateCreated,
    // The books ledger's day and refunds, read from columns rather than 100,000 payloads.
    books_day: booksDayOf(raw, at),
    refunds_minor: refundedMinorOf(raw),
    // Without a modification time the settle period counts from when we first saw the order.
    date_modified: facts.dateModified ?? at,
    payload: JSON.stringify(raw),
    content_hash: hash,
    // The refunds stage looks at it once the sales order is queued (credit notes, exportRefunds).
    refunds_pending: hasRefunds(raw),
  };
}

/** Stores one page of raw orders inside the caller's transaction. */
export async function storeOrderPage(trx: Knex.Transaction, raws: readonly unknown[], ctx: InboxContext): Promise<InboxResult> {
  const at = toUtcIso(ctx.at);
  const result: InboxResult = { outcomes: [], skipped: 0, pendingCustomerIds: [], problems: [] };
  // A page may repeat an order; the last copy is the one that counts. Two different copies mean
  // the store (or a plugin or cache in front of it) is confused about that order: a person should know.
  const byId = new Map<number, { raw: unknown; read: ReturnType<typeof readOrder>; position: number }>();
  raws.forEach((raw, position) => {
    const read = readOrder(raw);
    if (read.id === undefined) {
      result.skipped++;
      result.problems.push({ reason: `order at position ${position + 1} of a page has no usable id, skipped: ${read.reason}` });
      return;
    }
    const earlier = byId.get(read.id);
    if (earlier && orderContentHash(earlier.raw) !== orderContentHash(raw)) {
      result.problems.push({
        orderId: read.id,
        reason: `the store sent order ${read.id} twice in one page with different content (positions ${earlier.position + 1} and ${position + 1}); the later copy was kept`,
      });
    }
    byId.set(read.id, { raw, read, position });
  });
  const ids = [...byId.keys()];
  if (ids.length === 0) return result;
  const existing = new Map<number, ExistingRow>();
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await trx('orders')
      .whereIn('id', ids.slice(i, i + 500))
      .select('id', 'content_hash', 'state', 'exported_hash', 'change_summary', 'last_error', 'account_code');
    for (const row of rows) existing.set(Number(row.id), row);
  }

  const inserts: Record<string, unknown>[] = [];
  const events: Record<string, unknown>[] = [];
  const changed: Array<{ id: number; raw: unknown; read: ReturnType<typeof readOrder>; hash: string }> = [];
  for (const [id, { raw, read }] of byId) {
    const hash = orderContentHash(raw);
    const current = existing.get(id);
    if (current && current.content_hash === hash) {
      result.outcomes.push({ id, content: 'unchanged' });
      continue;
    }
    if (current) {
      changed.push({ id, raw, read, hash });
      continue;
    }
    const facts = read.ok || read.id !== undefined ? read.facts : undefined;
    if (!facts) continue;
    const row = columns(facts, raw, hash, at);
    let state: OrderState;
    let reason: string;
    if (read.ok) {
      const plan = settlePlan(facts.status, String(row.date_modified), ctx.settings, ctx.at);
      state = 'waiting';
      reason = `new order from WooCommerce; ${plan.reason}`;
      Object.assign(row, { settle_at: plan.settleAt, customer_pending: facts.customerId > 0 });
      if (facts.customerId > 0) result.pendingCustomerIds.push(facts.customerId);
    } else {
      state = 'held';
      reason = `order ${id} cannot be used: ${read.reason}`;
      Object.assign(row, { last_error: reason, customer_pending: false });
      result.problems.push({ orderId: id, reason });
    }
    result.outcomes.push({ id, content: 'new', disposition: state === 'held' ? 'held' : 'waiting' });
    inserts.push({ id, ...row, state, state_changed_at: at, received_at: at, updated_at: at, changed_after_export: false });
    events.push({ order_id: id, at, from_state: null, to_state: state, reason, actor: ctx.actor });
  }
  // Arrivals are written in bulk: creating a row is not a transition, but its first event is recorded.
  for (let i = 0; i < inserts.length; i += 100) await trx('orders').insert(inserts.slice(i, i + 100));
  for (let i = 0; i < events.length; i += 200) await trx('order_events').insert(events.slice(i, i + 200));

  if (changed.length > 0) {
    const previous = new Map<number, string>();
    for (const row of await trx('orders')
      .whereIn(
        'id',
        changed.map((c) => c.id),
      )
      .select('id', 'payload')) {
      previous.set(Number(row.id), String(row.payload));
    }
    for (const change of changed) {
      await storeChange(trx, change, existing.get(change.id)!, previous.get(change.id), ctx, at, result);
    }
  }
  return result;
}

async function storeChange(
  trx: Knex.Transaction,
  change: { id: number; raw: unknown; read: ReturnType<typeof readOrder>; hash: string },
  current: ExistingRow,
  previousPayload: string | undefined,
  ctx: InboxContext,
  at: string,
  result: InboxResult,
): Promise<void> {
  const { id, raw, read, hash } = change;
  if (read.id === undefined) return;
  let before: unknown = null;
  try {
    before = previousPayload === undefined ? null : JSON.parse(previousPayload);
  } catch {
    before = null;
  }
  const lines = describeOrderChange(before, raw);
  if (!read.ok) lines.unshift(`the order can no longer be used (${read.reason})`);
  const what = lines.join('; ');
  const row = columns(read.facts, raw, hash, at);
  const afterExport = current.exported_hash !== null || AFTER_EXPORT_STATES.includes(current.state);

  if (afterExport && read.ok && before !== null && sameForSage(before, raw, ctx.settings.profileMetaKey)) {
    // E.g. "prices include tax" switched store-wide: the REST output changed, the sale did not.
    // Stored so the next change is measured from it; its refunds were looked at already.
    const { refunds_pending: _unchanged, ...patch } = row;
    const reason = `changed in WooCommerce after export, in nothing Sage holds (${what}): not flagged`;
    await trx('orders')
      .where({ id })
      .update({ ...patch, updated_at: at });
    await trx('order_events').insert({ order_id: id, at, from_state: current.state, to_state: current.state, reason, actor: ctx.actor });
    result.outcomes.push({ id, content: 'changed', disposition: 'kept' });
    return;
  }

  if (afterExport || current.state === 'cancelled') {
    const action = afterExport
      ? adviseOnChange(before, raw, {
          orderId: id,
          state: current.state,
          accountCode: current.account_code,
          exportRefunds: ctx.settings.exportRefunds === true,
        })
      : null;
    const reason = afterExport
      ? `changed in WooCommerce after export: ${what}${action ? ` → ${action}` : ''}`
      : `changed in WooCommerce while cancelled here (still cancelled): ${what}`;
    const patch: Record<string, unknown> = { ...row, updated_at: at };
    if (afterExport) {
      const stamp = read.facts.dateModified ?? at;
      Object.assign(patch, {
        changed_after_export: true,
        change_summary: appendSummary(current.change_summary, summaryLine(stamp, what, action)),
      });
      await insertOrderChange(trx, { orderId: id, at, summary: what, action });
      result.problems.push({ orderId: id, reason });
    }
    result.outcomes.push({ id, content: 'changed', disposition: afterExport ? 'flagged' : 'kept' });
    await trx('orders').where({ id }).update(patch);
    await trx('order_events').insert({ order_id: id, at, from_state: current.state, to_state: current.state, reason, actor: ctx.actor });
    return;
  }

  const reset = { decision: null, rule: null, account_code: null };
  const plan = read.ok ? settlePlan(read.facts.status, String(row.date_modified), ctx.settings, ctx.at) : undefined;
  const to: OrderState = read.ok ? 'waiting' : 'held';
  const lastError = read.ok ? null : `order ${id} cannot be used: ${read.reason}`;
  const reason = plan ? `changed in WooCommerce (${what}); ${plan.reason}` : `changed in WooCommerce (${what}); held`;
  await transitionOrder(trx, {
    orderId: id,
    to,
    reason,
    actor: ctx.actor,
    at: ctx.at,
    patch: {
      ...row,
      ...reset,
      last_error: lastError,
      settle_at: plan?.settleAt ?? null,
      customer_pending: read.ok && read.facts.customerId > 0,
    },
  });
  // transitionOrder records nothing when neither the state nor the error changes; a re-settled
  // order still belongs in the history, because its export time moved.
  if (current.state === to && (current.last_error ?? null) === lastError) {
    await trx('order_events').insert({ order_id: id, at, from_state: to, to_state: to, reason, actor: ctx.actor });
  }
  if (read.ok && read.facts.customerId > 0) result.pendingCustomerIds.push(read.facts.customerId);
  if (!read.ok) result.problems.push({ orderId: id, reason: lastError! });
  result.outcomes.push({ id, content: 'changed', disposition: to === 'held' ? 'held' : 'waiting' });
}

function hasRefunds(raw: unknown): boolean {
  const refunds = (raw as { refunds?: unknown } | null)?.refunds;
  return Array.isArray(refunds) && refunds.length > 0;
}
