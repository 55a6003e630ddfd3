import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('sage_account_emails', (t) => {
    t.string('account_code', 32).notNullable().references('code').inTable('sage_accounts').onDelete('CASCADE');
    t.string('email', 255).notNullable(); // trimmed, case-folded
    t.primary(['account_code', 'email']);
    t.index(['email']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('sage_account_emails');
}
