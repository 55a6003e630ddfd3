import type { Knex } from 'knex';
import { ORDER_STATES, isOrderState, type OrderState } from '../domain/order-state.ts';
import { countOrders, countOrdersByState } from './order-queries.ts';

export interface DayOfStateChanges {
  /** UTC calendar day, YYYY-MM-DD. */
  day: string;
  /** Orders that moved into each state that day (an order counted once per state per day). */
  entered: Record<OrderState, number>;
}

const zeroCounts = (): Record<OrderState, number> => Object.fromEntries(ORDER_STATES.map((s) => [s, 0])) as Record<OrderState, number>;

/** The `days` UTC calendar days ending with the one `now` falls in, oldest first. */
export function lastDays(now: Date, days: number): string[] {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return Array.from({ length: days }, (_, i) => new Date(today - (days - 1 - i) * 86_400_000).toISOString().slice(0, 10));
}

/** From the order history: per UTC day, how many orders entered each state. Every day is present. */
export async function stateChangesPerDay(db: Knex, now: Date, days: number): Promise<DayOfStateChanges[]> {
  const window = lastDays(now, days);
  const byDay = new Map(window.map((day) => [day, zeroCounts()]));
  const rows = await db('order_events')
    .where('at', '>=', `${window[0]}T00:00:00.000Z`)
    .select(db.raw('substr(at, 1, 10) as day'), 'to_state')
    .countDistinct({ n: 'order_id' })
    .groupByRaw('substr(at, 1, 10), to_state');
  for (const row of rows as Array<{ day: string; to_state: string; n: number | string }>) {
    const counts = byDay.get(String(row.day));
    if (counts && isOrderState(row.to_state)) counts[row.to_state] = Number(row.n);
  }
  return window.map((day) => ({ day, entered: byDay.get(day)! }));
}

export const EXPORT_JOB_STATES = ['queued', 'claimed', 'delivered', 'imported', 'failed', 'cancelled', 'held'] as const;
/** Jobs still to go out to the importer. */
const WAITING_JOB_STATES = ['queued', 'claimed'];

export interface QueueDepth {
  byState: Record<string, number>;
  /** queued + claimed: documents not yet delivered. */
  waiting: number;
  /** When the oldest of those was queued, or null when none waits. */
  oldestWaitingSince: string | null;
}

export async function exportQueueDepth(db: Knex): Promise<QueueDepth> {
  const byState: Record<string, number> = Object.fromEntries(EXPORT_JOB_STATES.map((s) => [s, 0]));
  const rows = await db('export_jobs').select('state').count({ n: '*' }).groupBy('state');
  for (const row of rows as Array<{ state: string; n: number | string }>) byState[row.state] = Number(row.n);
  const oldest = await db('export_jobs').whereIn('state', WAITING_JOB_STATES).min({ at: 'created_at' }).first();
  return {
    byState,
    waiting: WAITING_JOB_STATES.reduce((sum, s) => sum + (byState[s] ?? 0), 0),
    oldestWaitingSince: (oldest as { at?: string | null } | undefined)?.at ?? null,
  };
}

export interface Attention {
  held: number;
  failed: number;
  changedAfterExport: number;
  /** Distinct orders: a failed order that also changed after export counts once. */
  total: number;
}

/** Orders a person has to look at: held, failed, and changed in WooCommerce after export. */
export async function ordersNeedingAttention(db: Knex, byState?: Record<OrderState, number>): Promise<Attention> {
  const counts = byState ?? (await countOrdersByState(db));
  const changedAfterExport = await countOrders(db, { changedAfterExport: true });
  const total = await db('orders').whereIn('state', ['held', 'failed']).orWhere('changed_after_export', true).count({ n: '*' }).first();
  return {
    held: counts.held,
    failed: counts.failed,
    changedAfterExport,
    total: Number((total as { n?: number | string } | undefined)?.n ?? 0),
  };
}

/** Orders that need a new Sage account and wait until Sage's own accounts are known. */
export async function countAwaitingAccounts(db: Knex): Promise<number> {
  const row = await db('orders').whereIn('state', ['waiting', 'received']).andWhere('awaiting_accounts', true).count({ n: '*' }).first();
  return Number((row as { n?: number | string } | undefined)?.n ?? 0);
}
