import type { Knex } from 'knex';
import { withChoices } from '../domain/allocation/order-facts.ts';
import type { ManualAccount } from '../domain/allocation/types.ts';
import { toUtcIso } from '../domain/clock.ts';
import { containsPattern } from './like.ts';

type Db = Knex | Knex.Transaction;

const ROWS_PER_QUERY = 500;

/** A Sage account a person remembered for a billing email. */
export interface EmailLink {
  email: string;
  accountCode: string;
  actor: string;
  reason: string | null;
  fromOrderId: number | null;
  createdAt: string;
}

function toEmailLink(row: Record<string, unknown>): EmailLink {
  return {
    email: String(row.email),
    accountCode: String(row.account_code),
    actor: String(row.actor),
    reason: (row.reason as string | null) ?? null,
    fromOrderId: row.from_order_id === null || row.from_order_id === undefined ? null : Number(row.from_order_id),
    createdAt: String(row.created_at),
  };
}

/** Records (or replaces) the account a person assigned to one order. */
export async function saveOrderAssignment(
  db: Db,
  entry: { orderId: number; code: string; actor: string; reason: string | null; at: Date },
): Promise<void> {
  await db('order_account_assignments')
    .insert({
      order_id: entry.orderId,
      account_code: entry.code,
      actor: entry.actor.slice(0, 191),
      reason: entry.reason?.slice(0, 500) ?? null,
      assigned_at: toUtcIso(entry.at),
    })
    .onConflict('order_id')
    .merge(['account_code', 'actor', 'reason', 'assigned_at']);
}

/** Records (or replaces) the account remembered for a normalised billing email. */
export async function saveEmailLink(
  db: Db,
  entry: { email: string; code: string; actor: string; reason: string | null; fromOrderId: number | null; at: Date },
): Promise<void> {
  await db('email_account_links')
    .insert({
      email: entry.email,
      account_code: entry.code,
      actor: entry.actor.slice(0, 191),
      reason: entry.reason?.slice(0, 500) ?? null,
      from_order_id: entry.fromOrderId,
      created_at: toUtcIso(entry.at),
    })
    .onConflict('email')
    .merge(['account_code', 'actor', 'reason', 'from_order_id', 'created_at']);
}

export async function findEmailLink(db: Db, email: string): Promise<EmailLink | undefined> {
  const row = await db('email_account_links').where({ email }).first();
  return row && row.email === email ? toEmailLink(row) : undefined;
}

export async function removeEmailLink(db: Db, email: string): Promise<EmailLink | undefined> {
  const link = await findEmailLink(db, email);
  if (link) await db('email_account_links').where({ email }).delete();
  return link;
}

/** Remembered links, by email; `search` matches part of the email or the account code. */
export async function listEmailLinks(
  db: Db,
  filter: { search?: string; limit?: number } = {},
): Promise<{ total: number; links: EmailLink[] }> {
  const apply = (query: Knex.QueryBuilder) => {
    const search = filter.search?.trim();
    if (search) {
      query.where((q) =>
        q.whereRaw("LOWER(email) LIKE ? ESCAPE '!'", [containsPattern(search)]).orWhere('account_code', search.toUpperCase()),
      );
    }
    return query;
  };
  const count = await apply(db('email_account_links').count({ n: '*' })).first();
  const rows = await apply(db('email_account_links').select('*'))
    .orderBy('email', 'asc')
    .limit(Math.min(Math.max(filter.limit ?? 100, 1), 1000));
  return { total: Number((count as { n?: number | string } | undefined)?.n ?? 0), links: rows.map(toEmailLink) };
}

/** The people's choices that bear on these orders: assignments by order id, links by billing email. */
export async function loadManualAccounts(
  db: Db,
  orderIds: readonly number[],
  emails: readonly string[],
): Promise<{ assigned: Map<number, ManualAccount>; emailLinks: Map<string, ManualAccount> }> {
  const assigned = new Map<number, ManualAccount>();
  const emailLinks = new Map<string, ManualAccount>();
  for (let i = 0; i < orderIds.length; i += ROWS_PER_QUERY) {
    for (const row of await db('order_account_assignments').whereIn('order_id', orderIds.slice(i, i + ROWS_PER_QUERY))) {
      assigned.set(Number(row.order_id), {
        code: String(row.account_code),
        by: String(row.actor),
        at: String(row.assigned_at),
        reason: (row.reason as string | null) ?? null,
        source: 'order',
      });
    }
  }
  const wanted = new Set(emails);
  const list = [...wanted];
  for (let i = 0; i < list.length; i += ROWS_PER_QUERY) {
    for (const row of await db('email_account_links').whereIn('email', list.slice(i, i + ROWS_PER_QUERY))) {
      if (!wanted.has(row.email)) continue;
      const link = toEmailLink(row);
      emailLinks.set(link.email, {
        code: link.accountCode,
        by: link.actor,
        at: link.createdAt,
        reason: link.reason,
        source: 'email-link',
        email: link.email,
        fromOrderId: link.fromOrderId,
      });
    }
  }
  return { assigned, emailLinks };
}

/** `facts` with the people's choices attached (the rules read them as MANUAL). */
export async function withManualAccounts<F extends { orderId: number; billingEmail: string | null }>(
  db: Db,
  facts: readonly F[],
): Promise<Array<F & { assigned: ManualAccount | null; emailLink: ManualAccount | null }>> {
  const choices = await loadManualAccounts(
    db,
    facts.map((f) => f.orderId),
    facts.flatMap((f) => (f.billingEmail ? [f.billingEmail] : [])),
  );
  return facts.map((f) => withChoices(f, choices));
}
