import type { Knex } from 'knex';
import { containsPattern } from './like.ts';

type Db = Knex | Knex.Transaction;

export type LinkStatus = 'linked' | 'unlinked' | 'conflicting';

export interface CustomerLinkRow {
  id: number;
  email: string | null;
  first_name: string | null;
  last_name: string | null;
  company: string | null;
  profile_code: string | null;
  account_code: string | null;
  account_name: string | null;
  account_status: string | null;
  status: LinkStatus;
}

export interface CustomerLinkFilter {
  /** One customer only (e.g. the buyer of a held order). */
  customerId?: number;
  status?: LinkStatus;
  search?: string;
  limit?: number;
  offset?: number;
}

/**
 * WooCommerce customers with their link to a Sage account. "conflicting": the profile code is not
 * a usable account in the mirror, or the customer's email belongs to other accounts but not to
 * the linked one. Status is computed in SQL so the admin table can filter and page on it.
 */
function linkQuery(db: Db) {
  const hasCode = "c.profile_code IS NOT NULL AND TRIM(c.profile_code) <> ''";
  const usable = "a.code IS NOT NULL AND a.status <> 'inactive'";
  const emailElsewhere = `EXISTS (SELECT 1 FROM sage_account_emails e JOIN sage_accounts x ON x.code = e.account_code
      WHERE e.email = c.email AND x.status <> 'inactive')
    AND NOT EXISTS (SELECT 1 FROM sage_account_emails e2 WHERE e2.email = c.email AND e2.account_code = a.code)`;
  const status = `CASE WHEN NOT (${hasCode}) THEN 'unlinked' WHEN (${usable}) AND NOT (${emailElsewhere}) THEN 'linked' ELSE 'conflicting' END`;
  const inner = db('woo_customers as c')
    .leftJoin('sage_accounts as a', function () {
      this.on('a.code', '=', db.raw('UPPER(TRIM(c.profile_code))'));
    })
    .select(
      'c.id',
      'c.email',
      'c.first_name',
      'c.last_name',
      'c.company',
      'c.profile_code',
      'a.code as account_code',
      'a.name as account_name',
      'a.status as account_status',
      db.raw(`${status} as status`),
    );
  return db.from(inner.as('links'));
}

function filtered(db: Db, filter: CustomerLinkFilter) {
  const query = linkQuery(db);
  if (filter.customerId !== undefined) query.where('id', filter.customerId);
  if (filter.status) query.where('status', filter.status);
  if (filter.search) {
    // "!" escapes LIKE wildcards: a backslash means different things in MySQL and SQLite literals.
    const like = containsPattern(filter.search);
    query.where((q) =>
      q
        .whereRaw("LOWER(COALESCE(email, '')) LIKE ? ESCAPE '!'", [like])
        .orWhereRaw("LOWER(COALESCE(profile_code, '')) LIKE ? ESCAPE '!'", [like])
        .orWhereRaw("LOWER(COALESCE(last_name, '')) LIKE ? ESCAPE '!'", [like])
        .orWhereRaw("LOWER(COALESCE(company, '')) LIKE ? ESCAPE '!'", [like]),
    );
  }
  return query;
}

export async function queryCustomerLinks(db: Db, filter: CustomerLinkFilter): Promise<{ total: number; rows: CustomerLinkRow[] }> {
  const [{ n }] = (await filtered(db, filter).count({ n: '*' })) as [{ n: number | string }];
  const rows = await filtered(db, filter)
    .select('*')
    .orderBy('id')
    .limit(Math.min(filter.limit ?? 100, 1000))
    .offset(filter.offset ?? 0);
  return { total: Number(n), rows: rows.map((r: CustomerLinkRow) => ({ ...r, id: Number(r.id) })) };
}

export async function countLinksByStatus(db: Db): Promise<Record<LinkStatus, number>> {
  const rows = await linkQuery(db).select('status').count({ n: '*' }).groupBy('status');
  const counts: Record<LinkStatus, number> = { linked: 0, unlinked: 0, conflicting: 0 };
  for (const row of rows as { status: LinkStatus; n: number | string }[]) counts[row.status] = Number(row.n);
  return counts;
}

/** Usable accounts (not inactive) carrying each email, for explaining and suggesting links. */
export async function accountsByEmails(db: Db, emails: string[]): Promise<Map<string, string[]>> {
  const result = new Map<string, string[]>();
  const wanted = [...new Set(emails.filter(Boolean))];
  for (let i = 0; i < wanted.length; i += 500) {
    const rows = await db('sage_account_emails as e')
      .join('sage_accounts as a', 'a.code', 'e.account_code')
      .whereIn('e.email', wanted.slice(i, i + 500))
      .whereNot('a.status', 'inactive')
      .orderBy('a.code')
      .select('e.email', 'a.code');
    for (const row of rows as { email: string; code: string }[]) result.set(row.email, [...(result.get(row.email) ?? []), row.code]);
  }
  return result;
}

/** WooCommerce customers whose profile code names this account (for an account's detail view). */
export async function customersLinkedTo(
  db: Db,
  code: string,
  limit = 50,
): Promise<Array<{ customerId: number; email: string | null; name: string; company: string | null }>> {
  const rows = await db('woo_customers')
    .whereRaw('UPPER(TRIM(profile_code)) = ?', [code])
    .orderBy('id')
    .limit(limit)
    .select('id', 'email', 'first_name', 'last_name', 'company');
  return rows.map((r: Record<string, string | number | null>) => ({
    customerId: Number(r.id),
    email: (r.email as string | null) ?? null,
    name: [r.first_name, r.last_name].filter(Boolean).join(' '),
    company: (r.company as string | null) || null,
  }));
}
