import type { Knex } from 'knex';

/**
 * Changes after export a person must act on (an order cancelled, refunded or edited in WooCommerce
 * after its sales order was queued; a credit note that could not be exported), and who
 * acknowledged each one, when, and with what note.
 */
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('order_changes', (t) => {
    t.increments('id').primary();
    t.bigInteger('order_id').unsigned().notNullable();
    t.string('detected_at', 24).notNullable();
    t.text('summary').notNullable(); // what changed
    t.text('action').nullable(); // what a person must do in Sage
    t.string('acknowledged_at', 24).nullable();
    t.string('acknowledged_by', 120).nullable();
    t.text('note').nullable();
    t.index(['order_id', 'acknowledged_at']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('order_changes');
}
