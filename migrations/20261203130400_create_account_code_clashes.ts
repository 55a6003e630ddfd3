import type { Knex } from 'knex';

/**
 * An imported Sage account whose code is one woo-sage created for another buyer. Neither is
 * overwritten: the created account keeps the code (its orders held) and Sage's record waits here
 * until a person re-codes the created account (`accounts recode`).
 */
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('account_code_clashes', (t) => {
    t.increments('id').primary();
    t.string('code', 32).notNullable();
    t.string('state', 16).notNullable(); // open | recoded
    t.integer('import_id').notNullable();
    t.string('detected_at', 24).notNullable();
    t.string('sage_name', 255).nullable();
    t.text('sage_emails').notNullable(); // JSON array of normalised emails
    t.text('sage_details', 'longtext').notNullable(); // JSON of the exported record
    t.string('created_name', 255).nullable();
    t.text('created_emails').notNullable(); // JSON array
    t.string('new_code', 32).nullable();
    t.string('resolved_at', 24).nullable();
    t.string('resolved_by', 191).nullable();
    t.text('instructions').nullable(); // JSON array: what a person must fix in Sage
    t.index(['code', 'state']);
    t.index(['state']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('account_code_clashes');
}
