import type { Knex } from 'knex';
import { dialectOf } from '../src/db/connection.ts';

// A Sage account a person remembered for a billing email (`orders assign --remember-email`): later
// orders from that email get it (rule MANUAL), so a repeat guest is not held again. Emails are
// stored normalised and compared byte for byte (as sage_account_emails on MySQL).
export async function up(db: Knex): Promise<void> {
  const mysql = dialectOf(db) === 'mysql';
  await db.schema.createTable('email_account_links', (t) => {
    const email = t.string('email', 191).primary();
    if (mysql) email.collate('utf8mb4_bin');
    t.string('account_code', 32).notNullable();
    t.string('actor', 191).notNullable();
    t.string('reason', 500).nullable();
    t.bigInteger('from_order_id').unsigned().nullable();
    t.string('created_at', 24).notNullable();
    t.index(['account_code']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('email_account_links');
}
