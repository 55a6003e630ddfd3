import type { Knex } from 'knex';
import { toUtcIso } from '../domain/clock.ts';
import { metaText, wooGmtToIso, type WooCustomer } from '../woo/schemas.ts';

/** A WooCommerce customer as stored by the poll: what allocation and linking read. */
export interface WooCustomerRow {
  id: number;
  /** Trimmed, case-folded. */
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  company: string | null;
  /** Trimmed value of the profile meta key (not normalised: allocation checks and upper-cases it). */
  profileCode: string | null;
  dateModified: string | null;
  fetchedAt: string;
}

const clip = (value: string, max: number) => (value.length > max ? value.slice(0, max) : value);
const orNull = (value: string | undefined, max: number) => (value && value.trim() ? clip(value.trim(), max) : null);

/** Upserts fetched customer profiles (profile code read from `profileMetaKey`). */
export async function upsertWooCustomers(
  db: Knex | Knex.Transaction,
  customers: readonly WooCustomer[],
  profileMetaKey: string,
  at: Date,
): Promise<void> {
  const fetchedAt = toUtcIso(at);
  const rows = customers.map((c) => ({
    id: c.id,
    email: orNull((c.email || c.billing.email).toLowerCase(), 255),
    first_name: orNull(c.first_name || c.billing.first_name, 255),
    last_name: orNull(c.last_name || c.billing.last_name, 255),
    company: orNull(c.billing.company, 255),
    profile_code: orNull(metaText(c.meta_data, profileMetaKey), 64),
    payload: JSON.stringify(c),
    date_modified: c.date_modified_gmt ? (wooGmtToIso(c.date_modified_gmt) ?? null) : null,
    fetched_at: fetchedAt,
  }));
  for (let i = 0; i < rows.length; i += 100) {
    await db('woo_customers')
      .insert(rows.slice(i, i + 100))
      .onConflict('id')
      .merge();
  }
}

/** The orders of these customers no longer wait for a profile fetch. */
export async function clearCustomerPending(db: Knex | Knex.Transaction, customerIds: readonly number[]): Promise<void> {
  for (let i = 0; i < customerIds.length; i += 500) {
    await db('orders')
      .whereIn('customer_id', customerIds.slice(i, i + 500))
      .andWhere('customer_pending', true)
      .update({ customer_pending: false });
  }
}

/** Customers with orders waiting for their profile (e.g. left by a run that failed). */
export async function listPendingCustomerIds(db: Knex, limit = 10_000): Promise<number[]> {
  const rows = await db('orders').where('customer_pending', true).distinct('customer_id').orderBy('customer_id').limit(limit);
  return rows.map((r: { customer_id: number | string }) => Number(r.customer_id)).filter((id) => id > 0);
}

/** Stored profiles by id, for allocation (PROFILE rule) and linking. */
export async function loadWooCustomers(db: Knex | Knex.Transaction, ids: readonly number[]): Promise<Map<number, WooCustomerRow>> {
  const out = new Map<number, WooCustomerRow>();
  const wanted = [...new Set(ids.filter((id) => id > 0))];
  for (let i = 0; i < wanted.length; i += 500) {
    const rows = await db('woo_customers')
      .whereIn('id', wanted.slice(i, i + 500))
      .select('id', 'email', 'first_name', 'last_name', 'company', 'profile_code', 'date_modified', 'fetched_at');
    for (const r of rows) {
      out.set(Number(r.id), {
        id: Number(r.id),
        email: r.email ?? null,
        firstName: r.first_name ?? null,
        lastName: r.last_name ?? null,
        company: r.company ?? null,
        profileCode: r.profile_code ?? null,
        dateModified: r.date_modified ?? null,
        fetchedAt: String(r.fetched_at),
      });
    }
  }
  return out;
}
