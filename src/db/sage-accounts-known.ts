import type { Knex } from 'knex';
import { toUtcIso } from '../domain/clock.ts';
import { recordAudit } from './audit-log.ts';

type Db = Knex | Knex.Transaction;

/** The `account_imports.kind` of an owner's statement that Sage has no customers yet. */
export const EMPTY_IMPORT_KIND = 'empty';

/**
 * Whether Sage's own customer accounts are known: a Sage customer export has been imported, or an
 * owner confirmed that Sage has no customers yet (`accounts import --empty`). Until then no new
 * account code is made: it could be one Sage already uses for another customer.
 */
export async function sageAccountsKnown(db: Db): Promise<boolean> {
  const row = await db('account_imports').whereNotNull('finished_at').first('id');
  return row !== undefined;
}

/** Records an owner's word that Sage has no customer accounts yet (audited); returns its import id. */
export async function confirmSageHasNoCustomers(db: Knex, entry: { actor: string; at: Date }): Promise<number> {
  return db.transaction(async (trx) => {
    const at = toUtcIso(entry.at);
    const [id] = await trx('account_imports').insert({
      file_name: '(none: Sage has no customers yet)',
      kind: EMPTY_IMPORT_KIND,
      actor: entry.actor,
      started_at: at,
      finished_at: at,
    });
    await recordAudit(trx, {
      at: entry.at,
      actor: entry.actor,
      action: 'accounts.confirm-empty',
      subject: `account_imports.${Number(id)}`,
      details: { statement: 'Sage has no customer accounts yet; new account codes may be created' },
    });
    return Number(id);
  });
}
