import type { Knex } from 'knex';

/**
 * True when an order arrived or changed carrying refunds that have not been looked at since: the
 * refunds stage turns them into credit notes (exportRefunds) once the order's sales order is
 * queued, and clears it. Indexed so that stage reads a handful of rows, not the whole inbox.
 */
export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('orders', (t) => {
    t.boolean('refunds_pending').notNullable().defaultTo(false);
    t.index(['refunds_pending']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('orders', (t) => {
    t.dropIndex(['refunds_pending']);
    t.dropColumn('refunds_pending');
  });
}
