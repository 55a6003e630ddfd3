import type { Knex } from 'knex';
import { DEFAULT_SETTINGS } from '../../src/settings/schema.ts';
import type { AllocateOrderSettings } from '../../src/pipeline/allocate-order.ts';
import { insertOrderRow } from './factories.ts';

const AT = '2026-01-01T00:00:00.000Z';

export function allocationSettings(patch: Partial<AllocateOrderSettings> = {}): AllocateOrderSettings {
  return { ...DEFAULT_SETTINGS, ...patch };
}

/** An inbox row whose payload is this WooCommerce order (id, customer and email copied to the columns). */
export async function insertWooOrder(db: Knex | Knex.Transaction, order: Record<string, unknown>): Promise<number> {
  const billing = (order.billing ?? {}) as Record<string, unknown>;
  return insertOrderRow(db as Knex, {
    id: order.id,
    customer_id: order.customer_id ?? 0,
    billing_email: billing.email ?? null,
    payload: JSON.stringify(order),
  });
}

export async function insertAccount(
  db: Knex | Knex.Transaction,
  code: string,
  emails: string[] = [],
  extra: { status?: string; owner_key?: string | null; name?: string | null; origin?: string } = {},
): Promise<void> {
  await db('sage_accounts').insert({ code, name: null, status: 'active', origin: 'import', created_at: AT, updated_at: AT, ...extra });
  if (emails.length > 0) await db('sage_account_emails').insert(emails.map((email) => ({ account_code: code, email })));
}

export async function insertWooCustomer(
  db: Knex | Knex.Transaction,
  id: number,
  profileCode: string | null,
  extra: { email?: string; first_name?: string; last_name?: string } = {},
): Promise<void> {
  await db('woo_customers').insert({ id, profile_code: profileCode, payload: JSON.stringify({ id }), fetched_at: AT, ...extra });
}
