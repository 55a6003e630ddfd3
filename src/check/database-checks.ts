import type { Knex } from 'knex';
import { latestImport } from '../db/account-import-store.ts';
import { EMPTY_IMPORT_KIND } from '../db/sage-accounts-known.ts';
import type { Settings } from '../settings/schema.ts';
import { finding, shopText, type Finding } from './findings.ts';

/**
 * Has a Sage customer export been imported (account_imports)? Without it an email matches no
 * account and a new account code may already belong to someone in Sage; only a shop that puts
 * every order on its default account does without.
 */
export async function checkAccountImport(db: Knex, settings: Settings): Promise<Finding> {
  const last = await latestImport(db);
  if (last?.kind === EMPTY_IMPORT_KIND)
    return finding(
      'sage.accounts-imported',
      'ok',
      `no Sage customer export is needed: ${shopText(last.actor, 60)} confirmed on ${last.finished_at} that Sage has no customers yet (accounts import --empty)`,
    );
  if (last)
    return finding(
      'sage.accounts-imported',
      'ok',
      `Sage customer accounts were last imported ${last.finished_at} from ${shopText(last.file_name, 80)} (${last.customers} account${last.customers === 1 ? '' : 's'}, ${last.kind === 'all' ? 'a full export' : 'a partial export'})`,
    );
  const needed = settings.searchSageByEmail || settings.createAccounts || settings.requireKnownProfileCode;
  if (!needed)
    return finding('sage.accounts-imported', 'info', 'no Sage customer export has been imported; the account rules in use do not need one');
  return finding(
    'sage.accounts-imported',
    'fail',
    'no Sage customer export has been imported yet: buyers cannot be matched to Sage accounts by email, and a new account code could already belong to a Sage customer',
    'export all customers from Sage (Zynk’s Export Customers task) and run woo-sage accounts import FILE.xml --all, or use Sage accounts → Import on the admin page',
  );
}
