import type { Knex } from 'knex';
import { containsPattern } from './like.ts';
import { NotFoundError } from '../domain/errors.ts';
import { isOrderState, ORDER_STATES, type OrderState } from '../domain/order-state.ts';
import { listOrderChanges, type OrderChange } from './order-changes.ts';
import { listOrderEvents, type OrderEvent } from './order-events.ts';

export interface OrderSummary {
  id: number;
  number: string | null;
  status: string;
  state: OrderState;
  stateChangedAt: string;
  customerId: number;
  billingEmail: string | null;
  /** "Jo Bloggs (Bloggs Ltd)" from the billing address; null when the order names nobody. */
  billingName: string | null;
  totalMinor: number | null;
  currency: string | null;
  dateModified: string;
  rule: string | null;
  accountCode: string | null;
  lastError: string | null;
  changedAfterExport: boolean;
  changeSummary: string | null;
  /** A logged-in buyer's profile is not stored yet: the order waits for the next sync to fetch it. */
  customerPending: boolean;
  /** It needs a new Sage account and waited because Sage's own accounts were not known. */
  awaitingAccounts: boolean;
}

export interface OrderFilter {
  state?: OrderState;
  /** Only orders whose state changed at or after this UTC time. */
  since?: string;
  /** Matches the order id or number, part of the billing email or buyer's name, or the account code. */
  search?: string;
  changedAfterExport?: boolean;
  limit?: number;
  /** Keyset paging: orders with an id below this one (lists are newest first). */
  beforeId?: number;
}

const SUMMARY_COLUMNS = [
  'id',
  'number',
  'status',
  'state',
  'state_changed_at',
  'customer_id',
  'billing_email',
  'billing_name',
  'total_minor',
  'currency',
  'date_modified',
  'rule',
  'account_code',
  'last_error',
  'changed_after_export',
  'change_summary',
  'customer_pending',
  'awaiting_accounts',
];

function toSummary(row: Record<string, unknown>): OrderSummary {
  return {
    id: Number(row.id),
    number: (row.number as string | null) ?? null,
    status: String(row.status),
    state: String(row.state) as OrderState,
    stateChangedAt: String(row.state_changed_at),
    customerId: Number(row.customer_id),
    billingEmail: (row.billing_email as string | null) ?? null,
    billingName: (row.billing_name as string | null) ?? null,
    totalMinor: row.total_minor === null || row.total_minor === undefined ? null : Number(row.total_minor),
    currency: (row.currency as string | null) ?? null,
    dateModified: String(row.date_modified),
    rule: (row.rule as string | null) ?? null,
    accountCode: (row.account_code as string | null) ?? null,
    lastError: (row.last_error as string | null) ?? null,
    changedAfterExport: Boolean(Number(row.changed_after_export)),
    changeSummary: (row.change_summary as string | null) ?? null,
    customerPending: Boolean(Number(row.customer_pending)),
    awaitingAccounts: Boolean(Number(row.awaiting_accounts)),
  };
}

function applyFilter(query: Knex.QueryBuilder, filter: OrderFilter): Knex.QueryBuilder {
  if (filter.state) query.where('state', filter.state);
  if (filter.since) query.where('state_changed_at', '>=', filter.since);
  if (filter.changedAfterExport !== undefined) query.where('changed_after_export', filter.changedAfterExport);
  const search = filter.search?.trim();
  if (search) {
    const like = containsPattern(search);
    query.where((q) => {
      if (/^\d+$/.test(search)) q.orWhere('id', Number(search));
      q.orWhere('number', search)
        .orWhereRaw("LOWER(billing_email) LIKE ? ESCAPE '!'", [like])
        .orWhereRaw("LOWER(billing_name) LIKE ? ESCAPE '!'", [like])
        .orWhere('account_code', search.toUpperCase());
    });
  }
  return query;
}

