import type { Knex } from 'knex';

/**
 * True while an order waits for Sage's own accounts to be known: it needs a new account, and no
 * new code is made before a Sage customer export has been imported (or an owner confirmed Sage
 * has no customers), since the code could be one Sage already uses for somebody else.
 */
export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('orders', (t) => {
    t.boolean('awaiting_accounts').notNullable().defaultTo(false);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('orders', (t) => {
    t.dropColumn('awaiting_accounts');
  });
}
