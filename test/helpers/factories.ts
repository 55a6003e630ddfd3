import type { Knex } from 'knex';

let nextOrderId = 1000 + Math.floor(Math.random() * 1000);

/** Inserts a bare inbox row in state `received`; tests override what they care about. */
export async function insertOrderRow(db: Knex, overrides: Record<string, unknown> = {}): Promise<number> {
  const id = (overrides.id as number | undefined) ?? nextOrderId++;
  const at = '2026-01-01T09:00:00.000Z';
  await db('orders').insert({
    id,
    number: String(id),
    status: 'processing',
    customer_id: 0,
    billing_email: `buyer${id}@example.com`,
    currency: 'GBP',
    total_minor: 1200,
    date_created: at,
    date_modified: at,
    payload: JSON.stringify({ id, status: 'processing', total: '12.00' }),
    content_hash: `hash-${id}`,
    state: 'received',
    state_changed_at: at,
    received_at: at,
    updated_at: at,
    ...overrides,
  });
  return id;
}

/** Records one state change in an order's history (without touching the order row). */
export async function insertOrderEvent(
  db: Knex,
  event: { orderId: number; to: string; at: string; from?: string | null; reason?: string; actor?: string },
): Promise<void> {
  await db('order_events').insert({
    order_id: event.orderId,
    at: event.at,
    from_state: event.from ?? null,
    to_state: event.to,
    reason: event.reason ?? null,
    actor: event.actor ?? 'test',
  });
}

let nextJobSeq = 1;

/** Inserts an export job (default: a queued sales order for the given order). */
export async function insertExportJob(db: Knex, overrides: Record<string, unknown> = {}): Promise<void> {
  const seq = nextJobSeq++;
  const at = '2026-01-01T09:00:00.000Z';
  const orderId = (overrides.order_id as number | undefined) ?? null;
  await db('export_jobs').insert({
    job_key: `sales_order:${orderId ?? `test-${seq}`}-${seq}`,
    kind: 'sales_order',
    order_id: orderId,
    account_code: null,
    document: '<SalesOrder/>',
    state: 'queued',
    next_attempt_at: at,
    created_at: at,
    updated_at: at,
    ...overrides,
  });
}
