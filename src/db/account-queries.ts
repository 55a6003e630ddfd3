import type { Knex } from 'knex';
import { containsPattern } from './like.ts';
import type { AccountStatus } from '../domain/allocation/types.ts';

type Db = Knex | Knex.Transaction;

export interface AccountListFilter {
  status?: AccountStatus;
  /** Part of the account code, the name, or one of its emails (case does not matter). */
  search?: string;
  /** Exactly these codes (upper-cased): "does the mirror have them?" without a 404 per code. */
  codes?: string[];
  limit?: number;
  offset?: number;
}

export interface AccountListRow {
  code: string;
  name: string | null;
  status: AccountStatus;
  origin: string;
  emails: string[];
  updatedAt: string;
  confirmedAt: string | null;
}

function filtered(db: Db, filter: AccountListFilter): Knex.QueryBuilder {
  const query = db('sage_accounts as a');
  if (filter.status) query.where('a.status', filter.status);
  if (filter.codes) query.whereIn('a.code', filter.codes.length ? filter.codes : ['']);
  if (filter.search?.trim()) {
    const like = containsPattern(filter.search);
    query.where((q) =>
      q
        .whereRaw("LOWER(a.code) LIKE ? ESCAPE '!'", [like])
        .orWhereRaw("LOWER(COALESCE(a.name, '')) LIKE ? ESCAPE '!'", [like])
        .orWhereExists(function () {
          // Emails are stored case-folded, so the lowered pattern compares directly.
          this.select(db.raw('1'))
            .from('sage_account_emails as e')
            .whereRaw('e.account_code = a.code')
            .andWhereRaw("e.email LIKE ? ESCAPE '!'", [like]);
        }),
    );
  }
  return query;
}

/** The account mirror for support screens: by code, filtered and paged, each with its emails. */
export async function listAccounts(db: Db, filter: AccountListFilter = {}): Promise<{ total: number; accounts: AccountListRow[] }> {
  const [{ n }] = (await filtered(db, filter).count({ n: '*' })) as [{ n: number | string }];
  const rows = await filtered(db, filter)
    .select('a.code', 'a.name', 'a.status', 'a.origin', 'a.updated_at', 'a.confirmed_at')
    .orderBy('a.code')
    .limit(Math.min(filter.limit ?? 50, 500))
    .offset(filter.offset ?? 0);
  const emails = new Map<string, string[]>();
  if (rows.length > 0) {
    const emailRows = await db('sage_account_emails')
      .whereIn(
        'account_code',
        rows.map((r: { code: string }) => r.code),
      )
      .orderBy(['account_code', 'email'])
      .select('account_code', 'email');
    for (const row of emailRows as { account_code: string; email: string }[])
      emails.set(row.account_code, [...(emails.get(row.account_code) ?? []), row.email]);
  }
  return {
    total: Number(n),
    accounts: rows.map((r: Record<string, unknown>) => ({
      code: String(r.code),
      name: (r.name as string | null) ?? null,
      status: r.status as AccountStatus,
      origin: String(r.origin),
      emails: emails.get(String(r.code)) ?? [],
      updatedAt: String(r.updated_at),
      confirmedAt: (r.confirmed_at as string | null) ?? null,
    })),
  };
}

export async function countAccountsByStatus(db: Db): Promise<Record<AccountStatus, number>> {
  const counts: Record<AccountStatus, number> = { active: 0, inactive: 0, pending: 0 };
  const rows = await db('sage_accounts').select('status').count({ n: '*' }).groupBy('status');
  for (const row of rows as { status: AccountStatus; n: number | string }[]) counts[row.status] = Number(row.n);
  return counts;
}