export async function listOrders(db: Knex, filter: OrderFilter = {}): Promise<OrderSummary[]> {
  const query = db('orders')
    .select(SUMMARY_COLUMNS)
    .orderBy('id', 'desc')
    .limit(Math.min(Math.max(filter.limit ?? 50, 1), 1000));
  applyFilter(query, filter);
  if (filter.beforeId !== undefined) query.where('id', '<', filter.beforeId);
  return (await query).map(toSummary);
}

/** How many orders match a filter (paging is ignored): "37 orders match". */
export async function countOrders(db: Knex, filter: Omit<OrderFilter, 'limit' | 'beforeId'> = {}): Promise<number> {
  const row = await applyFilter(db('orders').count({ n: '*' }), filter).first();
  return Number((row as { n?: number | string } | undefined)?.n ?? 0);
}

export async function countOrdersByState(db: Knex): Promise<Record<OrderState, number>> {
  const rows = await db('orders').select('state').count({ n: '*' }).groupBy('state');
  const counts = Object.fromEntries(ORDER_STATES.map((s) => [s, 0])) as Record<OrderState, number>;
  for (const row of rows as Array<{ state: string; n: number | string }>) {
    if (isOrderState(row.state)) counts[row.state] = Number(row.n);
  }
  return counts;
}

export interface OrderDocument {
  id: number;
  kind: string;
  jobKey: string;
  accountCode: string | null;
  state: string;
  attempts: number;
  maxAttempts: number;
  /** When a queued document is (next) tried: later than now while it backs off after a failure. */
  nextAttemptAt: string;
  lastError: string | null;
  /** The importer's message, or why it was cancelled. */
  resultMessage: string | null;
  /** Free text shortened to fit Sage's fields while the document was written. */
  warnings: string[];
  batchId: number | null;
  batchName: string | null;
  createdAt: string;
  deliveredAt: string | null;
}

export interface OrderDetail {
  order: OrderSummary;
  decision: unknown;
  events: OrderEvent[];
  documents: OrderDocument[];
  /** Changes in WooCommerce after export, and who acknowledged them. */
  changes: OrderChange[];
}

/** Everything support needs to answer "what happened to this order, and why?". */
export async function getOrderDetail(db: Knex, orderId: number): Promise<OrderDetail> {
  const row = await db('orders')
    .where({ id: orderId })
    .first([...SUMMARY_COLUMNS, 'decision']);
  if (!row) throw new NotFoundError(`order ${orderId} is not in the inbox (has it been synced yet?)`, { orderId });
  const jobs = await db('export_jobs as j')
    .leftJoin('export_batches as b', 'b.id', 'j.batch_id')
    .where('j.order_id', orderId)
    .orderBy('j.id', 'asc')
    .select(
      'j.id',
      'j.kind',
      'j.job_key',
      'j.account_code',
      'j.state',
      'j.attempts',
      'j.max_attempts',
      'j.next_attempt_at',
      'j.last_error',
      'j.result_message',
      'j.warnings',
      'j.batch_id',
      'b.name as batch_name',
      'j.created_at',
      'j.delivered_at',
    );
  return {
    order: toSummary(row),
    decision: row.decision ? JSON.parse(String(row.decision)) : null,
    events: await listOrderEvents(db, orderId),
    documents: jobs.map((j: Record<string, unknown>) => ({
      id: Number(j.id),
      kind: String(j.kind),
      jobKey: String(j.job_key),
      accountCode: (j.account_code as string | null) ?? null,
      state: String(j.state),
      attempts: Number(j.attempts),
      maxAttempts: Number(j.max_attempts),
      nextAttemptAt: String(j.next_attempt_at),
      lastError: (j.last_error as string | null) ?? null,
      resultMessage: (j.result_message as string | null) ?? null,
      warnings: j.warnings ? (JSON.parse(String(j.warnings)) as string[]) : [],
      batchId: j.batch_id === null ? null : Number(j.batch_id),
      batchName: (j.batch_name as string | null) ?? null,
      createdAt: String(j.created_at),
      deliveredAt: (j.delivered_at as string | null) ?? null,
    })),
    changes: await listOrderChanges(db, orderId),
  };
}
