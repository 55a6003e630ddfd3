import type { Knex } from 'knex';

// The dashboard counts state changes per day over recent weeks: a range scan on `at`, not the whole history.
export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('order_events', (t) => {
    t.index(['at'], 'order_events_at_index');
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('order_events', (t) => {
    t.dropIndex(['at'], 'order_events_at_index');
  });
}
