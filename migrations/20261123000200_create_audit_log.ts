import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('audit_log', (t) => {
    t.increments('id').primary();
    t.string('at', 24).notNullable().index();
    t.string('actor', 120).notNullable();
    t.string('action', 64).notNullable().index();
    t.string('subject', 191).notNullable().index();
    t.text('before').nullable();
    t.text('after').nullable();
    t.text('details').nullable();
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('audit_log');
}
