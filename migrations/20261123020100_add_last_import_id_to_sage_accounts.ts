import type { Knex } from 'knex';

// The import run that last saw the account; after a full export, accounts it did not see are inactive.
export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('sage_accounts', (t) => {
    t.integer('last_import_id').unsigned().nullable();
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('sage_accounts', (t) => {
    t.dropColumn('last_import_id');
  });
}
