import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('export_batches', (t) => {
    t.increments('id').primary();
    t.string('name', 191).notNullable().unique(); // file name stem; sorts in delivery order
    t.string('channel', 16).notNullable(); // folder | pull
    t.string('state', 16).notNullable(); // open | written | offered | acknowledged
    t.integer('documents').notNullable().defaultTo(0);
    t.string('created_at', 24).notNullable();
    t.string('delivered_at', 24).nullable();
    t.string('offered_at', 24).nullable();
    t.string('offer_expires_at', 24).nullable();
    t.string('acknowledged_at', 24).nullable();
    t.string('ack_token', 64).nullable();
    t.index(['state']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('export_batches');
}
