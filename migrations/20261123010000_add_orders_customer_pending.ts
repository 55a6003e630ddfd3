import type { Knex } from 'knex';

// True while a logged-in buyer's profile (its account code) has not been fetched since the order
// arrived or changed; such an order is not allocated until it has, so a crash between storing
// orders and fetching their customers can never make an order miss its PROFILE rule.
export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('orders', (t) => {
    t.boolean('customer_pending').notNullable().defaultTo(false);
    t.index(['customer_pending', 'customer_id']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('orders', (t) => {
    t.dropIndex(['customer_pending', 'customer_id']);
    t.dropColumn('customer_pending');
  });
}
