import type { Knex } from 'knex';
import { InMemoryMirror } from '../domain/allocation/in-memory-mirror.ts';
import type { AccountStatus, MirrorAccount } from '../domain/allocation/types.ts';
import { applyOpenClashes } from './account-clashes.ts';
import { dialectOf } from './connection.ts';

type Db = Knex | Knex.Transaction;

export interface SageAccountRow {
  code: string;
  name: string | null;
  status: AccountStatus;
  origin: 'import' | 'created';
  owner_key: string | null;
  details: string | null;
  created_at: string;
  updated_at: string;
  confirmed_at: string | null;
  last_import_id: number | null;
}

const COLUMNS = ['code', 'name', 'status', 'owner_key'] as const;

function toMirrorAccount(row: Pick<SageAccountRow, (typeof COLUMNS)[number]>, emails: string[] = []): MirrorAccount {
  return { code: row.code, name: row.name ?? null, status: row.status, ownerKey: row.owner_key ?? null, emails };
}

export async function findAccount(db: Db, code: string): Promise<SageAccountRow | undefined> {
  return db<SageAccountRow>('sage_accounts').where({ code }).first();
}

/**
 * The account we created for an owner. `current` makes it a locking read on MySQL so that, inside
 * a REPEATABLE READ transaction, it sees a row another worker committed after our snapshot began.
 */
export async function findAccountByOwner(
  db: Db,
  ownerKey: string,
  options: { current?: boolean } = {},
): Promise<SageAccountRow | undefined> {
  const query = db<SageAccountRow>('sage_accounts').where({ owner_key: ownerKey });
  if (options.current && dialectOf(db as Knex) === 'mysql') query.forShare();
  const row = await query.first();
  // MySQL compares with the column's collation; the owner key must match exactly.
  return row && row.owner_key === ownerKey ? row : undefined;
}

export async function findAccountsByEmail(db: Db, email: string): Promise<MirrorAccount[]> {
  const rows = await db('sage_account_emails as e')
    .join('sage_accounts as a', 'a.code', 'e.account_code')
    .where('e.email', email)
    .select('a.code', 'a.name', 'a.status', 'a.owner_key', 'e.email')
    .orderBy('a.code');
  return rows.filter((row: { email: string }) => row.email === email).map((row: SageAccountRow) => toMirrorAccount(row, [email]));
}

/** Every code starting with `prefix` (codes are A–Z/0–9, so the prefix needs no LIKE escaping). */
export async function findCodesWithPrefix(db: Db, prefix: string): Promise<string[]> {
  if (!/^[A-Z0-9]+$/.test(prefix)) throw new Error(`code prefix must be A-Z/0-9, got ${JSON.stringify(prefix)}`);
  const rows = await db('sage_accounts').where('code', 'like', `${prefix}%`).select('code');
  return rows.map((row: { code: string }) => row.code);
}

export interface MirrorSliceRequest {
  codes?: string[];
  email?: string | null;
  ownerKey?: string | null;
}

/** The part of the mirror one order's allocation can touch, loaded into memory. */
export async function loadMirrorSlice(db: Db, request: MirrorSliceRequest): Promise<InMemoryMirror> {
  const mirror = new InMemoryMirror();
  const codes = (request.codes ?? []).filter(Boolean);
  if (codes.length > 0) {
    const rows = await db<SageAccountRow>('sage_accounts')
      .whereIn('code', codes)
      .select(...COLUMNS);
    for (const row of rows) mirror.put(toMirrorAccount(row));
  }
  if (request.ownerKey) {
    const row = await findAccountByOwner(db, request.ownerKey);
    if (row) mirror.put(toMirrorAccount(row, mirror.byCode(row.code)?.emails ?? []));
  }
  if (request.email) {
    for (const account of await findAccountsByEmail(db, request.email)) {
      mirror.put({ ...account, emails: [...(mirror.byCode(account.code)?.emails ?? []), request.email] });
    }
  }
  await applyOpenClashes(db, mirror, request.email ? [request.email] : []);
  return mirror;
}

export interface AccountSummary {
  code: string;
  name: string | null;
  status: AccountStatus;
  origin: string;
  ownerKey: string | null;
  emails: string[];
  details: unknown;
  createdAt: string;
  confirmedAt: string | null;
}

/** One account with its emails, for support tools. */
export async function describeAccount(db: Db, code: string): Promise<AccountSummary | undefined> {
  const row = await findAccount(db, code);
  if (!row) return undefined;
  const emails = await db('sage_account_emails').where({ account_code: code }).orderBy('email').pluck('email');
  return {
    code: row.code,
    name: row.name,
    status: row.status,
    origin: row.origin,
    ownerKey: row.owner_key,
    emails,
    details: row.details ? JSON.parse(row.details) : null,
    createdAt: row.created_at,
    confirmedAt: row.confirmed_at,
  };
}
