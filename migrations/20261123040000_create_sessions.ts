import type { Knex } from 'knex';

// Admin page sessions. Only a SHA-256 of the cookie's random secret is stored, so a copy of the
// database cannot be replayed as a login.
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('sessions', (t) => {
    t.increments('id').primary();
    t.string('secret_hash', 64).notNullable().unique();
    t.integer('user_id').unsigned().notNullable().references('id').inTable('users').onDelete('CASCADE');
    t.string('created_at', 24).notNullable();
    t.string('last_seen_at', 24).notNullable();
    t.string('expires_at', 24).notNullable().index(); // sliding, never past created_at + the absolute limit
    t.string('ip', 64).nullable();
    t.string('user_agent', 255).nullable();
    t.index(['user_id']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('sessions');
}
