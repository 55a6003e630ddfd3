import type { Knex } from 'knex';

// Bearer tokens for API clients (scripts, monitoring). Stored as a SHA-256 of the token; the
// token itself is shown once, when it is issued. `prefix` lets a person tell tokens apart.
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('api_tokens', (t) => {
    t.increments('id').primary();
    t.integer('user_id').unsigned().notNullable().references('id').inTable('users').onDelete('CASCADE');
    t.string('name', 120).notNullable();
    t.string('prefix', 16).notNullable();
    t.string('secret_hash', 64).notNullable().unique();
    t.string('created_at', 24).notNullable();
    t.string('last_used_at', 24).nullable();
    t.string('revoked_at', 24).nullable();
    t.index(['user_id']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('api_tokens');
}
