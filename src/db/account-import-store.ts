import type { Knex } from 'knex';
import { toUtcIso } from '../domain/clock.ts';
import { recordClash } from './account-clashes.ts';

type Db = Knex | Knex.Transaction;

export interface ImportedAccount {
  code: string;
  name: string | null;
  /** null: the export carried no email fields for this account, so its known emails are kept. */
  emails: string[] | null;
  details: Record<string, unknown>;
  line: number;
}

export interface BatchCounts {
  created: number;
  updated: number;
  confirmed: number;
  reactivated: number;
  emails: number;
  warnings: string[];
  /** Codes whose exported account is another buyer than the one woo-sage created the code for. */
  clashes: ImportedClash[];
}

export interface ImportedClash {
  code: string;
  created: { name: string | null; emails: string[] };
  sage: { name: string | null; emails: string[] };
}

const plainName = (name: string | null | undefined) => (name ?? '').normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();

/** One buyer when they share an email, or (without one) carry the same name. */
function sameBuyer(ours: { name: string | null; emails: string[] }, theirs: { name: string | null; emails: string[] | null }): boolean {
  if (theirs.emails && ours.emails.some((e) => theirs.emails!.includes(e))) return true;
  const name = plainName(ours.name);
  return name !== '' && name === plainName(theirs.name);
}

export async function startImport(db: Db, entry: { fileName: string; kind: 'all' | 'partial'; actor: string; at: Date }): Promise<number> {
  const [id] = await db('account_imports').insert({
    file_name: entry.fileName.slice(-255),
    kind: entry.kind,
    actor: entry.actor,
    started_at: toUtcIso(entry.at),
  });
  return Number(id);
}

export async function finishImport(db: Db, id: number, counts: Record<string, number>, at: Date): Promise<void> {
  await db('account_imports')
    .where({ id })
    .update({ ...counts, finished_at: toUtcIso(at) });
}

/**
 * Upserts one batch of exported accounts: every one becomes active and seen by this import; a
 * pending account of ours becomes confirmed; emails are replaced where the export carried any.
 */
export async function upsertImportedBatch(db: Db, batch: ImportedAccount[], importId: number, at: Date): Promise<BatchCounts> {
  const now = toUtcIso(at);
  const codes = batch.map((a) => a.code);
  const existing = new Map<
    string,
    { status: string; origin: string; name: string | null; details: string | null; created_at: string; confirmed_at: string | null }
  >();
  for (const row of await db('sage_accounts')
    .whereIn('code', codes)
    .select('code', 'status', 'origin', 'name', 'details', 'created_at', 'confirmed_at')) {
    existing.set(row.code, row);
  }
  const counts: BatchCounts = { created: 0, updated: 0, confirmed: 0, reactivated: 0, emails: 0, warnings: [], clashes: [] };
  const pendingCodes = batch.filter((a) => existing.get(a.code)?.status === 'pending').map((a) => a.code);
  const ourEmails = new Map<string, string[]>();
  if (pendingCodes.length > 0) {
    for (const row of await db('sage_account_emails').whereIn('account_code', pendingCodes).select('account_code', 'email')) {
      ourEmails.set(row.account_code, [...(ourEmails.get(row.account_code) ?? []), row.email]);
    }
  }

  // An account we created for one buyer, exported by Sage for another: neither is overwritten.
  const clashing = new Set<string>();
  for (const account of batch) {
    const old = existing.get(account.code);
    if (old?.status !== 'pending' || old.origin !== 'created') continue;
    const ours = { name: old.name, emails: ourEmails.get(account.code) ?? [] };
    if (sameBuyer(ours, account)) continue;
    clashing.add(account.code);
    const clash = { code: account.code, created: ours, sage: { name: account.name, emails: account.emails ?? [] } };
    counts.clashes.push(clash);
    await recordClash(db, { ...clash, importId, at, sage: { ...clash.sage, details: account.details } });
  }
  const rows = batch
    .filter((a) => !clashing.has(a.code))
    .map((account) => {
      const old = existing.get(account.code);
      if (!old) counts.created++;
      else if (old.status === 'pending') counts.confirmed++;
      else if (old.status === 'inactive') counts.reactivated++;
      else counts.updated++;
      if (old?.status === 'pending') {
        const ours = ourEmails.get(account.code) ?? [];
        // A code we invented may have been taken in Sage by hand before the mirror knew of it.
        if (ours.length > 0 && account.emails && account.emails.length > 0 && !ours.some((e) => account.emails!.includes(e))) {
          counts.warnings.push(
            `${account.code} was created by woo-sage for ${ours.join(', ')}, but Sage's ${account.code} has other emails (${account.emails.join(', ')}); check that it is the same customer.`,
          );
        }
      }
      return {
        code: account.code,
        name: account.name ?? old?.name ?? null,
        status: 'active',
        origin: old?.origin ?? 'import',
        details: old?.origin === 'created' ? old.details : JSON.stringify(account.details),
        created_at: old?.created_at ?? now,
        updated_at: now,
        confirmed_at: old?.confirmed_at ?? now,
        last_import_id: importId,
      };
    });
  if (rows.length > 0)
    await db('sage_accounts')
      .insert(rows)
      .onConflict('code')
      .merge(['name', 'status', 'details', 'updated_at', 'confirmed_at', 'last_import_id']);

  const withEmails = batch.filter((a) => a.emails !== null && !clashing.has(a.code));
  if (withEmails.length > 0) {
    await db('sage_account_emails')
      .whereIn(
        'account_code',
        withEmails.map((a) => a.code),
      )
      .delete();
    const emailRows = withEmails.flatMap((a) => [...new Set(a.emails)].map((email) => ({ account_code: a.code, email })));
    for (let i = 0; i < emailRows.length; i += 500) await db('sage_account_emails').insert(emailRows.slice(i, i + 500));
    counts.emails = emailRows.length;
  }
  return counts;
}

/** After a full export: active accounts it did not contain are gone from Sage. Our pending ones are untouched. */
export async function deactivateUnseen(db: Db, importId: number, at: Date): Promise<number> {
  return db('sage_accounts')
    .where({ status: 'active' })
    .andWhere((q) => q.whereNull('last_import_id').orWhereNot('last_import_id', importId))
    .update({ status: 'inactive', updated_at: toUtcIso(at) });
}

export async function countUnseenActive(db: Db, importId: number): Promise<{ unseen: number; active: number }> {
  const [row] = await db('sage_accounts')
    .where({ status: 'active' })
    .select(
      db.raw('COUNT(*) as active'),
      db.raw('SUM(CASE WHEN last_import_id IS NULL OR last_import_id <> ? THEN 1 ELSE 0 END) as unseen', [importId]),
    );
  return { unseen: Number(row?.unseen ?? 0), active: Number(row?.active ?? 0) };
}

export interface AccountImportRow {
  id: number;
  file_name: string;
  kind: string;
  actor: string;
  started_at: string;
  finished_at: string | null;
  customers: number;
  deactivated: number;
}

export async function latestImport(db: Db): Promise<AccountImportRow | undefined> {
  return db<AccountImportRow>('account_imports').whereNotNull('finished_at').orderBy('id', 'desc').first();
}
