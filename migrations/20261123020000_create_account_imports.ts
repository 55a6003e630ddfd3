import type { Knex } from 'knex';

// One row per `accounts import` run: support can see when the mirror was last refreshed and from
// what, and a full ("all customers") import marks the accounts it did not see inactive by run id.
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('account_imports', (t) => {
    t.increments('id').primary();
    t.string('file_name', 255).notNullable();
    t.string('kind', 16).notNullable(); // all | partial
    t.string('actor', 191).notNullable();
    t.string('started_at', 24).notNullable();
    t.string('finished_at', 24).nullable();
    t.integer('customers').notNullable().defaultTo(0);
    t.integer('created').notNullable().defaultTo(0);
    t.integer('updated').notNullable().defaultTo(0);
    t.integer('confirmed').notNullable().defaultTo(0);
    t.integer('reactivated').notNullable().defaultTo(0);
    t.integer('deactivated').notNullable().defaultTo(0);
    t.integer('skipped').notNullable().defaultTo(0);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('account_imports');
}
