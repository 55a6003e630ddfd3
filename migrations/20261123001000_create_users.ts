import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('users', (t) => {
    t.increments('id').primary();
    t.string('username', 64).notNullable().unique();
    t.string('password_hash', 255).notNullable(); // scrypt, never returned by the API
    t.string('role', 16).notNullable(); // owner | support
    t.string('created_at', 24).notNullable();
    t.string('updated_at', 24).notNullable();
    t.string('disabled_at', 24).nullable();
    t.string('last_login_at', 24).nullable();
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('users');
}
