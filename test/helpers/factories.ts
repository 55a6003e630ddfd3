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
