import type { Knex } from 'knex';

// A person's choice of Sage account for one order (`orders assign`, rule MANUAL): kept apart from
// the order's decision so that reprocessing, or the order changing before export, keeps it.
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('order_account_assignments', (t) => {
    t.bigInteger('order_id').unsigned().primary(); // the WooCommerce order id
    t.string('account_code', 32).notNullable();
    t.string('actor', 191).notNullable();
    t.string('reason', 500).nullable();
    t.string('assigned_at', 24).notNullable();
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('order_account_assignments');
}
