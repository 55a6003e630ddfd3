import type { Knex } from 'knex';

// One row per named cursor or lease (e.g. "orders.cursor", "lease.poller").
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('sync_state', (t) => {
    t.string('name', 64).primary();
    t.text('value').nullable();
    t.string('lease_owner', 191).nullable();
    t.string('lease_expires_at', 24).nullable();
    t.string('updated_at', 24).notNullable();
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('sync_state');
}
