import type { Knex } from 'knex';

// Every state transition of an order, with why: what `orders explain` shows support staff.
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('order_events', (t) => {
    t.increments('id').primary();
    t.bigInteger('order_id').unsigned().notNullable().index();
    t.string('at', 24).notNullable();
    t.string('from_state', 24).nullable();
    t.string('to_state', 24).notNullable();
    t.text('reason').nullable();
    t.string('actor', 120).notNullable();
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('order_events');
}
