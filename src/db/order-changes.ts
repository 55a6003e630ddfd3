import type { Knex } from 'knex';
import { toUtcIso } from '../domain/clock.ts';

type Db = Knex | Knex.Transaction;

/** A change after export that a person must act on in Sage, and its acknowledgement. */
export interface OrderChange {
  id: number;
  orderId: number;
  detectedAt: string;
  /** What changed: "status processing → cancelled; refund #77 added: -2.00 (Damaged)". */
  summary: string;
  /** What a person must do in Sage, when we can say. */
  action: string | null;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  note: string | null;
}

const SUMMARY_LIMIT = 4000;

/** The order's running summary of unacknowledged changes, newest last, bounded. */
export function appendSummary(previous: string | null, line: string): string {
  const text = previous ? `${previous}\n${line}` : line;
  return text.length > SUMMARY_LIMIT ? `…${text.slice(text.length - SUMMARY_LIMIT + 1)}` : text;
}

/** One line of the order's change summary: when, what, and what to do in Sage. */
export function summaryLine(at: string, summary: string, action: string | null): string {
  return `${at}: ${summary}${action ? ` → ${action}` : ''}`;
}

function toChange(row: Record<string, unknown>): OrderChange {
  const text = (v: unknown) => (v === null || v === undefined ? null : String(v));
  return {
    id: Number(row.id),
    orderId: Number(row.order_id),
    detectedAt: String(row.detected_at),
    summary: String(row.summary),
    action: text(row.action),
    acknowledgedAt: text(row.acknowledged_at),
    acknowledgedBy: text(row.acknowledged_by),
    note: text(row.note),
  };
}

/** The history row of a change (for callers writing many at once). */
export function orderChangeRow(change: {
  orderId: number;
  at: Date | string;
  summary: string;
  action: string | null;
}): Record<string, unknown> {
  return {
    order_id: change.orderId,
    detected_at: typeof change.at === 'string' ? change.at : toUtcIso(change.at),
    summary: change.summary.slice(0, SUMMARY_LIMIT),
    action: change.action,
  };
}

/** Inserts the history row only; the caller sets the order's flag (the inbox does it in its own update). */
export async function insertOrderChange(
  db: Db,
  change: { orderId: number; at: Date | string; summary: string; action: string | null },
): Promise<void> {
  await db('order_changes').insert(orderChangeRow(change));
}

/**
 * Flags an order for a person: records the change and sets `changed_after_export` with the line
 * added to its summary (e.g. a credit note that cannot be exported). Its state does not change.
 */
export async function flagOrderChange(
  db: Db,
  change: { orderId: number; at: Date; summary: string; action: string | null },
): Promise<void> {
  const order = await db('orders').where({ id: change.orderId }).first('change_summary');
  if (!order) return;
  const at = toUtcIso(change.at);
  await insertOrderChange(db, change);
  await db('orders')
    .where({ id: change.orderId })
    .update({
      changed_after_export: true,
      change_summary: appendSummary(order.change_summary ?? null, summaryLine(at, change.summary, change.action)),
      updated_at: at,
    });
}

export async function listOrderChanges(db: Db, orderId: number): Promise<OrderChange[]> {
  const rows = await db('order_changes').where({ order_id: orderId }).orderBy('id', 'asc');
  return rows.map(toChange);
}

export async function listOpenOrderChanges(db: Db, orderId: number): Promise<OrderChange[]> {
  const rows = await db('order_changes').where({ order_id: orderId }).whereNull('acknowledged_at').orderBy('id', 'asc');
  return rows.map(toChange);
}

export async function markChangesAcknowledged(
  db: Db,
  ids: readonly number[],
  ack: { at: Date; actor: string; note: string | null },
): Promise<void> {
  if (ids.length === 0) return;
  await db('order_changes')
    .whereIn('id', ids)
    .whereNull('acknowledged_at')
    .update({ acknowledged_at: toUtcIso(ack.at), acknowledged_by: ack.actor.slice(0, 120), note: ack.note });
}
