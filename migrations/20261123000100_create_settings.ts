import type { Knex } from 'knex';

// Times throughout the schema are UTC ISO-8601 strings (24 chars, "2026-01-02T03:04:05.000Z"):
// identical on MySQL and SQLite, readable, and they sort as they compare.
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('settings', (t) => {
    t.string('name', 64).primary();
    t.text('document').notNullable();
    t.integer('version').notNullable().defaultTo(1);
    t.string('updated_at', 24).notNullable();
    t.string('updated_by', 120).notNullable();
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('settings');
}
