import type { Knex } from 'knex';

// The buyer's name for the orders list (support looks for "Jo Bloggs", not order 4120): kept in a
// column like billing_email, so a page of orders never reads the payloads.
export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('orders', (t) => {
    t.string('billing_name', 255).nullable();
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('orders', (t) => {
    t.dropColumn('billing_name');
  });
}
